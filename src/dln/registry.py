"""Registry of claim families: their simulations (config slice -> arrays) and claims (arrays -> verdict).

A family module (``dln.families.<name>``) exports ``FAMILY``. The workflow, the CLI and the tests discover
simulations and claims only through this registry, so adding a claim is: a simulation function, an assess
function, one `ClaimSpec`, a notebook and one ``use rule`` line in the family's rule file.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from dln.verdict import Verdict

Arrays = dict[str, np.ndarray]
Spec = Mapping[str, Any]


@dataclass(frozen=True)
class Assessment:
    """What an assess function measures; the registry turns it into a `Verdict`."""

    measured: dict[str, Any]
    thresholds: dict[str, Any]
    checks: dict[str, bool]
    notes: str = ""

    @property
    def holds(self) -> bool:
        return bool(self.checks) and all(self.checks.values())


@dataclass(frozen=True)
class Parts:
    """A simulation that splits into independent parts (one workflow job each, run in parallel), whose
    arrays ``merge`` combines into the simulation's one `.npz`: ``merge(spec, seed, [run(spec, seed, i) for i in
    range(count(spec))])`` is the whole simulation."""

    count: Callable[[Spec], int]
    run: Callable[[Spec, int, int], Arrays]
    merge: Callable[[Spec, int, list[Arrays]], Arrays]


@dataclass(frozen=True)
class SimulationSpec:
    """A simulation: ``run(spec, seed)`` returns the arrays of one `.npz`. ``uid`` keys its seeds.

    With ``parts``, the workflow runs the parts as separate jobs and merges them (same arrays as ``run``).
    """

    name: str
    uid: int
    run: Callable[[Spec, int], Arrays]
    description: str
    parts: Parts | None = None


@dataclass(frozen=True)
class ClaimSpec:
    """A claim: which simulations it reads and the pure function that assesses them."""

    id: str
    paper: str
    statement: str
    simulations: tuple[str, ...]
    assess: Callable[[Mapping[str, Arrays], Mapping[str, Spec]], Assessment]
    caption: str = ""
    # checks that are known not to reproduce (a finding, documented here): check name -> what was found.
    # The verdict still reports the claim as not holding; strict mode tolerates only these checks failing.
    known_deviations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Family:
    name: str
    title: str
    paper: str
    simulations: dict[str, SimulationSpec] = field(default_factory=dict)
    claims: dict[str, ClaimSpec] = field(default_factory=dict)
    # cross-key checks a JSON schema cannot express (e.g. d > n): config section -> list of problems
    check_config: Callable[[Mapping[str, Any]], list[str]] | None = None

    def config_problems(self, section: Mapping[str, Any]) -> list[str]:
        """Problems of a (schema-valid) config section that involve several keys; empty if none."""
        return [] if self.check_config is None else self.check_config(section)


FAMILY_MODULES = (
    "dln.families.implicit_bias",
    "dln.families.stepsizes",
    "dln.families.highdim",
    "dln.families.multitask",
)


@cache
def families() -> dict[str, Family]:
    """All registered families, by name."""
    out: dict[str, Family] = {}
    for mod_name in FAMILY_MODULES:
        fam: Family = importlib.import_module(mod_name).FAMILY
        out[fam.name] = fam
    return out


def find_claim(claim_id: str) -> tuple[Family, ClaimSpec]:
    for fam in families().values():
        if claim_id in fam.claims:
            return fam, fam.claims[claim_id]
    known = sorted(c for f in families().values() for c in f.claims)
    raise KeyError(f"unknown claim {claim_id!r}; known claims: {', '.join(known)}")


def find_simulation(family: str, name: str) -> SimulationSpec:
    fams = families()
    if family not in fams:
        raise KeyError(f"unknown family {family!r}; known: {', '.join(sorted(fams))}")
    sims = fams[family].simulations
    if name not in sims:
        raise KeyError(f"unknown simulation {name!r} of family {family!r}; known: {', '.join(sorted(sims))}")
    return sims[name]


def make_verdict(claim: ClaimSpec, assessment: Assessment, parameters: Mapping[str, Any]) -> Verdict:
    return Verdict(
        id=claim.id,
        paper=claim.paper,
        statement=claim.statement,
        holds=assessment.holds,
        measured=assessment.measured,
        thresholds=assessment.thresholds,
        parameters=dict(parameters),
        checks=assessment.checks,
        notes=assessment.notes,
        known_deviations=dict(claim.known_deviations),
    )
