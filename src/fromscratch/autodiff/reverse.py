"""Reverse-mode automatic differentiation (stub: the contract optimizers rely on).

``Tensor(data, requires_grad=False)`` holds ``.data`` (an ndarray; float64 unless float32 is
given) and ``.grad`` (an ndarray of the same shape, or None). Optimizers update ``.data`` in
place and read ``.grad``.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Tensor:
    def __init__(self, data: Any, requires_grad: bool = False) -> None:
        array = np.asarray(data)
        if array.dtype != np.float32:
            array = array.astype(np.float64)
        self.data = array
        self.grad: np.ndarray | None = None
        self.requires_grad = bool(requires_grad)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype
