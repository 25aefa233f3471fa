r"""Mini-batches: cut a data set into batches for stochastic gradient descent.

Each epoch visits every sample once. With ``shuffle=True`` the order is a fresh random
permutation every epoch, drawn from ``random_state``: a gradient computed on a batch
:math:`B` is then an unbiased estimate of the full-data gradient,

.. math:: \mathbb E_B\Bigl[\frac{1}{|B|}\sum_{i \in B} \nabla \ell_i\Bigr]
    = \frac{1}{n} \sum_{i=1}^n \nabla \ell_i .

:class:`DataLoader` plays the role of ``torch.utils.data.DataLoader(TensorDataset(X, y))``:
iterate over it once per epoch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from fromscratch._validation import check_random_state, check_scalar

__all__ = ["DataLoader", "batch_indices"]


def batch_indices(
    n_samples: int,
    batch_size: int,
    *,
    shuffle: bool = False,
    drop_last: bool = False,
    random_state: Any = None,
) -> list[np.ndarray]:
    """The index arrays of one epoch's mini-batches.

    Parameters
    ----------
    n_samples : int
        Size of the data set.
    batch_size : int
        Samples per batch; the last batch is smaller when ``batch_size`` does not divide
        ``n_samples`` (unless ``drop_last``).
    shuffle : bool
        Visit the samples in a random order (a new permutation per call).
    drop_last : bool
        Leave out the last, incomplete batch.
    random_state : None, int or numpy.random.Generator
        Source of the permutation when ``shuffle``.
    """
    n_samples = check_scalar(n_samples, "n_samples", kind=int, min_val=1)
    batch_size = check_scalar(batch_size, "batch_size", kind=int, min_val=1)
    if shuffle:
        order = check_random_state(random_state).permutation(n_samples)
    else:
        order = np.arange(n_samples)
    stop = n_samples - n_samples % batch_size if drop_last else n_samples
    return [order[start : start + batch_size] for start in range(0, stop, batch_size)]


class DataLoader:
    """Iterate over ``(X_batch, y_batch)`` pairs (or ``X_batch`` alone when ``y`` is None).

    Parameters
    ----------
    X : ndarray of shape (n_samples, ...)
    y : ndarray of shape (n_samples, ...), optional
    batch_size : int, default=32
    shuffle : bool, default=False
        Reshuffle at the start of every epoch (every ``iter()``).
    drop_last : bool, default=False
        Skip the last batch when it is smaller than ``batch_size``.
    random_state : None, int or numpy.random.Generator
        An int seeds one generator for the loader's whole life, so epoch 2's order differs from
        epoch 1's and the sequence of epochs is reproducible.

    Examples
    --------
    >>> loader = DataLoader(np.arange(10.0).reshape(5, 2), np.arange(5), batch_size=2)
    >>> [len(yb) for _, yb in loader]
    [2, 2, 1]
    """

    def __init__(
        self,
        X: Any,
        y: Any = None,
        *,
        batch_size: int = 32,
        shuffle: bool = False,
        drop_last: bool = False,
        random_state: Any = None,
    ) -> None:
        self.X = np.asarray(X)
        self.y = None if y is None else np.asarray(y)
        if self.X.ndim == 0:
            raise ValueError("X must be an array with one sample per row; got a scalar.")
        if self.y is not None and len(self.y) != len(self.X):
            raise ValueError(
                f"X and y have different numbers of samples: X has {len(self.X)}, "
                f"y has {len(self.y)}."
            )
        if len(self.X) == 0:
            raise ValueError("X has 0 samples; at least 1 required.")
        self.batch_size = check_scalar(batch_size, "batch_size", kind=int, min_val=1)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self._rng = check_random_state(random_state)

    def __len__(self) -> int:
        """Number of batches per epoch."""
        n = len(self.X)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        batches = batch_indices(
            len(self.X),
            self.batch_size,
            shuffle=self.shuffle,
            drop_last=self.drop_last,
            random_state=self._rng,
        )
        if not self.shuffle:  # contiguous slices are views: no copy
            for index in batches:
                part = slice(int(index[0]), int(index[-1]) + 1)
                yield self.X[part] if self.y is None else (self.X[part], self.y[part])
            return
        for index in batches:
            yield self.X[index] if self.y is None else (self.X[index], self.y[index])
