"""Input checks shared by the metrics: equal lengths, label kinds, the ``labels`` argument.

Every metric reports a bad argument through these, so the messages are the same everywhere.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from fromscratch._validation import (
    _check_same_length,
    check_array,
    check_sample_weight,
    check_y,
)


def _label_kind(y: np.ndarray, name: str) -> str:
    """``"string"`` or ``"number"``: the kind of the labels in ``y`` (mixing is an error)."""
    kind = y.dtype.kind
    if kind in "US":
        return "string"
    if kind == "O":
        kinds = {
            "string" if isinstance(e, str) else "number" if isinstance(e, numbers.Real) else "?"
            for e in y.ravel()
        }
        if "?" in kinds:
            raise TypeError(f"{name} holds labels that are neither strings nor numbers.")
        if len(kinds) > 1:
            raise TypeError(f"{name} mixes string and number labels; use one type for labels.")
        return kinds.pop()
    if kind == "f" and not np.array_equal(y, np.round(y)):
        raise ValueError(
            f"{name} holds non-integer floats (e.g. {y[y != np.round(y)][0]!r}), which are "
            "not class labels. Classification metrics need labels: threshold scores first, "
            "e.g. (y_proba >= 0.5).astype(int)."
        )
    if kind not in "biuf":
        raise TypeError(f"{name} has unsupported dtype {y.dtype} for class labels.")
    return "number"


def _check_label_arrays(**arrays: Any) -> dict[str, np.ndarray]:
    """Validate 1-D label arrays of one kind (all strings or all numbers), equal lengths."""
    checked = {name: check_y(a, name=name, y_numeric=False) for name, a in arrays.items()}
    _check_same_length(checked)
    kinds = {name: _label_kind(a, name) for name, a in checked.items()}
    if len(set(kinds.values())) > 1:
        listed = ", ".join(f"{name} holds {kind}s" for name, kind in kinds.items())
        raise TypeError(f"Labels mix types: {listed}. Use the same label type in both.")
    return checked


def _classification_inputs(
    y_true: Any, y_pred: Any, sample_weight: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """True and predicted labels of one kind, and the weights."""
    checked = _check_label_arrays(y_true=y_true, y_pred=y_pred)
    w = check_sample_weight(sample_weight, checked["y_true"].shape[0])
    return checked["y_true"], checked["y_pred"], w


def _score_inputs(
    y_true: Any, y_score: Any, sample_weight: Any, *, name: str = "y_score"
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Labels, real-valued scores or probabilities (1-D, or 2-D with a column per class)
    called ``name`` in messages, and the weights."""
    y_true = check_y(y_true, name="y_true", y_numeric=False)
    _label_kind(y_true, "y_true")
    y_score = check_array(y_score, name=name, ensure_2d=False)
    if y_score.ndim > 2:
        raise ValueError(f"{name} must be 1-D or 2-D; got shape {y_score.shape}.")
    _check_same_length({"y_true": y_true, name: y_score})
    w = check_sample_weight(sample_weight, y_true.shape[0])
    return y_true, y_score, w


def _check_labels_argument(labels: Any, y_true: np.ndarray) -> np.ndarray:
    """The user's ``labels`` as a 1-D array of the same kind as ``y_true``, no duplicates."""
    labels = check_y(labels, name="labels", y_numeric=False)
    if _label_kind(labels, "labels") != _label_kind(y_true, "y_true"):
        raise TypeError("labels must be of the same type (strings or numbers) as y_true.")
    if np.unique(labels).shape[0] != labels.shape[0]:
        raise ValueError(f"labels must not contain duplicates; got {labels.tolist()}.")
    return labels


def _binary_target(y_true: np.ndarray, pos_label: Any, needs: str) -> np.ndarray:
    """Boolean "is positive" vector of binary labels.

    ``pos_label=None`` needs labels in {0, 1} or {−1, 1} (1 is then the positive class); a
    given ``pos_label`` must be one of the two labels when ``y_true`` holds two. ``needs``
    completes the message for more than two classes: "y_true holds 3 classes [...]; <needs>".
    """
    classes = np.unique(y_true)
    if classes.shape[0] > 2:
        raise ValueError(f"y_true holds {classes.shape[0]} classes {classes.tolist()}; {needs}.")
    if pos_label is None:
        numeric = _label_kind(classes, "y_true") == "number"
        if not numeric or not (set(classes.tolist()) <= {0, 1} or set(classes.tolist())
                               <= {-1, 1}):
            raise ValueError(
                f"y_true takes values {classes.tolist()}, so the positive class is ambiguous: "
                "pass pos_label explicitly (or use labels {0, 1} or {-1, 1})."
            )
        pos_label = 1
    elif classes.shape[0] == 2 and pos_label not in classes.tolist():
        raise ValueError(
            f"pos_label={pos_label!r} is not a valid label; it should be one of "
            f"{classes.tolist()}."
        )
    return np.asarray(y_true == pos_label, dtype=bool)


def _check_probability_range(p: np.ndarray, name: str) -> None:
    """Probabilities lie in [0, 1] (finiteness is checked with the array)."""
    if p.min() < 0 or p.max() > 1:
        raise ValueError(
            f"{name} must hold probabilities in [0, 1]; got values in [{p.min()}, {p.max()}]."
        )
