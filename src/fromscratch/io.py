"""Save and load models without pickle: arrays in ``.npz``, everything else in JSON.

``save(obj, path)`` accepts a fitted or unfitted estimator, a ``state_dict()`` of a module or an
optimizer, or any tree of dicts, lists, tuples, numbers, strings, slices, dtypes and arrays.
``load(path)`` gives it back exactly: same classes, same dtypes, bit-identical arrays. Both take
the path the same way: ``save(obj, "model")`` writes ``model.npz``, and ``load("model")`` and
``load("model.npz")`` both read it.

Object arrays (the ``feature_names_in_`` of an estimator fitted on a pandas DataFrame, the
``categories_`` of string columns) are stored element by element in the JSON header, as long as
every element is a string, a number, a boolean or None; they come back as object arrays.

Why not pickle? Unpickling runs code chosen by whoever wrote the file. Here the file is data:

* arrays are read with ``numpy.load(..., allow_pickle=False)``, so an object array in the file
  is refused;
* classes are named in the JSON header and only classes defined inside ``fromscratch`` can be
  named; they are rebuilt through their own ``__init__`` with the saved hyper-parameters, then
  the learned attributes (names ending in ``_``) are set;
* every array and the header carry a SHA-256 digest, so a truncated, tampered or foreign file
  is reported with a clear ``ValueError`` instead of loading garbage;
* a ``format_version`` lets later versions refuse (or convert) files they do not understand.
  Version 2 added object arrays, slices and dtypes (a version-1 reader would not recognise
  them, so it refuses the file); version-1 files are read as before.

File layout: a NumPy ``.npz`` archive holding ``__header__`` (UTF-8 JSON as ``uint8``) and the
arrays ``a0, a1, ...`` the header refers to.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["save", "load", "FORMAT_VERSION"]

#: The version of the file format that :func:`save` writes; :func:`load` refuses files of a
#: later version.
FORMAT_VERSION = 2
_MAGIC = "fromscratch"
_HEADER = "__header__"
_HEADER_DIGEST = "__header_sha256__"


#: Where the classes that files of earlier versions name live now (0.1.0 wrote module paths).
_MOVED = {
    "fromscratch.preprocessing.Pipeline": "fromscratch.compose.Pipeline",
    "fromscratch.preprocessing.ColumnTransformer": "fromscratch.compose.ColumnTransformer",
}


def _class_path(cls: type) -> str:
    """The class's public name (``fromscratch.linear_model.ElasticNet``, not the private module
    that defines it), so that files survive the library's internal moves."""
    parts = cls.__module__.split(".")
    for depth in range(1, len(parts) + 1):
        package = ".".join(parts[:depth])
        if getattr(importlib.import_module(package), cls.__qualname__, None) is cls:
            return f"{package}.{cls.__qualname__}"
    return f"{cls.__module__}.{cls.__qualname__}"


def _resolve_class(path: Any) -> type:
    """The class named by ``path``, refusing anything defined outside fromscratch."""
    if not isinstance(path, str) or not (path == "fromscratch" or path.startswith("fromscratch.")):
        raise ValueError(f"refusing to load class {path!r}: only fromscratch classes are allowed")
    module_name, _, name = _MOVED.get(path, path).rpartition(".")
    try:
        obj = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        raise ValueError(f"the file names class {path!r}, which does not exist") from None
    if not isinstance(obj, type) or not obj.__module__.startswith("fromscratch"):
        raise ValueError(f"refusing to load {path!r}: it is not a fromscratch class")
    return obj


