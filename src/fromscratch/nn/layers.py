r"""Layers with parameters or modes: :class:`Linear`, :class:`Dropout`, :class:`Identity`,
:class:`Flatten`."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fromscratch._validation import check_random_state, check_scalar, generator_from_state
from fromscratch.nn import functional as F
from fromscratch.nn import init
from fromscratch.nn.module import Module, Parameter

__all__ = ["Linear", "Dropout", "Identity", "Flatten"]


class Linear(Module):
    r"""A fully-connected layer :math:`y = x W^\top + b`.

    Parameters
    ----------
    in_features, out_features : int
        Sizes of each input and output sample.
    bias : bool, default=True
        Learn the additive bias :math:`b`.
    random_state : None, int or numpy.random.Generator
        Source of the initial weights.
    dtype : float64 (default) or float32

    Attributes
    ----------
    weight : Parameter of shape ``(out_features, in_features)``
        PyTorch's layout; initialised like PyTorch's ``Linear``,
        :math:`W_{ij} \sim \mathcal U(-k, k)` with :math:`k = 1/\sqrt{\mathrm{in\_features}}`
        (``kaiming_uniform`` with :math:`a = \sqrt 5`).
    bias : Parameter of shape ``(out_features,)`` or None
        :math:`b_i \sim \mathcal U(-k, k)`.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        *,
        random_state: Any = None,
        dtype: Any = np.float64,
    ) -> None:
        super().__init__()
        self.in_features = check_scalar(in_features, "in_features", kind=int, min_val=1)
        self.out_features = check_scalar(out_features, "out_features", kind=int, min_val=1)
        rng = check_random_state(random_state)
        shape = (self.out_features, self.in_features)
        self.weight = Parameter(
            init.kaiming_uniform(shape, a=math.sqrt(5), random_state=rng, dtype=dtype)
        )
        bound = 1.0 / math.sqrt(self.in_features)
        self.bias = (
            Parameter(init.uniform((self.out_features,), -bound, bound, random_state=rng,
                                   dtype=dtype))
            if bias else None
        )

    def forward(self, x: Any) -> Any:
        shape = np.shape(x)
        if len(shape) < 1 or shape[-1] != self.in_features:
            raise ValueError(
                f"{self!r} got an input of shape {shape}; its last dimension must be "
                f"in_features={self.in_features} (the weight has shape "
                f"{self.weight.data.shape})."
            )
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Dropout(Module):
    r"""Inverted dropout: in training, zero each entry with probability ``p`` and scale the
    survivors by :math:`1/(1-p)`; in evaluation mode (``model.eval()``), the identity.

    Parameters
    ----------
    p : float in [0, 1], default=0.5
    random_state : None, int or numpy.random.Generator
        An int seeds one generator for the layer's life: successive calls draw new masks.

    Notes
    -----
    The generator's state is the layer's *extra state*: ``state_dict()`` holds it under
    ``"<name>._extra_state"`` and ``load_state_dict`` restores it, so training resumed from a
    checkpoint draws the masks that an uninterrupted run would have drawn. (PyTorch keeps one
    global generator outside the modules and checkpoints it separately; here each dropout layer
    owns its generator.) The state is restored into the layer's generator in place, so a
    generator shared with, say, a ``DataLoader`` is rewound for both.
    """

    def __init__(self, p: float = 0.5, *, random_state: Any = None) -> None:
        super().__init__()
        self.p = check_scalar(p, "p", min_val=0.0, max_val=1.0)
        self._rng = check_random_state(random_state)

    def forward(self, x: Any) -> Any:
        return F.dropout(x, self.p, self.training, self._rng)

    def get_extra_state(self) -> dict[str, Any]:
        """A copy of the mask generator's state (``bit_generator.state``)."""
        return dict(self._rng.bit_generator.state)

    def set_extra_state(self, state: Any) -> None:
        """Put the mask generator in ``state`` (as returned by :meth:`get_extra_state`)."""
        restored = generator_from_state(state, "the state of Dropout's generator")
        if type(restored.bit_generator) is type(self._rng.bit_generator):
            self._rng.bit_generator.state = state  # in place: a shared generator stays shared
        else:
            self._rng = restored

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Identity(Module):
    """Returns its input unchanged (a placeholder, e.g. for an optional layer)."""

    def forward(self, x: Any) -> Any:
        return x


class Flatten(Module):
    """Reshape ``(n, d1, d2, ...)`` to ``(n, d1 * d2 * ...)``, e.g. images to vectors."""

    def forward(self, x: Any) -> Any:
        import fromscratch.autodiff.numpy as anp

        shape = np.shape(x)
        if len(shape) < 2:  # torch's Flatten refuses these too (its start_dim 1 does not exist)
            raise ValueError(
                f"Flatten keeps the first (batch) dimension and flattens the others, so it needs "
                f"an input of at least 2 dimensions; got shape {shape}. One sample of d values "
                "is x.reshape(1, -1)."
            )
        return anp.reshape(x, (shape[0], -1)) if len(shape) != 2 else x
