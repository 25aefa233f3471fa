"""The API reference, generated from the package's ``__all__`` lists at every build.

Every public module of ``fromscratch`` (no part of its dotted name starts with ``_``) that
declares ``__all__`` gets a page: its docstring, then a table of every name in its ``__all__``.
Every public object gets one page of its own, under one *canonical* name, so a name added to an
``__all__`` appears in the reference without touching ``docs/``:

* an object exported by several modules (``fromscratch.optim.StepLR`` is also
  ``fromscratch.optim.lr_scheduler.StepLR``) is documented once, under the shortest exporting
  module on the path where it is defined (``fromscratch.optim``); the other modules' tables link
  to that page;
* constants (numbers, strings) are documented by every module that exports them.

A docstring's cross-references name objects as its code does (relative to its module, through
private modules, by any public path); :class:`References` sends each to the canonical page. A
public object without a docstring is a warning (an error under ``-W``): every public name is
documented.

The pages are written to ``docs/api/`` (generated, not in git) when the configuration is read,
before Sphinx looks for source files; a page whose text did not change is not rewritten, so an
incremental build rereads only what changed, and pages of removed names are deleted.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging

from fromscratch.autodiff import Primitive

logger = logging.getLogger(__name__)

PACKAGE = "fromscratch"
#: Not part of the reference: the ``python -m fromscratch`` entry point, and the deprecated alias
#: of :mod:`fromscratch.benchfunctions`.
HIDDEN = {"fromscratch.__main__", "fromscratch.testfunctions"}
#: The reference's order: what a reader looks up first comes first. A public module not named
#: here is appended (alphabetically), so a new module is never left out.
ORDER = [
    "fromscratch", "linear_model", "nn", "optim", "autodiff", "datasets", "preprocessing",
    "compose", "model_selection", "metrics", "plot", "io", "linalg", "blocks",
    "benchfunctions", "base", "exceptions", "exercises", "tour", "cli",
]
#: Module attributes whose meaning Python fixes: documented here, not by a comment beside them.
STANDARD_DATA = {"__version__": "The version of the package (PEP 440), as "
                                "``fromscratch --version`` prints it."}
#: Values that are equal without being the same object: never merged by identity.
_CONSTANT_TYPES = (int, float, complex, str, bytes, bool, tuple, frozenset, type(None))
#: Members inherited from these are Python's, not ours: not repeated on every class page.
_BUILTIN_BASES = "dict, list, tuple, object, Exception, BaseException, Warning, UserWarning"


def is_public_module(name: str) -> bool:
    parts = name.split(".")
    return name not in HIDDEN and not any(part.startswith("_") for part in parts[1:])


def public_modules() -> list[str]:
    """Every public module that declares ``__all__``, in the reference's order (a package
    before its submodules)."""
    package = importlib.import_module(PACKAGE)
    found = [PACKAGE] + [
        info.name for info in pkgutil.walk_packages(package.__path__, PACKAGE + ".")
        if is_public_module(info.name)
    ]
    found = [name for name in found if hasattr(importlib.import_module(name), "__all__")]

    def rank(name: str) -> tuple[int, str, str]:
        top = name.split(".")[1] if "." in name else PACKAGE
        return (ORDER.index(top) if top in ORDER else len(ORDER), top, name)

    return sorted(found, key=rank)


def kind_of(obj: Any) -> str:
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "class"
    if callable(obj):  # functions, and callable objects such as autodiff's primitives
        return "function"
    return "data"


@dataclass
class Entry:
    """One name of one module's ``__all__``."""

    module: str
    name: str
    obj: Any
    kind: str
    canonical: str = ""  # the full name of the page that documents obj
    also: list[str] = field(default_factory=list)  # other public modules exporting it

    @property
    def fullname(self) -> str:
        return f"{self.module}.{self.name}"


def _identity(entry: Entry) -> Any:
    if isinstance(entry.obj, _CONSTANT_TYPES):
        return (entry.module, entry.name)
    return id(entry.obj)


