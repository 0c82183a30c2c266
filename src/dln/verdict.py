"""The verdict record every claim produces, and small helpers to build its checks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Verdict:
    """Whether a claim holds, with the measured numbers and the thresholds they were held to."""

    id: str
    paper: str
    statement: str
    holds: bool
    measured: dict[str, Any]
    thresholds: dict[str, Any]
    parameters: dict[str, Any] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    notes: str = ""
    known_deviations: dict[str, str] = field(default_factory=dict)

    @property
    def unexpected_failures(self) -> list[str]:
        """Failing checks that are not documented known deviations (what strict mode fails on)."""
        return [k for k, ok in self.checks.items() if not ok and k not in self.known_deviations]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Checks:
    """Accumulates named boolean checks; the claim holds when every check holds."""

    def __init__(self) -> None:
        self.results: dict[str, bool] = {}

    def add(self, name: str, ok: bool) -> bool:
        self.results[name] = bool(ok)
        return bool(ok)

    @property
    def all_hold(self) -> bool:
        return bool(self.results) and all(self.results.values())
