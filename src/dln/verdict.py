"""Verdict and falsification records, and the two evaluations that make them.

`assess_claim` runs a claim's assess function on its simulations' arrays (checked against their layouts) and
returns a `Verdict`; `falsify` runs the same assess function on each of the claim's null models and returns
one `NullOutcome` each. Both records serialise to the JSON files the workflow writes
(``results/claims/<id>.json`` and ``results/falsification/<id>.json``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dln.checks import Check
from dln.contract import Arrays, Claim, Family, Results, Spec
from dln.layout import replaced


@dataclass(frozen=True)
class Verdict:
    """Whether a claim holds: its checks (records), the numbers it reports, where its statement comes from."""

    id: str
    family: str
    paper: str
    source: str
    source_kind: str
    statement: str
    checks: Sequence[Check]
    measured: Mapping[str, Any] = field(default_factory=dict)
    parameters: Mapping[str, Any] = field(default_factory=dict)
    notes: str = ""
    known_deviations: Mapping[str, str] = field(default_factory=dict)

    @property
    def holds(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    @property
    def unexpected_failures(self) -> list[str]:
        """Failing checks that are not documented known deviations (what strict mode fails on)."""
        return [c.name for c in self.checks if not c.passed and c.name not in self.known_deviations]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "family": self.family,
            "paper": self.paper,
            "source": self.source,
            "source_kind": self.source_kind,
            "statement": self.statement,
            "holds": self.holds,
            "checks": [c.to_json() for c in self.checks],
            "measured": dict(self.measured),
            "thresholds": {c.name: c.to_json()["threshold"] for c in self.checks},
            "parameters": dict(self.parameters),
            "notes": self.notes,
            "known_deviations": dict(self.known_deviations),
        }


def views(family: Family, claim: Claim, arrays: Mapping[str, Arrays]) -> Results:
    """The claim's simulations' arrays, each checked against its layout, as named views."""
    return {
        name: family.simulations[name].layout.view(arrays[name], what=f"{family.name}/{name}")
        for name in claim.simulations
    }


def assess_claim(
    family: Family, claim: Claim, arrays: Mapping[str, Arrays], specs: Mapping[str, Spec], seed: int | None = None
) -> Verdict:
    """Run the claim's assess function on its simulations' arrays."""
    a = claim.assess(views(family, claim, arrays), specs)
    parameters: dict[str, Any] = {"family": family.name, **{k: dict(v) for k, v in specs.items()}}
    if seed is not None:
        parameters["seed"] = seed
    return Verdict(
        id=claim.id,
        family=family.name,
        paper=str(family.paper),
        source=claim.source.text(family.paper),
        source_kind=claim.source.kind,
        statement=family.statement(claim.id),
        checks=a.checks,
        measured=a.measured,
        parameters=parameters,
        notes=a.notes,
        known_deviations=dict(claim.known_deviations),
    )


@dataclass(frozen=True)
class NullOutcome:
    """The verdict of a claim on one null model.

    ``rejected``: a target check failed on the null (the verdict can tell this wrong world from the data).
    ``informative``: every target check passes on the real data; a target that already fails there cannot
    discriminate (reported, never counted as a rejection).
    ``applicable``: False for an optional null whose target checks the verdict does not make on these arrays
    (e.g. the published-agreement checks, made at paper scale only); it is then not informative either.
    """

    name: str
    removes: str
    targets: tuple[str, ...]
    failed_checks: tuple[str, ...]
    informative: bool
    applicable: bool = True

    @property
    def caught_by(self) -> tuple[str, ...]:
        return tuple(t for t in self.targets if t in self.failed_checks)

    @property
    def rejected(self) -> bool:
        return self.informative and bool(self.caught_by)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "removes": self.removes,
            "targets": list(self.targets),
            "failed_checks": list(self.failed_checks),
            "caught_by": list(self.caught_by),
            "informative": self.informative,
            "applicable": self.applicable,
            "rejected": self.rejected,
        }


def falsify(family: Family, claim: Claim, arrays: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> list[NullOutcome]:
    """The claim's verdict on each of its null models. The real arrays are assessed first: a null's targets must
    pass there to discriminate (so the falsification depends on the simulations and the claim's code only)."""
    base = views(family, claim, arrays)
    real = claim.assess(base, specs).checks
    passed, made = {c.name for c in real if c.passed}, {c.name for c in real}
    out = []
    for null in claim.nulls:
        if null.optional and not made.intersection(null.targets):  # its checks are not made on these arrays
            out.append(NullOutcome(null.name, null.removes, tuple(null.targets), (), False, applicable=False))
            continue
        updates = null.transform(base, specs)
        stray = sorted(set(updates) - set(claim.simulations))
        if stray:
            raise ValueError(f"claim {claim.id}, null {null.name!r}: replaces arrays of unknown simulations {stray}")
        changed = {name: replaced(arrays[name], updates.get(name, {})) for name in claim.simulations}
        a = claim.assess(views(family, claim, changed), specs)
        unknown = [t for t in null.targets if t not in {c.name for c in a.checks}]
        if unknown:
            raise ValueError(f"claim {claim.id}, null {null.name!r}: unknown target checks {unknown}")
        out.append(
            NullOutcome(
                name=null.name,
                removes=null.removes,
                targets=tuple(null.targets),
                failed_checks=tuple(a.failed()),
                informative=all(t in passed for t in null.targets),
            )
        )
    return out