def _defined_in(obj: Any) -> str:
    """The module that defines a class or function ('' for other objects)."""
    if inspect.isclass(obj) or inspect.isroutine(obj):
        return getattr(obj, "__module__", "") or ""
    return ""


def collect() -> tuple[list[str], dict[str, list[Entry]]]:
    """The public modules and, for each, its entries with their canonical names filled in."""
    modules = public_modules()
    entries = {
        name: [
            Entry(name, attr, obj, kind_of(obj))
            for attr in importlib.import_module(name).__all__
            for obj in [getattr(importlib.import_module(name), attr)]
        ]
        for name in modules
    }
    exporters: dict[Any, list[Entry]] = {}
    for module in modules:
        for entry in entries[module]:
            exporters.setdefault(_identity(entry), []).append(entry)
    for group in exporters.values():
        first = group[0]
        if first.kind == "module":
            canonical = first.obj.__name__
        else:
            # A function named like its module (``fromscratch.optim.minimize``) is documented
            # in that module: the package's attribute hides the module's name.
            candidates = [e for e in group if e.fullname not in modules] or group
            home = _defined_in(first.obj)
            on_path = [e for e in candidates
                       if home == e.module or home.startswith(e.module + ".")]
            chosen = min(on_path, key=lambda e: e.module.count(".")) if on_path else candidates[0]
            canonical = chosen.fullname
        home_module = canonical.rpartition(".")[0]
        for entry in group:
            # An alias in the canonical module (``absolute`` beside ``abs``) has its own page.
            entry.canonical = entry.fullname if entry.module == home_module else canonical
            entry.also = [e.module for e in group if e.module != home_module]
    return modules, entries


def canonical_names(entries: dict[str, list[Entry]]) -> dict[int, str]:
    """id(object) -> canonical full name, for every documented non-constant object (the first
    of an object's own pages: ``abs`` rather than its alias ``absolute``)."""
    names: dict[int, str] = {}
    for module_entries in entries.values():
        for entry in module_entries:
            if not isinstance(entry.obj, _CONSTANT_TYPES):
                names.setdefault(id(entry.obj), entry.canonical)
    return names


def _escape(text: str) -> str:
    """A dotted name as reStructuredText title text (``clip_grad_norm_`` is not a link)."""
    return text.replace("\\", "\\\\").replace("_", "\\_").replace("*", "\\*")


def _title(text: str, underline: str = "=") -> list[str]:
    escaped = _escape(text)
    return [escaped, underline * len(escaped), ""]


def object_page(entry: Entry) -> str:
    """An object's page, titled by its short name (the signature shows the full one)."""
    module, _, name = entry.canonical.rpartition(".")
    lines = _title(name) + [f".. currentmodule:: {module}", ""]
    if entry.kind == "class":
        lines += [
            f".. autoclass:: {name}",
            "   :members:",
            f"   :inherited-members: {_BUILTIN_BASES}",
            "   :show-inheritance:",
        ]
    elif entry.kind == "function":
        lines += [f".. autofunction:: {name}"]
    else:
        lines += [f".. autodata:: {name}"]
    if entry.also:
        links = ", ".join(f":mod:`{other}`" for other in entry.also)
        lines += ["", f"Also exported by {links}."]
    return "\n".join(lines) + "\n"


def module_page(module: str, module_entries: list[Entry]) -> str:
    lines = _title(module) + [
        f".. automodule:: {module}", "   :no-members:", "", f".. currentmodule:: {module}", "",
    ]
    submodules = [e for e in module_entries if e.kind == "module"]
    objects = [e for e in module_entries if e.kind != "module"]
    if objects:
        lines += [".. autosummary::", "   :nosignatures:", ""]
        for entry in objects:
            if entry.canonical == entry.fullname:
                lines.append(f"   {entry.name}")
            else:  # autosummary wants names under the current module written relative to it
                lines.append(f"   ~{entry.canonical.removeprefix(module + '.')}")
        lines.append("")
    if submodules:
        lines += ["Modules: " + ", ".join(f":mod:`{e.canonical}`" for e in submodules), ""]
    pages = [f"generated/{e.canonical}" for e in objects if e.canonical == e.fullname]
    if pages:
        lines += [".. toctree::", "   :hidden:", ""] + [f"   {page}" for page in pages]
    return "\n".join(lines) + "\n"


