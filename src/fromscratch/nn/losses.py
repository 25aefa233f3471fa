r"""Loss functions as modules (PyTorch's names and conventions): ``loss(input, target)``.

``reduction`` is ``"mean"`` (default), ``"sum"`` or ``"none"`` (one value per entry/sample).
Classification losses take *logits* (unnormalised scores), never probabilities: combining the
log with the softmax/sigmoid analytically (the log-sum-exp trick) keeps them finite for any
logit, where ``log(softmax(z))`` would give ``-inf`` once a probability underflows to 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch._validation import check_choice, check_scalar
from fromscratch.nn import functional as F
from fromscratch.nn.module import Module

__all__ = ["MSELoss", "BCEWithLogitsLoss", "CrossEntropyLoss"]


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = check_choice(reduction, "reduction", F.REDUCTIONS)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


def _weight(weight: Any, name: str) -> np.ndarray | None:
    """Check a loss weight when the module is built (its shape is checked against the input)."""
    return F._check_loss_weight(weight, name, np.dtype(np.float64))


class MSELoss(_Loss):
    r""":math:`\ell = \frac1N \sum_{i=1}^N (x_i - y_i)^2` over all :math:`N` entries."""

    def forward(self, input: Any, target: Any) -> Any:  # noqa: A002
        return F.mse_loss(input, target, self.reduction)


class BCEWithLogitsLoss(_Loss):
    r"""Binary cross-entropy on logits :math:`z`, targets :math:`y \in [0, 1]` of the same shape:

    .. math:: \ell = w\left[-p\, y \log \sigma(z) - (1 - y)\log(1 - \sigma(z))\right],

    with :math:`w = p = 1` by default, where it equals :math:`\max(z, 0) - z y +
    \log(1 + e^{-|z|})`. See :func:`~fromscratch.nn.functional.binary_cross_entropy_with_logits`.

    Parameters
    ----------
    weight : array, optional
        Rescales each entry's loss; broadcast to the input's shape.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` is the plain mean over all entries (the weights are not its denominator).
    pos_weight : array, optional
        Weight :math:`p` of the positive term, one per column (shape ``(C,)``) or broadcast to
        the input's shape: :math:`p > 1` raises recall on a rare positive class.
    """

    def __init__(
        self, weight: Any = None, *, reduction: str = "mean", pos_weight: Any = None
    ) -> None:
        super().__init__(reduction)
        self.weight = _weight(weight, "weight")
        self.pos_weight = _weight(pos_weight, "pos_weight")

    def forward(self, input: Any, target: Any) -> Any:  # noqa: A002
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )


class CrossEntropyLoss(_Loss):
    r"""Softmax cross-entropy of logits ``(n, C)`` against class indices ``(n,)`` in
    :math:`0..C-1`:

    .. math:: \ell_i = -\log\frac{e^{z_{i y_i}}}{\sum_c e^{z_{ic}}}
                     = \log\sum_c e^{z_{ic}} - z_{i y_i}.

    Its gradient with respect to the logits is :math:`\mathrm{softmax}(z_i) - e_{y_i}` (per
    sample, divided by :math:`n` for the mean). With class weights :math:`w_c` and label
    smoothing :math:`\varepsilon`,

    .. math:: \ell_i = (1 - \varepsilon)\, w_{y_i} (-\log p_{i y_i})
        + \frac{\varepsilon}{C} \sum_c w_c (-\log p_{ic}),
        \qquad \ell = \frac{\sum_i \ell_i}{\sum_i w_{y_i}} \text{ (mean)},

    PyTorch's formulas; see :func:`~fromscratch.nn.functional.cross_entropy`.

    Parameters
    ----------
    weight : array of shape (C,), optional
        Class weights :math:`w_c \ge 0` (e.g. inversely proportional to class frequencies).
    ignore_index : int, default -100
        Samples with this target cost nothing and are not counted by the mean.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides by the summed weights of the targets, not by :math:`n`.
    label_smoothing : float in [0, 1], default 0
        Mix :math:`\varepsilon` of the uniform distribution into each one-hot target.
    """

    def __init__(
        self,
        weight: Any = None,
        *,
        ignore_index: int = -100,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(reduction)
        self.weight = _weight(weight, "weight")
        if self.weight is not None and self.weight.ndim != 1:
            raise ValueError(
                f"weight must be 1-D, one weight per class; got shape {self.weight.shape}."
            )
        self.ignore_index = check_scalar(ignore_index, "ignore_index", kind=int)
        self.label_smoothing = check_scalar(
            label_smoothing, "label_smoothing", min_val=0.0, max_val=1.0
        )

    def forward(self, input: Any, target: Any) -> Any:  # noqa: A002
        return F.cross_entropy(
            input,
            target,
            self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )

    def extra_repr(self) -> str:
        extra = [f"ignore_index={self.ignore_index}"] if self.ignore_index != -100 else []
        if self.label_smoothing:
            extra.append(f"label_smoothing={self.label_smoothing}")
        return ", ".join([super().extra_repr(), *extra])
