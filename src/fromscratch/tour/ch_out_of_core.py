"""Chapter: when data outgrows memory — the same estimators on row-chunked Dask arrays.

Why QR distributes (the R of stacked R's), one-pass statistics that keep their digits (Chan et
al.'s merge), Newton's method as map-reduce with its passes counted, streaming SGD against the
exact solution, and every estimator on a lazy array checked against its fit in memory.

The sections live in ``_out_of_core_math`` (J1, J2) and ``_out_of_core_fits`` (J3–J5). Dask is
optional (``pip install 'fromscratch[dask]'``): without it the chapter says so at its top, still
derives every formula and checks the identities on NumPy blocks, and records the checks that
need a lazy array as skipped, with the install hint. The comparison with
``dask.array.linalg.lstsq`` is in notebook 09 and ``tests/dask`` (a reference, never used by the
library); the larger-than-memory run is ``benchmarks/bench_dask.py --big``.
"""

from __future__ import annotations

from fromscratch.tour import _out_of_core_fits as fits
from fromscratch.tour import _out_of_core_math as algebra

TITLE = "When data outgrows memory"

#: Where each of this chapter's topics (J1–J5, beyond the curriculum's 57) is taught: its
#: section heading, one figure caption and one check, exactly as the chapter shows them. Not
#: named ``TOPICS``: the introduction's table is the curriculum's, and this chapter's checks
#: are skipped where Dask is not installed (the base install).
SECTIONS = {
    "J1": {"section": algebra.HEADING_J1, "figure": algebra.FIGURE_J1, "check": algebra.CHECK_J1},
    "J2": {"section": algebra.HEADING_J2, "figure": algebra.FIGURE_J2, "check": algebra.CHECK_J2},
    "J3": {"section": fits.HEADING_J3, "figure": fits.FIGURE_J3, "check": fits.CHECK_J3},
    "J4": {"section": fits.HEADING_J4, "figure": fits.FIGURE_J4, "check": fits.CHECK_J4},
    "J5": {"section": fits.HEADING_J5, "figure": fits.FIGURE_J5, "check": fits.CHECK_J5},
}


def dask_missing() -> str | None:
    """Why the lazy-array sections cannot run here (the library's install hint), or None."""
    from fromscratch.blocks import import_dask

    try:
        import_dask()
    except ImportError as error:
        return str(error)
    return None


def run(ch) -> None:
    missing = dask_missing()
    ch.text(
        "Every chapter so far held its data in one NumPy array. Data with 50 million rows do "
        "not fit, and a cluster's data never sit in one place. A `dask.array.Array` chunked "
        "by rows — a stack of NumPy blocks $X = [X_1; \\dots; X_B]$, each read or generated "
        "only when it is needed — describes such data, and `LinearRegression`, `Ridge`, "
        "`Lasso`, `ElasticNet`, `LogisticRegression` and `StandardScaler` fit it **without "
        "gathering it**: Dask moves and schedules the blocks (threads, processes or a "
        "cluster), and every factorization and solver on them is the library's own. The "
        "question of each section is the same: which statistic of the whole matrix can be "
        "assembled from small per-block pieces, and how many passes over the data does the "
        "fit cost?"
    )
    if missing:
        ch.text(
            f"**Dask is not installed here**, so the runs on lazy arrays are skipped (their "
            f"checks are listed as skipped): {missing} The derivations, and the checks of the "
            "identities on NumPy blocks, follow all the same."
        )
    verification = fits.Verification()
    algebra.qr_distributes(ch, missing)  # J1
    algebra.one_pass_statistics(ch, missing)  # J2
    fits.newton_map_reduce(ch, missing, verification)  # J3
    fits.streaming_sgd(ch, missing)  # J4
    fits.lazy_run(ch, missing, verification)  # J5
