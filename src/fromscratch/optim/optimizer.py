"""The optimizer base class: parameter groups, per-parameter state, ``step`` and ``state_dict``.

It follows ``torch.optim.Optimizer`` so that code written for PyTorch reads the same here:

* ``params`` is an iterable of :class:`~fromscratch.autodiff.Tensor` or of *parameter groups*
  (dicts with a ``"params"`` list and any hyper-parameters that differ from the defaults);
  ``optimizer.param_groups`` is the list of those dicts and ``add_param_group`` appends one.
* ``step(closure=None)`` reads each parameter's ``.grad`` and updates ``.data`` **in place**
  (a module keeps the same Tensor object); parameters whose ``.grad`` is ``None`` are skipped.
  It returns the closure's loss when a closure is given.
* ``zero_grad(set_to_none=True)`` clears the gradients.
* ``state_dict()`` / ``load_state_dict()`` save and restore the state with the same structure as
  PyTorch: ``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}`` where a
  parameter's index counts through the groups in order. Arrays are deep-copied both ways.

What a subclass writes: its constructor, whose arguments after ``params`` are its
hyper-parameters (each written once, there: ``super().__init__(params,
self._defaults_from(locals()))`` collects their values into ``defaults``); the state a parameter
starts with (``_init_state``); and one line that calls its pure update function through
:func:`apply_chunked` (``_update``). The math lives in that pure function, module level, with
its equations in the docstring.

A hyper-parameter's rule comes from its name: :data:`SHARED_RULES` gives the rule of every name
that several optimizers use (``lr`` is a real number >= 0 everywhere, ``eps`` one > 0,
``maximize`` a bool...). A subclass writes ``_rules`` (name -> checker) only for the names that
are its own (L-BFGS's ``history_size``) or whose rule differs (L-BFGS's ``lr`` must be > 0).
When the class is defined, its constructor's signature is read and ``_rules`` becomes the full
table, one rule per hyper-parameter; a hyper-parameter with no rule, shared or own, is a
``TypeError`` then, so none escapes validation.

Two deliberate differences from PyTorch: a parameter listed twice is an error (PyTorch only
warns, then updates it twice), and hyper-parameters are validated in every group, not only the
defaults.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from fromscratch._config import get_config
from fromscratch._param_validation import (
    decay_pair,
    flag,
    non_negative,
    positive,
    unit_interval,
)
from fromscratch.autodiff import Tensor

__all__ = [
    "Optimizer",
    "apply_chunked",
    "CHUNK_BYTES",
    "SHARED_RULES",
]

#: The rule of every hyper-parameter name that several optimizers use: a name means the same
#: thing, and takes the same values, in each of them (the names are ``torch.optim``'s). An
#: optimizer's own ``_rules`` add the names only it has and replace a rule where it differs.
SHARED_RULES: dict[str, Callable[[Any, str], Any]] = {
    # a real number >= 0: step sizes, penalties, momentum factors, Adagrad's starting sum
    "lr": non_negative,
    "lr_decay": non_negative,
    "weight_decay": non_negative,
    "momentum": non_negative,
    "momentum_decay": non_negative,
    "initial_accumulator_value": non_negative,
    # a real number > 0: it keeps a denominator away from zero
    "eps": positive,
    # a decay rate in [0, 1]
    "dampening": unit_interval,
    "rho": unit_interval,
    "alpha": unit_interval,
    # Adam's pair (beta1, beta2) of decay rates, each in [0, 1)
    "betas": decay_pair,
    # True or False
    "maximize": flag,
    "nesterov": flag,
    "centered": flag,
    "amsgrad": flag,
    "decoupled_weight_decay": flag,
}

#: Bytes per array per chunk in :func:`apply_chunked` (64K float64 or 128K float32 values): a
#: chunk of each array and the few chunk-sized temporaries of an update stay in the L2 cache
#: instead of streaming through memory. Measured in benchmarks/bench_optim.py.
CHUNK_BYTES = 512 * 1024

#: An update is split across threads only when each thread gets at least this many chunks
#: (below that, handing work to a thread costs more than it saves).
_MIN_CHUNKS_PER_THREAD = 8

#: The library's only threads: one pool per thread count, created on first use (most programs
#: never need one) and kept for the life of the process. ``fromscratch.set_config(n_threads=1)``
#: means no pool is ever made.
_pools: dict[int, ThreadPoolExecutor] = {}


def _thread_pool(n_threads: int) -> ThreadPoolExecutor:
    """The pool of ``n_threads`` threads, created on first use."""
    if n_threads not in _pools:
        _pools[n_threads] = ThreadPoolExecutor(max_workers=n_threads, thread_name_prefix="optim")
    return _pools[n_threads]


def apply_chunked(
    update: Callable[..., None],
    arrays: Iterable[np.ndarray | None],
    chunk_size: int | None = None,
    **scalars: Any,
) -> None:
    """Call an elementwise, in-place ``update(*arrays, **scalars)`` on cache-sized pieces.

    Every optimizer update is elementwise, so applying it to consecutive slices of the
    flattened arrays gives exactly (bit for bit) the result of one call on the whole arrays,
    in any order and on any thread. The benefit is speed: the temporaries the update creates
    (``g * g``, ``sqrt(v) + eps``...) are the size of a chunk and stay in cache, instead of
    being parameter-sized arrays that cost a trip to memory each; and a large update is shared
    by ``n_threads`` threads (:func:`fromscratch.set_config`; default: the number of CPUs),
    each taking a contiguous run of chunks — NumPy releases the GIL inside its ufuncs, so the
    chunks run truly in parallel. With ``n_threads=1`` every chunk runs in the calling thread.
    The textbook form of an update is the one call on the whole arrays; the tests check that
    the chunked, threaded form equals it bit for bit.

    Parameters
    ----------
    update : callable
        Updates its array arguments in place; ``None`` arguments (state an option turned off,
        e.g. no momentum buffer) are passed through as ``None``.
    arrays : iterable of ndarray or None
        Arrays of the same size. Those written to must be C-contiguous for the chunks to be
        views; if any array is not, the update runs once on the whole arrays.
    chunk_size : int, optional
        Elements per chunk; default :data:`CHUNK_BYTES` worth of the first array's dtype.
    **scalars
        Hyper-parameters passed unchanged to every call.
    """
    arrays = list(arrays)
    present = [a for a in arrays if a is not None]
    if chunk_size is None:
        chunk_size = max(1, CHUNK_BYTES // present[0].itemsize)
    size = present[0].size
    if size <= chunk_size or not all(a.flags.c_contiguous for a in present):
        update(*arrays, **scalars)
        return
    flat = [None if a is None else a.reshape(-1) for a in arrays]

    def run(starts: range) -> None:
        for start in starts:
            stop = start + chunk_size
            update(*(None if a is None else a[start:stop] for a in flat), **scalars)

    starts = range(0, size, chunk_size)
    n_threads = min(get_config()["n_threads"], len(starts) // _MIN_CHUNKS_PER_THREAD)
    if n_threads <= 1:
        run(starts)
        return
    per_thread = -(-len(starts) // n_threads)  # ceiling division
    runs = [starts[i : i + per_thread] for i in range(0, len(starts), per_thread)]
    list(_thread_pool(n_threads).map(run, runs))  # waits for all; re-raises an update's error


class _StateByIdentity(MutableMapping):
    """``optimizer.state[p]``: per-parameter state keyed by the Tensor's identity.

    Keying by ``id`` keeps the optimizer independent of whether ``Tensor`` defines ``__eq__``
    (an elementwise ``__eq__`` makes an object unhashable); the Tensor itself is kept alongside
    so its id cannot be reused while the state exists.
    """

    def __init__(self) -> None:
        self._items: dict[int, tuple[Tensor, dict[str, Any]]] = {}

    def __getitem__(self, p: Tensor) -> dict[str, Any]:
        if id(p) not in self._items:  # a fresh parameter starts with empty state, as in torch
            self._items[id(p)] = (p, {})
        return self._items[id(p)][1]

    def __setitem__(self, p: Tensor, value: dict[str, Any]) -> None:
        self._items[id(p)] = (p, value)

    def __delitem__(self, p: Tensor) -> None:
        del self._items[id(p)]

    def __contains__(self, p: object) -> bool:
        return id(p) in self._items

    def __iter__(self) -> Iterator[Tensor]:
        return (p for p, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __deepcopy__(self, memo: dict[int, Any]) -> _StateByIdentity:
        """A copy keyed by the identities of the *copied* parameters: ``copy.deepcopy`` of an
        optimizer (with its parameters) gives one whose state follows the copies."""
        copied = _StateByIdentity()
        for p, value in self._items.values():
            copied[copy.deepcopy(p, memo)] = copy.deepcopy(value, memo)
        return copied


def _records_call(step: Callable[..., Any]) -> Callable[..., Any]:
    """``step`` that first notes that it was called (``_step_called``): a learning-rate
    scheduler stepped before its optimizer ever was warns, since it skips its first rate."""

    @functools.wraps(step)
    def recorded(self: Optimizer, *args: Any, **kwargs: Any) -> Any:
        self._step_called = True
        return step(self, *args, **kwargs)

    return recorded


class Optimizer:
    """Base class of the optimizers (``torch.optim.Optimizer``'s contract).

    Parameters
    ----------
    params : iterable of Tensor, or iterable of dict
        The parameters to optimize, or parameter groups: dicts with a ``"params"`` list and
        hyper-parameters that override ``defaults`` for that group.
    defaults : dict
        Hyper-parameter values for groups that do not set them.

    Attributes
    ----------
    param_groups : list of dict
        Each group's ``"params"`` (a list of Tensors) and its hyper-parameters. A learning-rate
        scheduler changes ``group["lr"]`` here.
    state : mapping Tensor -> dict
        Per-parameter state (step counts, moment estimates...), created on the first step.
    defaults : dict
        The hyper-parameters given to the constructor.
    """

    #: Hyper-parameter name -> checker(value, name) returning the validated value. A class
    #: body writes only the rules that are its own or differ from :data:`SHARED_RULES`; once the
    #: class is defined, this is the full table of its hyper-parameters (see
    #: :meth:`_hyper_parameter_rules`).
    _rules: dict[str, Callable[[Any, str], Any]] = {}

    #: Whether the hyper-parameters are the constructor's arguments after ``params``. A class
    #: whose hyper-parameters are not known until it is called (``FunctionalOptimizer``'s
    #: ``**hyper``) sets it to False and checks them in its own ``_check_hyper``.
    _hyper_from_signature = True

    #: Whether ``step`` has been called (see :func:`_records_call`).
    _step_called = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Read the hyper-parameters from the constructor and give each its rule; and a
        subclass that writes its own ``step`` (L-BFGS, Newton, a user's optimizer) records its
        calls as the base class's does."""
        super().__init_subclass__(**kwargs)
        if cls._hyper_from_signature:
            cls._rules = cls._hyper_parameter_rules()
        if "step" in vars(cls):
            cls.step = _records_call(vars(cls)["step"])  # type: ignore[method-assign]

    @classmethod
    def _hyper_parameter_rules(cls) -> dict[str, Callable[[Any, str], Any]]:
        """Every hyper-parameter's rule, in the order of the constructor's arguments.

        The hyper-parameters are the arguments after ``params`` of each constructor in the
        class's hierarchy (AdamW's and, since it calls Adam's, Adam's); ``*args`` and
        ``**kwargs`` only pass arguments on. A name's rule is the nearest class's ``_rules``
        entry, else the shared one. A hyper-parameter without a rule, or a rule of the class's
        own without a hyper-parameter, is a TypeError.
        """
        known = dict(SHARED_RULES)
        taken_by: dict[str, str] = {}  # hyper-parameter -> the class whose constructor takes it
        for klass in reversed(cls.__mro__):
            if not issubclass(klass, Optimizer) or klass is Optimizer:
                continue
            known.update(vars(klass).get("_rules", {}))
            if "__init__" in vars(klass):
                arguments = list(inspect.signature(vars(klass)["__init__"]).parameters.values())
                for argument in arguments[2:]:  # after self and params
                    if argument.kind not in (argument.VAR_POSITIONAL, argument.VAR_KEYWORD):
                        taken_by.setdefault(argument.name, klass.__name__)
        for name in vars(cls).get("_rules", {}):
            if name not in taken_by:
                raise TypeError(
                    f"{cls.__name__}._rules has a rule for {name!r}, which no constructor "
                    "argument is: it would check nothing."
                )
        for name, owner in taken_by.items():
            if name not in known:
                raise TypeError(
                    f"{owner}.__init__ takes the hyper-parameter {name!r}, which has no rule: "
                    f"add {name!r}: checker(value, name) to {cls.__name__}._rules (the "
                    f"shared rules cover {', '.join(SHARED_RULES)})."
                )
        return {name: known[name] for name in taken_by}

    def __init__(self, params: Iterable[Tensor] | Iterable[dict[str, Any]], defaults: dict) -> None:
        self.defaults = self._check_hyper(defaults, where="")
        self.state: MutableMapping[Tensor, dict[str, Any]] = _StateByIdentity()
        self.param_groups: list[dict[str, Any]] = []

        if isinstance(params, Tensor):
            raise TypeError(
                "params must be an iterable of Tensors or of parameter-group dicts, got a single "
                "Tensor; wrap it in a list: [tensor]."
            )
        if isinstance(params, (set, frozenset)):
            raise TypeError(
                "params must be an ordered collection (list or tuple), not a set: the order of "
                "a set changes between runs, and state_dict() refers to parameters by position."
            )
        try:
            groups: list[Any] = list(params)
        except TypeError:
            raise TypeError(
                "params must be an iterable of Tensors or of parameter-group dicts, got "
                f"{type(params).__name__} {params!r}."
            ) from None
        if not groups:
            raise ValueError("params is an empty list; the optimizer needs at least one Tensor.")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def _defaults_from(cls, arguments: dict[str, Any]) -> dict[str, Any]:
        """``defaults`` from a constructor's own arguments: ``super().__init__(params,
        self._defaults_from(locals()))`` takes the value of every hyper-parameter (every
        argument after ``params``, the names of ``_rules``), so each is written once, in the
        signature."""
        return {name: arguments[name] for name in cls._rules}

    def _check_hyper(self, hyper: dict[str, Any], where: str) -> dict[str, Any]:
        """Validate the hyper-parameters present in ``hyper``; return them normalised."""
        checked = dict(hyper)
        for name, rule in self._rules.items():
            if name in hyper:
                checked[name] = rule(hyper[name], f"{where}{name}")
        self._check_combination(checked, where)
        return checked

    def _check_combination(self, hyper: dict[str, Any], where: str) -> None:
        """Checks that involve several hyper-parameters (e.g. Nesterov needs momentum)."""

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Append a parameter group; missing hyper-parameters are taken from ``defaults``.

        Useful when fine-tuning: frozen layers can be made trainable mid-training.
        """
        if not isinstance(param_group, dict):
            raise TypeError(
                f"param_group must be a dict with a 'params' key, got {type(param_group).__name__}."
            )
        index = len(self.param_groups)
        where = f"param_groups[{index}]"
        if "params" not in param_group:
            raise ValueError(f"{where} has no 'params' key; it must list the group's Tensors.")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(f"{where}['params'] must be a list or tuple, not a set (unordered).")
        params = list(params)
        if not params:
            raise ValueError(f"{where}['params'] is empty; a group needs at least one Tensor.")
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"{where}['params'][{i}] is a {type(p).__name__}, but optimizers update "
                    "fromscratch.autodiff.Tensor objects; wrap arrays with Tensor(array, "
                    "requires_grad=True)."
                )
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        for i, p in enumerate(params):
            if id(p) in seen:
                raise ValueError(
                    f"{where}['params'][{i}] is a parameter given twice (in this group or an "
                    "earlier one); each Tensor may appear once, or it would be updated twice."
                )
            seen.add(id(p))

        hyper = {k: v for k, v in param_group.items() if k != "params"}
        unknown = sorted(set(hyper) - set(self.defaults) - {"initial_lr"})
        if unknown:
            raise ValueError(
                f"{where} has unknown hyper-parameter(s) {unknown}; {type(self).__name__} "
                f"accepts {sorted(self.defaults)}."
            )
        group = {"params": params, **self.defaults, **hyper}
        self.param_groups.append({"params": params, **self._check_hyper(group, f"{where}.")})

    # --- the training loop's calls --------------------------------------------------------------

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient: ``grad = None`` (default) or fill it with zeros.

        ``None`` is cheaper and lets ``step`` skip parameters that got no gradient.
        """
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad[...] = 0

    @_records_call
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; return ``closure()``'s loss, if given.

        ``closure`` re-evaluates the model and its gradients (it is needed by methods that
        evaluate the loss several times per step, e.g. a line search); it runs before the update.
        """
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state.update(self._init_state(p, group))
                self._update(p, self._checked_grad(p), state, group)
        return loss

    def _checked_grad(self, p: Tensor) -> np.ndarray:
        """``p.grad`` as an array of the parameter's shape and dtype, with a clear error if not."""
        grad = np.asarray(p.grad)
        if grad.shape != p.data.shape:
            raise ValueError(
                f"a parameter of shape {p.data.shape} has a gradient of shape {grad.shape}; "
                "they must match."
            )
        if grad.dtype != p.data.dtype:
            grad = grad.astype(p.data.dtype)
        return grad

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        """The state a parameter starts with (called on its first step)."""
        raise NotImplementedError

    def _update(
        self, p: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        """Apply one update to ``p.data`` (in place) and to ``state``."""
        raise NotImplementedError

    # --- saving and restoring ---------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state and hyper-parameters, with parameters replaced by indices.

        Returns
        -------
        dict
            ``{"state": {index: {name: value}}, "param_groups": [{..., "params": [index...]}]}``.
            Indices count through the groups in order; only parameters that have state appear.
            Arrays are copies: later steps do not change a saved state dict.
        """
        index_of: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            indices = []
            for p in group["params"]:
                index_of.setdefault(id(p), len(index_of))
                indices.append(index_of[id(p)])
            groups.append({**copy.deepcopy({k: v for k, v in group.items() if k != "params"}),
                           "params": indices})
        state = {
            index_of[id(p)]: copy.deepcopy(s) for p, s in self.state.items() if s
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict` into this optimizer's parameters.

        The optimizer must have the same number of groups, with the same number of parameters
        each; arrays must have the parameters' shapes. Arrays are copied (and cast to the
        parameter's dtype); hyper-parameters are validated like the constructor's.
        """
        if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= set(state_dict):
            raise ValueError(
                "state_dict must be a dict with keys 'state' and 'param_groups', as returned by "
                "Optimizer.state_dict()."
            )
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"state_dict has {len(saved_groups)} parameter group(s), this optimizer has "
                f"{len(self.param_groups)}."
            )
        params_by_index: dict[int, Tensor] = {}
        new_groups = []
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups, strict=True)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"param_groups[{i}] has {len(saved['params'])} parameter(s) in state_dict "
                    f"but {len(group['params'])} in this optimizer."
                )
            params_by_index.update(zip(saved["params"], group["params"], strict=True))
            hyper = copy.deepcopy({k: v for k, v in saved.items() if k != "params"})
            new_groups.append(
                {"params": group["params"], **self._check_hyper(hyper, f"param_groups[{i}].")}
            )

        new_state = _StateByIdentity()
        for index, saved_state in state_dict["state"].items():
            p = params_by_index.get(int(index))
            if p is None:
                raise ValueError(f"state_dict has state for parameter {index}, which no group has.")
            new_state[p] = {k: _restore_value(v, p, k) for k, v in saved_state.items()}
        self.param_groups = new_groups
        self.state = new_state

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines) + "\n)"


def _restore_value(value: Any, p: Tensor, name: str) -> Any:
    """A copy of one saved state entry; arrays are cast to the parameter's dtype and checked."""
    if isinstance(value, (np.ndarray, list)):
        array = np.array(value, dtype=p.data.dtype)  # np.array copies
        if array.shape != p.data.shape:
            raise ValueError(
                f"state entry {name!r} has shape {array.shape}, but its parameter has shape "
                f"{p.data.shape}."
            )
        return array
    return copy.deepcopy(value)
