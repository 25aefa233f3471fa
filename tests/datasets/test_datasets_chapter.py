"""The tour's "Data sets" chapter runs in quick mode with every check passing."""

import matplotlib

matplotlib.use("Agg")

from fromscratch.tour import ch_datasets  # noqa: E402
from fromscratch.tour.chapter import Chapter  # noqa: E402


def test_quick_chapter_passes_and_shows_every_data_set():
    ch = Chapter("datasets", ch_datasets.TITLE, quick=True)
    ch_datasets.run(ch)
    assert ch.failed_checks == []
    figures = [b for b in ch.blocks if b.kind == "figure"]
    assert len(figures) == 15  # one per data set
    catalogue = next(b for b in ch.blocks if b.kind == "table")
    assert len(catalogue.payload[1]) == 15
