"""Declared layouts of simulation results: every array's key, symbolic shape and dtype, checked on save and load.

A simulation declares the `.npz` it writes once, e.g.::

    Layout(
        f64("times", "T"),
        i64("dims", "D"),
        Group("per_d", "d{}", Layout(f64("sgd/risk", "runs T"), f64("bstar", "d"))),
    )

``check`` rejects missing or undeclared keys, wrong dtypes, wrong ranks and shapes whose symbolic dimensions
disagree (``T`` must be the same length everywhere; a symbol first bound inside a group instance, like ``d``
above, is bound per instance). ``view`` returns read access by name instead of by hand-built key strings::

    r = layout.view(arrays)
    r.times, r.per_d[250].sgd.risk, r.per_d.keys()      # the file holds d250/sgd/risk, d250/bstar, ...

A group's instances are the integers found in the keys (``d250/...`` -> 250), so a sweep's values need no
second declaration. Keys are built only here (`View.key`), so code that writes modified arrays (null models)
never spells them out either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

DTYPES = ("float64", "int64", "int8", "bool", "str")


class LayoutError(ValueError):
    """Arrays that do not match their declared layout (the message lists every problem)."""


@dataclass(frozen=True)
class Field:
    """One array: its key relative to its group, its symbolic dimensions and dtype."""

    key: str
    dims: tuple[str | int, ...]
    dtype: str
    doc: str = ""
    optional: bool = False

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"field {self.key!r}: dtype {self.dtype!r} is not one of {DTYPES}")


def _dims(text: str) -> tuple[str | int, ...]:
    return tuple(int(t) if t.isdigit() else t for t in text.split())


def f64(key: str, dims: str = "", doc: str = "", optional: bool = False) -> Field:
    """A float64 array; ``dims`` like ``"runs T"`` (empty for a scalar)."""
    return Field(key, _dims(dims), "float64", doc, optional)


def i64(key: str, dims: str = "", doc: str = "", optional: bool = False) -> Field:
    return Field(key, _dims(dims), "int64", doc, optional)


def i8(key: str, dims: str = "", doc: str = "", optional: bool = False) -> Field:
    return Field(key, _dims(dims), "int8", doc, optional)


def boolean(key: str, dims: str = "", doc: str = "", optional: bool = False) -> Field:
    return Field(key, _dims(dims), "bool", doc, optional)


def text(key: str, dims: str = "", doc: str = "", optional: bool = False) -> Field:
    return Field(key, _dims(dims), "str", doc, optional)


@dataclass(frozen=True)
class Group:
    """A block of arrays repeated once per integer index, saved under ``prefix.format(index) + "/"``."""

    name: str
    prefix: str
    layout: Layout
    doc: str = ""

    def __post_init__(self) -> None:
        if self.prefix.count("{}") != 1:
            raise ValueError(f"group {self.name!r}: prefix {self.prefix!r} needs exactly one '{{}}'")

    def key(self, index: int) -> str:
        return self.prefix.format(int(index))

    def pattern(self) -> re.Pattern[str]:
        head, tail = (re.escape(p) for p in self.prefix.split("{}"))
        return re.compile(f"^{head}(\\d+){tail}/")


class Layout:
    """An ordered set of fields and groups; layouts passed as items are concatenated."""

    def __init__(self, *items: Field | Group | Layout) -> None:
        flat: list[Field | Group] = []
        for item in items:
            flat.extend(item.items if isinstance(item, Layout) else [item])
        names = [i.key if isinstance(i, Field) else i.name for i in flat]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"layout declares {dup} twice")
        self.items: tuple[Field | Group, ...] = tuple(flat)

    def __repr__(self) -> str:
        return f"Layout{self.items!r}"

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(i for i in self.items if isinstance(i, Field))

    @property
    def groups(self) -> tuple[Group, ...]:
        return tuple(i for i in self.items if isinstance(i, Group))

    def under(self, path: str) -> Layout:
        """The same fields with keys below ``path`` (e.g. a training record saved as ``sgd/u``, ``sgd/v``...)."""
        if self.groups:
            raise ValueError("only layouts without groups can be moved under a path")
        return Layout(*(Field(f"{path}/{f.key}", f.dims, f.dtype, f.doc, f.optional) for f in self.fields))

    # ------------------------------------------------------------------------------------------ checking
    def check(self, arrays: Mapping[str, Any], what: str = "result") -> dict[str, int]:
        """Raise `LayoutError` unless ``arrays`` match the layout exactly; return the top-level dimensions."""
        problems: list[str] = []
        seen: set[str] = set()
        scope: dict[str, int] = {}
        _check(self, arrays, "", scope, problems, seen)
        extra = sorted(set(arrays) - seen)
        if extra:
            problems.append(f"undeclared keys {extra[:8]}{' ...' if len(extra) > 8 else ''}")
        if problems:
            raise LayoutError(f"{what} does not match its layout: " + "; ".join(problems))
        return scope

    def view(self, arrays: Mapping[str, Any], what: str = "result") -> View:
        """Check ``arrays`` and return read access by name."""
        self.check(arrays, what)
        return View(arrays, self, "", what)

    def describe(self, indent: str = "") -> list[str]:
        """One line per field and group: key, dims, dtype, doc (for `python -m dln layout`)."""
        out = []
        for item in self.items:
            if isinstance(item, Field):
                dims = "(" + ", ".join(str(d) for d in item.dims) + ")"
                opt = " (optional)" if item.optional else ""
                out.append(f"{indent}{item.key:<28} {dims:<18} {item.dtype:<8} {item.doc}{opt}".rstrip())
            else:
                out.append(f"{indent}{item.prefix + '/':<28} group {item.name!r}, one per index: {item.doc}".rstrip())
                out.extend(item.layout.describe(indent + "  "))
        return out


def _dtype_ok(arr: np.ndarray, dtype: str) -> bool:
    if dtype == "str":
        return arr.dtype.kind == "U"
    return arr.dtype == np.dtype(dtype)


def _check(
    layout: Layout, arrays: Mapping[str, Any], prefix: str, scope: dict[str, int], problems: list[str], seen: set[str]
) -> None:
    for f in layout.fields:
        key = prefix + f.key
        if key not in arrays:
            if not f.optional:
                problems.append(f"missing {key!r}")
            continue
        seen.add(key)
        arr = np.asarray(arrays[key])
        if not _dtype_ok(arr, f.dtype):
            problems.append(f"{key!r} has dtype {arr.dtype}, declared {f.dtype}")
        if arr.ndim != len(f.dims):
            problems.append(f"{key!r} has shape {arr.shape}, declared dims {f.dims}")
            continue
        for dim, size in zip(f.dims, arr.shape, strict=True):
            if isinstance(dim, int):
                if size != dim:
                    problems.append(f"{key!r} has shape {arr.shape}, declared dims {f.dims}")
            elif scope.setdefault(dim, size) != size:
                problems.append(f"{key!r}: dimension {dim} is {size} here but {scope[dim]} elsewhere")
    for g in layout.groups:
        for index in _indices(g, arrays, prefix):
            _check(g.layout, arrays, prefix + g.key(index) + "/", dict(scope), problems, seen)


def _indices(group: Group, arrays: Mapping[str, Any], prefix: str) -> list[int]:
    pat = group.pattern()
    found = set()
    for key in arrays:
        if key.startswith(prefix):
            m = pat.match(key[len(prefix) :])
            if m:
                found.add(int(m.group(1)))
    return sorted(found)


class View:
    """Read access to arrays through their layout: ``r.name``, ``r.path.to.name``, ``r.group[index]``,
    and ``r["path/to/name"]`` where the name is computed."""

    __slots__ = ("_arrays", "_layout", "_prefix", "_what")

    def __init__(self, arrays: Mapping[str, Any], layout: Layout, prefix: str, what: str) -> None:
        self._arrays = arrays
        self._layout = layout
        self._prefix = prefix
        self._what = what

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, path: str) -> Any:
        for f in self._layout.fields:
            if f.key == path:
                full = self._prefix + path
                if full not in self._arrays:
                    raise KeyError(f"{self._what}: optional array {full!r} is absent")
                return self._arrays[full]
        for g in self._layout.groups:
            if g.name == path:
                return GroupView(self._arrays, g, self._prefix, self._what)
        below = [f for f in self._layout.fields if f.key.startswith(path + "/")]
        if below:
            cut = len(path) + 1
            sub = Layout(*(Field(f.key[cut:], f.dims, f.dtype, f.doc, f.optional) for f in below))
            return View(self._arrays, sub, self._prefix + path + "/", self._what)
        names = sorted({f.key.split("/")[0] for f in self._layout.fields} | {g.name for g in self._layout.groups})
        raise AttributeError(f"{self._what}: no array or group {path!r} under {self._prefix!r}; has {names}")

    def __contains__(self, path: str) -> bool:
        """True if ``path`` names a present array, a group, or a path with at least one present array below it."""
        try:
            item = self[path]
        except (AttributeError, KeyError):
            return False
        if isinstance(item, View):
            return any(key.startswith(item._prefix) for key in self._arrays)
        return True

    def key(self, path: str) -> str:
        """The file's key of the array ``path`` of this view (for writing modified copies)."""
        if not any(f.key == path for f in self._layout.fields):
            raise AttributeError(f"{self._what}: no array {path!r} under {self._prefix!r}")
        return self._prefix + path

    @property
    def arrays(self) -> Mapping[str, Any]:
        """The underlying key -> array mapping (the whole file, not only this view's part)."""
        return self._arrays