def index_page(modules: list[str]) -> str:
    lines = _title("API reference") + [
        "Every public name of ``fromscratch``, module by module, generated from the modules'",
        "``__all__``. Estimators follow scikit-learn, optimizers follow ``torch.optim``, and",
        "automatic differentiation follows HIPS autograd and JAX; every docstring states its",
        "equations.",
        "",
    ]
    for top in dict.fromkeys(m.split(".")[1] if "." in m else PACKAGE for m in modules):
        group = [m for m in modules if m == f"{PACKAGE}.{top}" or m.startswith(f"{PACKAGE}.{top}.")
                 or (top == PACKAGE and m == PACKAGE)]
        heading = PACKAGE if top == PACKAGE else f"{PACKAGE}.{top}"
        lines += _title(heading, "-") + [".. autosummary::", ""]
        lines += [f"   {module}" for module in group] + [""]
        lines += [".. toctree::", "   :hidden:", ""] + [f"   {m}" for m in group] + [""]
    return "\n".join(lines)


def write_pages(outdir: Path) -> dict[int, str]:
    """Write the reference into ``outdir``; return the canonical-name map."""
    modules, entries = collect()
    pages = {"index.rst": index_page(modules)}
    for module in modules:
        pages[f"{module}.rst"] = module_page(module, entries[module])
        for entry in entries[module]:
            if entry.kind != "module" and entry.canonical == entry.fullname:
                pages[f"generated/{entry.canonical}.rst"] = object_page(entry)
    (outdir / "generated").mkdir(parents=True, exist_ok=True)
    for relative, text in pages.items():
        path = outdir / relative
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    for stale in [*outdir.glob("*.rst"), *outdir.glob("generated/*.rst")]:
        if stale.relative_to(outdir).as_posix() not in pages:
            stale.unlink()
    return canonical_names(entries)


def objects_along(dotted: str) -> list[tuple[Any, list[str]]]:
    """Each object on the import path ``dotted``, deepest first, with the names after it
    (empty if ``dotted`` does not name an object)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        chain = [(obj, parts[cut:])]
        for index, attr in enumerate(parts[cut:], start=cut):
            if not hasattr(obj, attr):
                return []
            obj = getattr(obj, attr)
            chain.append((obj, parts[index + 1:]))
        return chain[::-1]
    return []


#: A Python cross-reference in a docstring: :role:`target`, :role:`~target`,
#: :role:`title <target>`.
_XREF = re.compile(r":(?:py:)?(func|class|meth|mod|attr|data|obj|exc):`(!?)([^`<]*?)\s*"
                   r"(?:<([^`>]+)>)?`")


#: A reference whose target the line breaks after a dot (``:func:`~a.b.`` / ``c``` on the
#: next line): reStructuredText would look up ``a.b. c``.
_BROKEN_XREF = re.compile(r":(?:py:)?[a-z]+:`[^`]*\.$")
#: The rest of such a target at the start of the next line (with the punctuation that sticks
#: to it: ``c`),``), and what follows it.
_XREF_TAIL = re.compile(r"(\s*)([^`\s]+`\S*)(.*)")


def join_broken_references(lines: list[str]) -> None:
    """Move the rest of a target that a line break split back onto the reference's line."""
    for index in range(len(lines) - 1):
        tail = _XREF_TAIL.fullmatch(lines[index + 1])
        if tail and _BROKEN_XREF.search(lines[index].rstrip()):
            indent, rest_of_target, after = tail.groups()
            lines[index] = lines[index].rstrip() + rest_of_target
            # A line left empty would end the paragraph: keep a backslash-escaped space.
            lines[index + 1] = indent + (after.lstrip() or "\\ ")


_UNDERLINE = re.compile(r"([=\-~^\"'`#*+:.])\1+")


