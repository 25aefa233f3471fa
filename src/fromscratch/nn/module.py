r"""``Module`` and ``Parameter``: PyTorch's way of organising a model, on the autodiff engine.

A :class:`Module` is an object with a ``forward`` method whose trainable arrays are
*parameters*: Tensors that require gradients, made with :class:`Parameter`. Parameters are
*discovered*, not declared: assigning a parameter to an attribute registers it, and
``named_parameters()`` walks the module's attributes in the order they were set, recursing into
attributes that are modules (and into lists of modules, via :class:`ModuleList` or
:class:`Sequential`). So a model is written the PyTorch
way::

    class TwoLayer(Module):
        def __init__(self):
            super().__init__()
            self.hidden = Linear(2, 8)
            self.out = Linear(8, 1)

        def forward(self, x):
            return self.out(anp.tanh(self.hidden(x)))

and ``TwoLayer().parameters()`` yields ``hidden.weight, hidden.bias, out.weight, out.bias``.

A ``state_dict()`` maps those dotted names to copies of the arrays; it is plain data, so
``fromscratch.save(model.state_dict(), path)`` stores it without pickle, and
``model.load_state_dict(fromscratch.load(path))`` puts it back (into the same arrays, so an
optimizer built on the model keeps working). A layer with state that is not a parameter adds it
under ``"<name>._extra_state"``, as PyTorch does (:meth:`Module.get_extra_state`): here that is
:class:`~fromscratch.nn.Dropout`'s random generator, because a module owns its generator (PyTorch
keeps one global generator outside the modules). So a checkpoint of the model resumes training
with the same dropout masks as a run that was never interrupted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import numpy as np

from fromscratch.autodiff import Tensor

__all__ = ["Parameter", "Module", "ModuleList", "Sequential", "IncompatibleKeys"]

EXTRA_STATE = "_extra_state"  # the state_dict key of a module's extra state, as in PyTorch


class Parameter(Tensor):
    """A trainable array: ``Parameter(data)`` is a leaf Tensor with ``requires_grad=True``.

    Assigned to an attribute of a :class:`Module` (``self.weight = Parameter(w)``), it is
    registered as one of the module's parameters (see :meth:`Module.__setattr__`). float32 data
    stays float32; anything else becomes float64 (as for every Tensor). As in PyTorch it is a
    Tensor subclass: ``isinstance(p, Parameter)`` and ``isinstance(p, Tensor)`` both hold, and
    operations on parameters return plain Tensors.
    """

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True) -> None:
        super().__init__(data, requires_grad=requires_grad)


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` could not match."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class Module:
    """Base class of every layer and model.

    Subclasses set parameters and sub-modules as attributes and implement ``forward``; calling
    the module calls ``forward``. ``training`` is ``True`` until :meth:`eval` (layers such as
    :class:`~fromscratch.nn.Dropout` behave differently in evaluation).
    """

    training: bool = True

    def __init__(self) -> None:
        self.training = True

    def __setattr__(self, name: str, value: Any) -> None:
        """Register a leaf Tensor that requires grad as a parameter named ``name``.

        The registration is remembered, so a parameter frozen later (``requires_grad =
        False``) stays in ``parameters()`` and ``state_dict()``, as in PyTorch; assigning a
        non-Tensor to the name unregisters it. A Tensor that does not require grad (a
        constant) is a plain attribute.
        """
        registered = self.__dict__.setdefault("_parameter_names", {})
        if isinstance(value, Tensor) and (name in registered or (
                value.requires_grad and value.is_leaf)):
            registered[name] = None  # a dict: an ordered set
        else:
            registered.pop(name, None)
        object.__setattr__(self, name, value)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement forward().")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # -- discovery ----------------------------------------------------------------------------

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules, with their attribute names, in the order they were set."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module and all its descendants (depth first), each once."""
        seen: set[int] = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [
                (f"{name}.{child_name}" if name else child_name, child)
                for child_name, child in module.named_children()
            ]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_parameters(self) -> Iterator[tuple[str, Tensor]]:
        """Every parameter with its dotted name (``"0.weight"``, ``"hidden.bias"``), each once
        even when a module shares it (weight tying)."""
        seen: set[int] = set()
        for module_name, module in self.named_modules():
            for name in vars(module).get("_parameter_names", ()):
                value = getattr(module, name)
                if id(value) not in seen:
                    seen.add(id(value))
                    yield (f"{module_name}.{name}" if module_name else name), value

    def parameters(self) -> Iterator[Tensor]:
        """The parameters, for an optimizer: ``Adam(model.parameters())``."""
        for _, p in self.named_parameters():
            yield p

    # -- modes and gradients ------------------------------------------------------------------

    def train(self, mode: bool = True) -> Module:
        """Set training mode (``mode=True``) or evaluation mode on this module and its children."""
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"mode must be True or False, got {mode!r}.")
        for module in self.modules():
            module.training = bool(mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient (``None``, or zeros with ``set_to_none=False``)."""
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad = np.zeros_like(p.data)

    def to(self, dtype: Any) -> Module:
        """Convert every parameter to ``dtype`` (float32 or float64), in place; returns self.

        ``to(np.float32)``, ``to("float32")``: new arrays of that dtype. Build the optimizer
        *after* converting: the parameters get new arrays.

        ``to("cpu")`` is accepted and changes nothing, as on a CPU-only PyTorch build, so
        PyTorch code that moves a model to the CPU runs unchanged. fromscratch computes with
        NumPy on the CPU: there are no other devices (``to("cuda")`` raises a ``TypeError``).
        """
        if isinstance(dtype, str) and dtype.partition(":")[0] == "cpu":
            return self
        try:
            target = None if dtype is None else np.dtype(dtype)
        except (TypeError, ValueError):
            target = None
        if target not in (np.float32, np.float64):
            raise TypeError(
                "to() takes a dtype, float32 or float64 (np.float32, 'float32', ...), or the "
                "device 'cpu', which changes nothing: fromscratch computes with NumPy on the CPU "
                f"and has no other devices. Got {dtype!r}."
            )
        for p in self.parameters():
            p.data = p.data.astype(target)
            p.grad = None
        return self

    # -- state dicts --------------------------------------------------------------------------

    def get_extra_state(self) -> Any:
        """State of this module that is not a parameter, for ``state_dict()`` (PyTorch's hook).

        A layer that has such state (a random generator, a running statistic) overrides this
        and :meth:`set_extra_state`; it is saved under ``"<module name>._extra_state"``. It
        must be data that ``fromscratch.save`` stores (dicts, numbers, strings, arrays) and a
        copy, not a view of the live state. The base class has none.
        """
        raise NotImplementedError(f"{type(self).__name__} has no extra state.")

    def set_extra_state(self, state: Any) -> None:
        """Restore what :meth:`get_extra_state` returned (raise ``ValueError`` if it does not
        fit, before changing anything)."""
        raise NotImplementedError(f"{type(self).__name__} has no extra state.")

    def _named_extra_states(self) -> Iterator[tuple[str, Module]]:
        """``("<module name>._extra_state", module)`` for each module that has extra state."""
        for name, module in self.named_modules():
            if type(module).get_extra_state is not Module.get_extra_state:
                yield (f"{name}.{EXTRA_STATE}" if name else EXTRA_STATE), module

    def state_dict(self) -> dict[str, Any]:
        """Copies of the parameter arrays, keyed by dotted name, in discovery order, then the
        extra state of the modules that have one (:meth:`get_extra_state`)."""
        state: dict[str, Any] = {name: p.data.copy() for name, p in self.named_parameters()}
        for key, module in self._named_extra_states():
            state[key] = module.get_extra_state()
        return state

    def load_state_dict(self, state_dict: dict[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy the arrays of ``state_dict`` into this module's parameters (in place), and
        restore the modules' extra state (:meth:`set_extra_state`).

        Parameters
        ----------
        state_dict : dict of str to array-like
            As returned by :meth:`state_dict` (or read back by ``fromscratch.load``).
        strict : bool, default=True
            Require exactly the same keys. With ``strict=False`` matching keys are loaded and
            the others are returned.

        Raises
        ------
        ValueError
            Missing or unexpected keys (with ``strict``), an array whose shape differs from
            its parameter's, or an extra state that does not fit its module; every problem
            with the parameters is listed. Nothing is loaded when there is an error.
        """
        if not isinstance(state_dict, dict):
            raise TypeError(
                f"state_dict must be a dict of name -> array, got {type(state_dict).__name__}."
            )
        own = dict(self.named_parameters())
        extra = dict(self._named_extra_states())
        missing = [k for k in [*own, *extra] if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own and k not in extra]
        problems = []
        if strict and missing:
            problems.append(f"missing keys {missing}")
        if strict and unexpected:
            problems.append(f"unexpected keys {unexpected}")
        values = {}
        for name in own.keys() & state_dict.keys():
            value = state_dict[name]
            value = value.data if isinstance(value, Tensor) else np.asarray(value)
            if value.shape != own[name].data.shape:
                problems.append(
                    f"{name!r} has shape {value.shape} in state_dict but "
                    f"{own[name].data.shape} in the model"
                )
            elif value.dtype.kind not in "fiu":
                problems.append(f"{name!r} has non-numeric dtype {value.dtype}")
            values[name] = value
        if problems:
            raise ValueError(
                f"Error(s) loading state_dict into {type(self).__name__}: " + "; ".join(problems)
                + "."
            )
        self._load_extra_states({k: state_dict[k] for k in extra if k in state_dict}, extra)
        for name, value in values.items():
            own[name].data[...] = value  # in place: optimizers hold these very arrays
        return IncompatibleKeys(missing, unexpected)

    @staticmethod
    def _load_extra_states(states: dict[str, Any], modules: dict[str, Module]) -> None:
        """Set each module's extra state; if one does not fit, restore those already set."""
        saved = {key: modules[key].get_extra_state() for key in states}
        done = []
        try:
            for key, state in states.items():
                modules[key].set_extra_state(state)
                done.append(key)
        except (TypeError, ValueError) as exc:
            for key in done:
                modules[key].set_extra_state(saved[key])
            raise ValueError(f"Error loading state_dict: {key!r} does not fit: {exc}") from exc

    # -- display ------------------------------------------------------------------------------

    def extra_repr(self) -> str:
        """The constructor arguments shown by ``repr`` (override in layers)."""
        return ""

    def __repr__(self) -> str:
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        for name, child in children:
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        return "\n".join(lines) + "\n)"


class ModuleList(Module):
    """A list of modules whose parameters are discovered (a plain list would hide them).

    Items are stored as attributes named ``"0"``, ``"1"``..., so parameter names are
    ``"0.weight"`` etc., as in PyTorch.
    """

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        super().__init__()
        for module in modules:
            self.append(module)

    def append(self, module: Module) -> ModuleList:
        if not isinstance(module, Module):
            raise TypeError(
                f"{type(self).__name__} holds Modules; item {len(self)} is a "
                f"{type(module).__name__}."
            )
        setattr(self, str(len(self)), module)
        return self

    def __len__(self) -> int:
        return sum(1 for _ in self.named_children())

    def __iter__(self) -> Iterator[Module]:
        return self.children()

    def __getitem__(self, index: int | slice) -> Module:
        """The module at ``index``; a slice gives a new container of the same kind holding
        the same (shared, not copied) modules, numbered from 0: ``model[:-1]`` is the network
        without its last layer."""
        items = list(self.children())
        if isinstance(index, slice):
            return self._of(items[index])
        return items[index]

    @classmethod
    def _of(cls, modules: list[Module]) -> ModuleList:
        return cls(modules)


class Sequential(ModuleList):
    """Modules applied one after the other: ``Sequential(Linear(2, 8), Tanh(), Linear(8, 1))``.

    When a layer rejects its input (e.g. a shape mismatch), the error names the layer's position
    and the shape that the previous layer produced.
    """

    def __init__(self, *modules: Module) -> None:
        super().__init__(modules)

    @classmethod
    def _of(cls, modules: list[Module]) -> Sequential:
        return cls(*modules)

    def forward(self, x: Any) -> Any:
        for index, layer in enumerate(self):
            try:
                x = layer(x)
            except ValueError as exc:
                shape = getattr(x, "shape", None)
                raise ValueError(
                    f"Sequential layer [{index}] {layer!r} could not process its input of shape "
                    f"{shape}: {exc}"
                ) from exc
        return x
