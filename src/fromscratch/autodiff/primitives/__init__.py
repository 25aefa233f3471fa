"""THE table: every differentiable primitive with its NumPy function, JVP rule and VJP rule.

The table is split by family, one module each (import any primitive from here):

* :mod:`~fromscratch.autodiff.primitives.elementwise`: arithmetic and elementwise functions,
* :mod:`~fromscratch.autodiff.primitives.reductions`: sums, extrema, products, moments,
  cumulative sums and the softmax family,
* :mod:`~fromscratch.autodiff.primitives.shapes`: reshaping, broadcasting, indexing, joining
  and casting,
* :mod:`~fromscratch.autodiff.primitives.linalg`: ``matmul`` and ``einsum``.

Each entry reads left to right as *what it computes*, *how a tangent moves forward*, *how a
cotangent moves back*. With :math:`y = f(x)`, tangent :math:`t = \\dot x` and cotangent
:math:`g = \\bar y`:

.. math::

    \\dot y = f'(x)\\,\\dot x \\qquad\\qquad \\bar x = \\bar y\\, f'(x)

so for an elementwise function both rules multiply by the same derivative (``exp``: by ``ans``),
and for a linear map the JVP applies the map and the VJP applies its transpose (``sum``:
sum the tangent / broadcast the cotangent back).

The rules call the primitives of this table, never raw NumPy on their inputs, so they can be
differentiated again (``grad(grad(f))``, Hessians). Masks that are constant almost everywhere
(``x > 0`` for ``relu``) are plain boolean arrays: comparing boxes gives an ndarray.

Broadcasting is done once, by the engine: a VJP may return an array of the broadcast shape and
the engine sums it back with :func:`sum_to`; a JVP may return a smaller tangent and the engine
broadcasts it with :func:`broadcast_to`. Any other shape is a bug in the rule, and the engine
says so, naming the primitive.

Subgradients at non-differentiable points are chosen so nothing is NaN:

* ``abs``, ``sign``, ``relu``, ``clip`` at a kink: 0 for abs/sign/relu (PyTorch's choice), 1 on
  the closed interval for clip (also PyTorch's).
* ``maximum``/``minimum`` (and ``fmax``/``fmin``) at a tie: the cotangent is split half and
  half; ``max``/``min`` reductions share it evenly among all tied maximisers (as
  ``torch.amax``).
* ``norm`` at 0, ``hypot`` at (0, 0) and ``std`` of a constant: 0 (a valid subgradient: 0 lies
  in the unit ball).
* ``power``: :math:`\\partial x^y / \\partial x = 0` where :math:`y = 0`;
  :math:`\\partial x^y/\\partial y = x^y \\log x` for :math:`x > 0` and 0 otherwise.
* ``remainder`` (``%``) at a jump: the derivative of the piece on the right.
* ``sqrt``, ``arcsin``, ``arccos``, ``arccosh`` at the ends of their domains keep their true
  derivative, :math:`\\pm\\infty`; use ``norm`` for :math:`\\sqrt{\\sum x^2}`.

Adding a primitive: construct a :class:`Primitive` in the same way, anywhere (see its docstring).
"""

from fromscratch.autodiff.primitives import elementwise, linalg, reductions, shapes
from fromscratch.autodiff.primitives.elementwise import *  # noqa: F403
from fromscratch.autodiff.primitives.linalg import *  # noqa: F403
from fromscratch.autodiff.primitives.reductions import *  # noqa: F403
from fromscratch.autodiff.primitives.shapes import *  # noqa: F403

__all__ = [*elementwise.__all__, *reductions.__all__, *shapes.__all__, *linalg.__all__]