class GroupView(Mapping[int, View]):
    """The instances of a group, by index (sorted)."""

    def __init__(self, arrays: Mapping[str, Any], group: Group, prefix: str, what: str) -> None:
        self._arrays, self._group, self._prefix, self._what = arrays, group, prefix, what
        self._indices = _indices(group, arrays, prefix)

    def __getitem__(self, index: int) -> View:
        if int(index) not in self._indices:
            raise KeyError(f"{self._what}: group {self._group.name!r} has no index {index} (has {self._indices})")
        return View(self._arrays, self._group.layout, self._prefix + self._group.key(index) + "/", self._what)

    def __iter__(self) -> Iterator[int]:
        return iter(self._indices)

    def __len__(self) -> int:
        return len(self._indices)


def replaced(arrays: Mapping[str, Any], updates: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``arrays`` with the ``updates`` (key -> new array) applied; each new array keeps the shape and
    dtype of the one it replaces (what a null model must preserve)."""
    out = dict(arrays)
    for key, value in updates.items():
        if key not in arrays:
            raise KeyError(f"cannot replace {key!r}: not in the arrays")
        old = np.asarray(arrays[key])
        new = np.asarray(value)
        if new.shape != old.shape:
            raise LayoutError(f"replacement of {key!r} has shape {new.shape}, the original {old.shape}")
        out[key] = new.astype(old.dtype, casting="same_kind", copy=False)
    return out
