r"""Loss functions as modules (PyTorch's names and conventions): ``loss(input, target)``.

``reduction`` is ``"mean"`` (default), ``"sum"`` or ``"none"`` (one value per entry/sample).
Classification losses take *logits* (unnormalised scores), never probabilities: combining the
log with the softmax/sigmoid analytically (the log-sum-exp trick) keeps them finite for any
logit, where ``log(softmax(z))`` would give ``-inf`` once a probability underflows to 0.
"""

from __future__ import annotations

from typing import Any

from fromscratch._validation import check_choice
from fromscratch.nn import functional as F
from fromscratch.nn.module import Module

__all__ = ["MSELoss", "BCEWithLogitsLoss", "CrossEntropyLoss"]


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = check_choice(reduction, "reduction", F.REDUCTIONS)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    r""":math:`\ell = \frac1N \sum_{i=1}^N (x_i - y_i)^2` over all :math:`N` entries."""

    def forward(self, input: Any, target: Any) -> Any:  # noqa: A002
        return F.mse_loss(input, target, self.reduction)


class BCEWithLogitsLoss(_Loss):
    r"""Binary cross-entropy on logits :math:`z`, targets :math:`y \in [0, 1]` of the same shape:

    .. math:: \ell = -y \log \sigma(z) - (1 - y)\log(1 - \sigma(z))
                   = \max(z, 0) - z y + \log(1 + e^{-|z|}).
    """

    def forward(self, input: Any, target: Any) -> Any:  # noqa: A002
        return F.binary_cross_entropy_with_logits(input, target, self.reduction)


class CrossEntropyLoss(_Loss):
    r"""Softmax cross-entropy of logits ``(n, C)`` against class indices ``(n,)`` in
    :math:`0..C-1`:

    .. math:: \ell_i = -\log\frac{e^{z_{i y_i}}}{\sum_c e^{z_{ic}}}
                     = \log\sum_c e^{z_{ic}} - z_{i y_i}.

    Its gradient with respect to the logits is :math:`\mathrm{softmax}(z_i) - e_{y_i}` (per
    sample, divided by :math:`n` for the mean).
    """

    def forward(self, input: Any, target: Any) -> Any:  # noqa: A002
        return F.cross_entropy(input, target, self.reduction)
