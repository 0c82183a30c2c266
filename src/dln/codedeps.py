"""Code digests: a hash of the source a simulation or a claim depends on, so that editing that code reruns it.

The workflow passes each digest to its rule as a ``params`` value; Snakemake reruns a job whose params changed
(its default ``params`` rerun trigger), so a fixed kernel reruns the simulations that use it and the claims
that read them, and nothing else.

What a digest covers, for a set of entry functions (a simulation's ``run``, a claim's ``assess``, ...):

* the source of each entry function, and of every function or class *of the same module* it names,
  followed transitively (so two simulations in one module depend only on their own code and shared helpers);
* the values of the module-level constants they name (numbers, strings, containers, dataclass instances such
  as a family's thresholds, layouts);
* the whole file of every other ``dln`` module they use, and of every ``dln`` module those files import,
  transitively (a file-level closure from the import statements, package ``__init__`` files included).

Modules outside ``dln`` (numpy, numba, ...) are not hashed: their versions are recorded in the sidecars.
Code reached only through ``getattr`` with a computed name is not seen.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import inspect
import json
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

PACKAGE = "dln"
PACKAGE_DIR = Path(__file__).resolve().parent


def _in_package(module_name: str | None) -> bool:
    return bool(module_name) and (module_name == PACKAGE or str(module_name).startswith(PACKAGE + "."))


def _unwrap(obj: Any) -> Any:
    """The Python function behind partials, numba dispatchers and decorated functions."""
    while True:
        if isinstance(obj, functools.partial):
            obj = obj.func
        elif hasattr(obj, "py_func"):  # numba dispatcher
            obj = obj.py_func
        elif hasattr(obj, "__wrapped__"):
            obj = obj.__wrapped__
        else:
            return obj


def _code_names(code: types.CodeType) -> Iterator[str]:
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_names(const)


def _module_file(name: str) -> Path | None:
    mod = sys.modules.get(name)
    path = getattr(mod, "__file__", None)
    return Path(path).resolve() if path else None


@functools.cache
def _file_imports(path: Path) -> tuple[str, ...]:
    """The ``dln`` modules a file imports (absolute imports; ``from a import b`` gives a.b if that is a module)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if _in_package(a.name))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _in_package(node.module):
            base = str(node.module)
            out.add(base)
            for alias in node.names:
                if f"{base}.{alias.name}" in sys.modules or _spec_exists(f"{base}.{alias.name}"):
                    out.add(f"{base}.{alias.name}")
    return tuple(sorted(out))


def _spec_exists(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def module_closure(names: Iterable[str]) -> set[Path]:
    """Files of the given ``dln`` modules, their parent packages, and every ``dln`` module they import."""
    files: set[Path] = set()
    todo = [n for name in names for n in _with_parents(name)]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or not _in_package(name):
            continue
        seen.add(name)
        if name not in sys.modules:
            __import__(name)
        path = _module_file(name)
        if path is None:
            continue
        files.add(path)
        for dep in _file_imports(path):
            todo.extend(_with_parents(dep))
    return files


def _constant_text(obj: Any) -> str | None:
    """A stable text for a module-level constant (None if the object is not a plain value)."""
    if isinstance(obj, bool | int | float | str | bytes | type(None)):
        return repr(obj)
    if isinstance(obj, tuple | list | frozenset | set | dict):
        try:
            return json.dumps(obj, sort_keys=True, default=repr)
        except (TypeError, ValueError):
            return repr(obj)
    if hasattr(obj, "__dataclass_fields__") or type(obj).__name__ == "Layout":
        return repr(obj)  # content-based reprs (dataclasses, layouts), never an object address
    return None


def _collect(entries: Iterable[Callable[..., Any]]) -> tuple[set[Path], list[str]]:
    """(files of other modules, texts of same-module code and constants) the entry functions depend on."""
    files: set[Path] = set()
    texts: list[str] = []
    seen: set[int] = set()
    todo = [_unwrap(fn) for fn in entries]
    while todo:
        fn = todo.pop()
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        module = getattr(fn, "__module__", None)
        if not _in_package(module):
            continue
        for parent in _with_parents(str(module))[:-1]:  # package __init__ files run before the module
            path = _module_file(parent)
            if path is not None:
                files.add(path)
        texts.append(f"{module}.{getattr(fn, '__qualname__', '?')}:\n{inspect.getsource(fn)}")
        namespace = getattr(fn, "__globals__", None) or vars(sys.modules[str(module)])
        codes = []
        if inspect.isclass(fn):
            codes = [_unwrap(m).__code__ for m in vars(fn).values() if hasattr(_unwrap(m), "__code__")]
        elif hasattr(fn, "__code__"):
            codes = [fn.__code__]
        for name in sorted({n for code in codes for n in _code_names(code)}):
            if name not in namespace:
                continue
            obj = _unwrap(namespace[name])
            if inspect.ismodule(obj):
                if _in_package(obj.__name__):
                    files |= module_closure([obj.__name__])
            elif inspect.isfunction(obj) or inspect.isclass(obj):
                if obj.__module__ == module:
                    todo.append(obj)
                elif _in_package(obj.__module__):
                    files |= module_closure([obj.__module__])
            else:
                const = _constant_text(obj)
                if const is not None:
                    texts.append(f"{module}.{name} = {const}")
                elif _in_package(getattr(type(obj), "__module__", None)):
                    files |= module_closure([type(obj).__module__])
    return files, texts


def notebook_modules(path: str | Path) -> list[str]:
    """The ``dln`` modules a notebook's code cells import."""
    cells = json.loads(Path(path).read_text())["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    tree = ast.parse(source)
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if _in_package(a.name))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _in_package(node.module):
            out.add(str(node.module))
            out.update(f"{node.module}.{a.name}" for a in node.names if _spec_exists(f"{node.module}.{a.name}"))
    return sorted(out)


def digest(entries: Iterable[Callable[..., Any]] = (), modules: Iterable[str] = (), extra: Iterable[str] = ()) -> str:
    """Hex digest of the code the entry functions depend on, plus the files of ``modules`` and their imports,
    plus ``extra`` texts (e.g. a claim's statement, source and known deviations, which live in its record)."""
    files, texts = _collect(entries)
    texts = texts + [f"extra: {t}" for t in extra]
    files |= module_closure(modules)
    h = hashlib.sha256()
    for path in sorted(files):
        rel = path.relative_to(PACKAGE_DIR) if path.is_relative_to(PACKAGE_DIR) else path
        h.update(f"file {rel}\n".encode())
        h.update(path.read_bytes())
    for t in sorted(texts):
        h.update(t.encode())
    return h.hexdigest()[:16]


def depends_on(entries: Iterable[Callable[..., Any]] = (), modules: Iterable[str] = ()) -> list[str]:
    """The files (relative to the package) a digest covers, for documentation and tests."""
    files, _ = _collect(entries)
    files |= module_closure(modules)
    return sorted(str(p.relative_to(PACKAGE_DIR)) for p in files if p.is_relative_to(PACKAGE_DIR))
