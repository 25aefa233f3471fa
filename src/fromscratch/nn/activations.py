r"""Activation functions as modules, to place between layers of a :class:`Sequential`.

Without a non-linear activation a stack of linear layers is one linear map,
:math:`W_2 (W_1 x + b_1) + b_2 = (W_2 W_1) x + (W_2 b_1 + b_2)`, however deep it is.
"""

from __future__ import annotations

from typing import Any

from fromscratch._validation import check_scalar
from fromscratch.nn import functional as F
from fromscratch.nn.module import Module

__all__ = ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax", "LogSoftmax"]


class Sigmoid(Module):
    r""":math:`\sigma(x) = 1/(1 + e^{-x})`, with :math:`\sigma' = \sigma(1 - \sigma)`."""

    def forward(self, x: Any) -> Any:
        return F.sigmoid(x)


class Tanh(Module):
    r""":math:`\tanh x`, with :math:`\tanh' = 1 - \tanh^2`."""

    def forward(self, x: Any) -> Any:
        return F.tanh(x)


class ReLU(Module):
    r""":math:`\max(x, 0)`, with derivative :math:`[x > 0]` (0 at 0)."""

    def forward(self, x: Any) -> Any:
        return F.relu(x)


class LeakyReLU(Module):
    r""":math:`x` if :math:`x > 0` else :math:`\alpha x`: a small slope keeps units that receive
    only negative inputs learning."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = check_scalar(negative_slope, "negative_slope")

    def forward(self, x: Any) -> Any:
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Softmax(Module):
    r""":math:`\mathrm{softmax}(x)_i = e^{x_i}/\sum_j e^{x_j}` along ``dim``. Its Jacobian is
    :math:`\mathrm{diag}(s) - s s^\top`, not only its diagonal."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = check_scalar(dim, "dim", kind=int)

    def forward(self, x: Any) -> Any:
        return F.softmax(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    r""":math:`x_i - \log\sum_j e^{x_j}` along ``dim``, computed stably."""

    def forward(self, x: Any) -> Any:
        return F.log_softmax(x, self.dim)
