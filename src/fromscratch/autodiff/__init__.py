"""Automatic differentiation: forward mode (Dual), reverse mode (Tensor), one table of rules."""

from fromscratch.autodiff.reverse import Tensor

__all__ = ["Tensor"]