class References:
    """Rewrites the Python cross-references of docstrings to the pages that document them.

    A docstring names objects as the code around it does: relative to its module
    (``:func:`sgd_update``` in :mod:`fromscratch.optim.sgd`), through a private module
    (``:mod:`_cd```), or by a public path that is not the canonical one. Each target is looked
    up as Python would from where the docstring is defined — the class, then the module and
    each package above it — and the reference is rewritten to the object's canonical page
    (:func:`write_pages`). A real object without a page (a private helper) is shown as code; a
    target that names nothing is left alone, so Sphinx reports it: a typo is never hidden.
    """

    def __init__(self, canonical: dict[int, str]) -> None:
        self.canonical = canonical

    def page_of(self, dotted: str) -> str | None:
        """The documented full name of the object at ``dotted`` ('' if it has no page, None
        if ``dotted`` names nothing)."""
        chain = objects_along(dotted)
        if not chain:
            return None
        for obj, rest in chain:
            if any(part.startswith("_") for part in rest):
                return ""  # a private or special member: not documented
            if inspect.ismodule(obj):
                name = obj.__name__ if is_public_module(obj.__name__) and not rest else None
            else:
                name = self.canonical.get(id(obj))
            if name:
                return ".".join([name, *rest])
        return ""

    @staticmethod
    def scopes(what: str, name: str, obj: Any) -> list[str]:
        """Where a name in ``obj``'s docstring is looked up, innermost first."""
        if what == "module":
            home = name
        elif inspect.isclass(obj) or inspect.isroutine(obj):
            qualname = getattr(obj, "__qualname__", "").rsplit(".", 1)[0]
            home = getattr(obj, "__module__", "") or name.rpartition(".")[0]
            if "." in getattr(obj, "__qualname__", "") and "<" not in qualname:
                home = f"{home}.{qualname}"  # a method: its class first
        else:
            home = name.rpartition(".")[0]
        parts = home.split(".")
        return [".".join(parts[:cut]) for cut in range(len(parts), 0, -1)]

    def rewrite(self, match: re.Match, scopes: list[str]) -> str:
        role, bang, title, target = match.groups()
        if bang:
            return match.group(0)
        if target is None:
            title, target = None, title
        shorten = target.startswith("~")
        bare = target.lstrip("~.")
        for scope in ["", *scopes]:
            page = self.page_of(f"{scope}.{bare}" if scope else bare)
            if page is None:
                continue
            if page == "":
                return f"``{title or bare}``"
            label = title or (bare.rpartition(".")[2] if shorten else bare)
            return f":{role}:`{label} <{page}>`"
        return match.group(0)

    def __call__(self, app, what, name, obj, options, lines) -> None:
        scopes = self.scopes(what, name, obj)
        join_broken_references(lines)
        for index, line in enumerate(lines):
            lines[index] = _XREF.sub(lambda m: self.rewrite(m, scopes), line)
            # A section title that grew keeps an underline as long as itself.
            after = lines[index + 1] if index + 1 < len(lines) else ""
            if len(lines[index]) > len(line) and _UNDERLINE.fullmatch(after.strip()) and len(
                after.strip()) >= len(line.strip()):
                lines[index + 1] = after.rstrip() + after.strip()[0] * (
                    len(lines[index]) - len(line))


def _bases_with_pages(app, name, obj, options, bases) -> None:
    """``Bases:`` lists documented classes; a private base is replaced by its own bases."""
    canonical = app.fs_canonical
    shown: list[type] = []
    pending = list(bases)
    while pending:
        base = pending.pop(0)
        if id(base) in canonical or base.__module__ == "builtins":
            shown.append(base)
        elif base.__module__.startswith(PACKAGE):
            pending[:0] = [b for b in base.__bases__ if b is not object]
    bases[:] = list(dict.fromkeys(shown)) or [object]


def _standard_library(app, env, node, contnode):
    """``missing-reference`` handler: names from Python's standard library (``abc.ABC``,
    ``warnings.warn``) are shown as code; the build is offline, with no other inventories."""
    target = node.get("reftarget", "").lstrip("~.")
    if node.get("refdomain") == "py" and target.split(".")[0] in sys.stdlib_module_names:
        return contnode
    return None