class _Encoder:
    """Turns a value tree into JSON-able data, moving arrays aside.

    ``where`` is the location of the value being encoded (``"LinearRegression.coef_"``,
    ``"the object['weight']"``), so that a value that cannot be saved is named in the error.
    """

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def array(self, value: np.ndarray, where: str) -> dict:
        if value.dtype == object:
            return self.object_array(value, where)
        if value.dtype.kind not in "biufcUS":
            raise TypeError(
                f"cannot save {where}: an array of dtype {value.dtype}; only arrays of numbers, "
                "booleans and strings are stored"
            )
        key = f"a{len(self.arrays)}"
        self.arrays[key] = value
        return {"__array__": key, "sha256": _digest(value)}

    def object_array(self, value: np.ndarray, where: str) -> dict:
        """An object array of strings/numbers (feature names, categories), element by element
        in the header: storing Python objects in the archive would need pickle."""
        items = []
        for index, item in enumerate(value.flat):
            if not (item is None or isinstance(item, (bool, int, float, str, np.generic))):
                raise TypeError(
                    f"cannot save {where}: an object array whose element {index} is a "
                    f"{type(item).__name__}; object arrays are stored only when every element "
                    "is a string, a number, a boolean or None (anything else would need pickle)"
                )
            items.append(self.encode(item, where))
        return {"__object_array__": items, "shape": list(value.shape)}

    def encode(self, value: Any, where: str = "the object") -> Any:
        from fromscratch.autodiff import Tensor
        from fromscratch.base import BaseEstimator

        if isinstance(value, np.generic):  # first: np.float64 and np.str_ subclass float, str
            return {"__scalar__": value.dtype.str, "value": value.item()}
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return value  # json writes inf/nan as Infinity/NaN and reads them back
        if isinstance(value, np.ndarray):
            return self.array(value, where)
        if isinstance(value, (list, tuple)):
            items = [self.encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
            return items if isinstance(value, list) else {"__tuple__": items}
        if isinstance(value, dict):
            if all(isinstance(k, str) and not k.startswith("__") for k in value):
                return {k: self.encode(v, f"{where}[{k!r}]") for k, v in value.items()}
            return {"__items__": [[self.encode(k, f"a key of {where}"),
                                   self.encode(v, f"{where}[{k!r}]")]
                                  for k, v in value.items()]}
        if isinstance(value, slice):
            return {"__slice__": [self.encode(getattr(value, part), where)
                                  for part in ("start", "stop", "step")]}
        if isinstance(value, np.dtype) or (isinstance(value, type)
                                           and issubclass(value, np.generic)):
            # A dtype parameter such as OneHotEncoder(dtype=np.float64): the type or a dtype.
            return {"__dtype__": np.dtype(value).str, "type": isinstance(value, type)}
        if isinstance(value, type):
            try:
                _resolve_class(_class_path(value))  # only fromscratch classes round-trip
            except ValueError:
                raise TypeError(
                    f"cannot save {where}: the class {_class_path(value)}; only classes "
                    "defined in fromscratch and NumPy scalar types are stored"
                ) from None
            return {"__class__": _class_path(value)}
        if isinstance(value, Tensor):  # or a subclass, such as nn.Parameter
            return {"__tensor__": self.array(value.data, where),
                    "requires_grad": value.requires_grad, "class": _class_path(type(value))}
        if isinstance(value, BaseEstimator):
            return self.estimator(value, where)
        if isinstance(value, np.random.Generator):
            return {"__generator__": self.encode(value.bit_generator.state, where)}
        raise TypeError(
            f"cannot save {where}: a value of type {type(value).__name__}; fromscratch.save "
            "stores estimators, state dicts, and trees of dicts/lists/tuples/numbers/strings/"
            "arrays"
        )

    def estimator(self, estimator: Any, where: str) -> dict:
        name = type(estimator).__name__
        where = name if where == "the object" else f"{where} ({name})"
        learned = {
            attribute: self.encode(value, f"{where}.{attribute}")
            for attribute, value in vars(estimator).items()
            if attribute.endswith("_") and not attribute.startswith("_")
        }
        return {
            "__estimator__": _class_path(type(estimator)),
            "params": self.encode(estimator.get_params(deep=False), f"the parameters of {where}"),
            "learned": learned,
        }


class _Decoder:
    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays

    def array(self, ref: dict) -> np.ndarray:
        key = ref.get("__array__")
        if key not in self.arrays:
            raise ValueError(f"the header refers to array {key!r}, which is not in the file")
        value = self.arrays[key]
        if _digest(value) != ref.get("sha256"):
            raise ValueError(f"array {key!r} does not match its checksum: the file was modified")
        return value

    def decode(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "__array__" in value:
            return self.array(value)
        if "__scalar__" in value:
            return np.dtype(value["__scalar__"]).type(value["value"])
        if "__object_array__" in value:
            items = [self.decode(v) for v in value["__object_array__"]]
            array = np.empty(len(items), dtype=object)
            array[:] = items  # element by element: np.array would guess a dtype
            return array.reshape(value["shape"])
        if "__slice__" in value:
            return slice(*self.decode(value["__slice__"]))
        if "__dtype__" in value:
            try:
                dtype = np.dtype(value["__dtype__"])
            except TypeError:
                raise ValueError(
                    f"the file names an unknown dtype {value['__dtype__']!r}"
                ) from None
            return dtype.type if value["type"] else dtype
        if "__tuple__" in value:
            return tuple(self.decode(v) for v in value["__tuple__"])
        if "__items__" in value:
            return {self.decode(k): self.decode(v) for k, v in value["__items__"]}
        if "__class__" in value:
            return _resolve_class(value["__class__"])
        if "__tensor__" in value:
            from fromscratch.autodiff import Tensor

            cls = _resolve_class(value["class"]) if "class" in value else Tensor
            if not issubclass(cls, Tensor):  # _resolve_class returns a fromscratch class
                raise ValueError(f"{value['class']!r} is not a Tensor class")
            return cls(self.array(value["__tensor__"]), requires_grad=value["requires_grad"])
        if "__generator__" in value:
            from fromscratch._validation import generator_from_state

            return generator_from_state(self.decode(value["__generator__"]),
                                        "a random generator in the file")
        if "__estimator__" in value:
            return self.estimator(value)
        return {k: self.decode(v) for k, v in value.items()}

    def estimator(self, value: dict) -> Any:
        from fromscratch.base import BaseEstimator

        cls = _resolve_class(value["__estimator__"])
        if not issubclass(cls, BaseEstimator):
            raise ValueError(f"{value['__estimator__']} is not an estimator class")
        estimator = cls(**self.decode(value["params"]))
        for name, learned in value["learned"].items():
            if not (name.isidentifier() and name.endswith("_")):
                raise ValueError(f"invalid learned attribute name {name!r} in the file")
            setattr(estimator, name, self.decode(learned))
        return estimator


def _digest(array: np.ndarray) -> str:
    hasher = hashlib.sha256(array.dtype.str.encode() + str(array.shape).encode())
    hasher.update(np.ascontiguousarray(array).tobytes())
    return hasher.hexdigest()


def _npz_path(path: str | Path) -> Path:
    """The file that ``save(obj, path)`` writes: ``path`` with ``.npz`` appended if missing."""
    path = Path(path)
    return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")


def save(obj: Any, path: str | Path) -> Path:
    """Save ``obj`` to ``path`` (``.npz`` is appended if missing) and return the path.

    Parameters
    ----------
    obj : estimator, state dict, or tree of dicts/lists/tuples/numbers/strings/arrays
    path : str or Path
        ``"model"`` and ``"model.npz"`` both write ``model.npz``; :func:`load` accepts either.

    Raises
    ------
    TypeError
        A value that cannot be stored without pickle; the message names where it is (for
        example ``LinearRegression.feature_names_in_``).
    """
    from fromscratch import __version__

    path = _npz_path(path)
    encoder = _Encoder()
    body = encoder.encode(obj)
    header = {
        "format": _MAGIC,
        "format_version": FORMAT_VERSION,
        "fromscratch_version": __version__,
        "body": body,
    }
    text = json.dumps(header, allow_nan=True)  # keys in insertion order: dicts keep theirs
    header_bytes = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    header_digest = np.frombuffer(_digest(header_bytes).encode("ascii"), dtype=np.uint8)
    arrays: dict[str, Any] = {_HEADER: header_bytes, _HEADER_DIGEST: header_digest,
                              **encoder.arrays}
    np.savez(path, **arrays)
    return path


def load(path: str | Path) -> Any:
    """Load what :func:`save` wrote. Never executes code from the file.

    ``path`` is taken as :func:`save` took it: a file of that name, or else the name with
    ``.npz`` appended (``load("model")`` reads the ``model.npz`` that ``save(obj, "model")``
    wrote).

    Raises
    ------
    FileNotFoundError
        Neither ``path`` nor ``path`` + ``.npz`` exists.
    ValueError
        The file is not a fromscratch file, is truncated or was modified, was written by a newer
        format version, or names a class outside fromscratch.
    """
    given = Path(path)
    path = given if given.is_file() else _npz_path(given)
    if not path.exists():
        tried = f"{given} or {path}" if path != given else f"{path}"
        raise FileNotFoundError(f"no such file: {tried}")
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path} is not a fromscratch file (not an .npz archive)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ValueError(
            f"{path} is not a readable fromscratch file (it is truncated, corrupt or not an "
            f".npz archive written by fromscratch.save): {exc}"
        ) from None
    header_bytes = arrays.pop(_HEADER, None)
    header_digest = arrays.pop(_HEADER_DIGEST, None)
    if header_bytes is None or header_digest is None or header_bytes.dtype != np.uint8:
        raise ValueError(f"{path} is an .npz archive but not a fromscratch file (no header)")
    if header_digest.tobytes() != _digest(header_bytes).encode("ascii"):
        raise ValueError(f"{path} has a header that does not match its checksum: it was modified")
    try:
        header = json.loads(header_bytes.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError(f"{path} has a damaged header: the file was modified") from None
    if not isinstance(header, dict) or header.get("format") != _MAGIC:
        raise ValueError(f"{path} is not a fromscratch file")
    version = header.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ValueError(
            f"{path} uses format version {version!r}; this fromscratch reads versions up to "
            f"{FORMAT_VERSION} — upgrade fromscratch to load it"
        )
    return _Decoder(arrays).decode(header["body"])
