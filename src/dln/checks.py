"""Checks as records: the name, the measured value, the comparison, the threshold and whether it passed.

A verdict is a list of these. Each constructor decides ``passed`` itself from the measured value and the
threshold, so the record cannot disagree with its own numbers, and a non-finite or missing measurement never
passes. `claims.md`, the figure titles and `dln compare` are all generated from these records.

Comparisons (the ``comparison`` field, as written in the tables):
``>=``, ``<=``, ``>``, ``<`` (strict: a tie does not pass), ``in [lo, hi]``, the ``each`` variants of these for
a list of values (every value must pass; an empty list fails), and ``is true`` for a structural condition
whose supporting number is reported in ``measured``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}


@dataclass(frozen=True)
class Check:
    """One named test of a claim's verdict."""

    name: str
    measured: Any
    comparison: str
    threshold: Any
    passed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "measured": _plain(self.measured),
            "comparison": self.comparison,
            "threshold": _plain(self.threshold),
            "passed": bool(self.passed),
        }

    def text(self) -> str:
        """'name: measured >= threshold (pass)' for tables and logs."""
        return f"{self.name}: {_short(self.measured)} {self.comparison} {_short(self.threshold)}".rstrip()


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _short(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, list):
        shown = ", ".join(_short(v) for v in value[:6])
        return f"[{shown}{', …' if len(value) > 6 else ''}]"
    return str(value)


def _finite(x: Any) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _compare(name: str, measured: Any, comparison: str, threshold: float) -> Check:
    op = _OPS[comparison]
    ok = _finite(measured) and op(float(measured), float(threshold))
    return Check(name, _plain(measured), comparison, threshold, bool(ok))


def at_least(name: str, measured: Any, threshold: float) -> Check:
    """measured >= threshold."""
    return _compare(name, measured, ">=", threshold)


def at_most(name: str, measured: Any, threshold: float) -> Check:
    """measured <= threshold."""
    return _compare(name, measured, "<=", threshold)


def above(name: str, measured: Any, threshold: float) -> Check:
    """measured > threshold (strict: a tie fails)."""
    return _compare(name, measured, ">", threshold)


def below(name: str, measured: Any, threshold: float) -> Check:
    """measured < threshold (strict: a tie fails)."""
    return _compare(name, measured, "<", threshold)


def within(name: str, measured: Any, low: float, high: float) -> Check:
    """low <= measured <= high."""
    ok = _finite(measured) and low <= float(measured) <= high
    return Check(name, _plain(measured), "in", [low, high], bool(ok))


def _each(name: str, values: Iterable[Any], comparison: str, threshold: float) -> Check:
    vals = [_plain(v) for v in values]
    op = _OPS[comparison]
    ok = bool(vals) and all(_finite(v) and op(float(v), float(threshold)) for v in vals)
    return Check(name, vals, f"each {comparison}", threshold, ok)


def each_at_least(name: str, values: Iterable[Any], threshold: float) -> Check:
    """Every value >= threshold (an empty list fails)."""
    return _each(name, values, ">=", threshold)


def each_at_most(name: str, values: Iterable[Any], threshold: float) -> Check:
    """Every value <= threshold (an empty list fails)."""
    return _each(name, values, "<=", threshold)


def each_above(name: str, values: Iterable[Any], threshold: float) -> Check:
    """Every value > threshold (strict; an empty list fails)."""
    return _each(name, values, ">", threshold)


def each_below(name: str, values: Iterable[Any], threshold: float) -> Check:
    """Every value < threshold (strict; an empty list fails)."""
    return _each(name, values, "<", threshold)


def each_within(name: str, values: Iterable[Any], low: float, high: float) -> Check:
    """Every value in [low, high] (an empty list fails)."""
    vals = [_plain(v) for v in values]
    ok = bool(vals) and all(_finite(v) and low <= float(v) <= high for v in vals)
    return Check(name, vals, "each in", [low, high], ok)


def true(name: str, condition: Any, measured: Any = None, threshold: Any = None) -> Check:
    """A structural condition (e.g. 'strictly decreasing'); ``measured`` carries its supporting numbers and
    ``threshold`` says in words what was required."""
    return Check(name, _plain(measured), "is true", threshold, bool(condition))


def by_name(checks: Sequence[Check]) -> dict[str, Check]:
    """Checks keyed by name (names are unique within a verdict)."""
    out: dict[str, Check] = {}
    for c in checks:
        if c.name in out:
            raise ValueError(f"duplicate check name {c.name!r}")
        out[c.name] = c
    return out