def _primitive_signature(app, what, name, obj, options, signature, return_annotation):
    """An autodiff primitive with NumPy's docstring takes NumPy's arguments. (Left alone,
    numpydoc would read a signature from NumPy's docstring, also where autosummary documents
    the primitive as data and no signature belongs.)"""
    numpy_function = _numpy_function(obj)
    if numpy_function is None:
        return None
    if what != "function":
        return None, None
    try:
        return str(inspect.signature(numpy_function)), None
    except (TypeError, ValueError):
        return "(*args, **kwargs)", None


def _primitive_doc(app, what, name, obj, options, lines) -> None:
    """A primitive without a docstring of its own carries NumPy's, written for NumPy's site, or
    none; the reference says what the primitive is instead."""
    numpy_function = _numpy_function(obj)
    if numpy_function is not None:
        numpy_name = f"numpy.{numpy_function.__name__}"
        lines[:] = [
            f"Differentiable ``{numpy_name}``: NumPy's function on arrays, and with its "
            "forward (JVP) and reverse (VJP) rules on dual numbers and tensors.",
            "",
            f"It takes the arguments of ``{numpy_name}`` (see NumPy's documentation). Its "
            "derivative rules are one entry of the primitive table, "
            ":mod:`fromscratch.autodiff.primitives`.",
        ]


def _numpy_function(obj: Any) -> Any:
    """The NumPy function whose docstring the primitive ``obj`` carries, or that it is named
    after when it has no docstring of its own (``var``); else None."""
    if not isinstance(obj, Primitive):
        return None
    import numpy

    function = getattr(numpy, obj.__name__, None)
    return function if function is not None and obj.__doc__ in (None, function.__doc__) else None


def _data_doc(app, what, name, obj, options, lines) -> None:
    """A constant is documented by its ``#:`` comment, found in the module that exports it or,
    for a re-export, in the package's module that assigns it; never by its type's docstring
    (autodoc's fallback: ``int([x]) -> integer ...``)."""
    if what != "data":
        return
    type_doc = " ".join((type(obj).__doc__ or "").split())
    if " ".join(" ".join(lines).split()) == type_doc:
        lines[:] = []
    if any(line.strip() for line in lines):
        return
    module, _, attr = name.rpartition(".")
    if attr in STANDARD_DATA:
        lines[:] = [STANDARD_DATA[attr], ""]
        return
    package = importlib.import_module(module)
    # The module that assigns a re-exported constant has been imported by the re-export (and
    # the analyzer imports what it reads: ``fromscratch.__main__`` would run the command line).
    candidates = [module] + [
        info.name for info in pkgutil.walk_packages(getattr(package, "__path__", []), module + ".")
        if info.name in sys.modules
    ]
    for candidate in candidates:
        try:
            comments = ModuleAnalyzer.for_module(candidate).find_attr_docs()
        except PycodeError:
            continue
        if ("", attr) in comments and getattr(sys.modules[candidate], attr, None) is obj:
            lines[:] = [*comments[("", attr)], ""]
            return


def _warn_undocumented(app, what, name, obj, options, lines):
    """Runs before numpydoc, which ends every docstring, empty or not, with a comment."""
    if name.startswith(PACKAGE) and what in ("class", "function", "module", "data") and not any(
        line.strip() for line in lines
    ):
        logger.warning("%s %s has no docstring: every public name is documented", what, name,
                       type="fromscratch", subtype="undocumented")


def generate(app, config):
    app.fs_canonical = write_pages(Path(app.srcdir) / "api")
    # After numpydoc, which runs at the default priority 500 and adds references of its own
    # (See Also).
    app.connect("autodoc-process-docstring", References(app.fs_canonical), priority=600)


def setup(app):
    app.connect("config-inited", generate)
    app.connect("autodoc-process-bases", _bases_with_pages)
    app.connect("missing-reference", _standard_library)
    # Before numpydoc reads the docstring and the signature.
    app.connect("autodoc-process-signature", _primitive_signature, priority=100)
    app.connect("autodoc-process-docstring", _primitive_doc, priority=100)
    app.connect("autodoc-process-docstring", _data_doc, priority=100)
    app.connect("autodoc-process-docstring", _warn_undocumented, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
