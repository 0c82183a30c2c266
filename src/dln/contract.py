"""The contract every claim family follows: papers, sources, simulations, claims, null models, assessments.

A family is a package ``dln.<family>`` with the same modules:

* ``simulations.py``  config slice + root seed -> arrays, each `Simulation` with its declared `Layout`;
* ``claims.py``       the family's thresholds (one frozen dataclass, every number a verdict compares against),
                      the assess functions, the null models and ``FAMILY``;
* ``figures.py``      the plotting helpers its notebooks use;
* ``config.schema.yaml``  the JSON schema of the family's config section;

plus whatever numerics are its own. `dln.registry` finds every package whose ``claims`` module defines
``FAMILY``; the workflow generates one rule per registered claim, so adding a claim needs no workflow edit.
"""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from dln.checks import Check, by_name
from dln.layout import Layout, View

Spec = Mapping[str, Any]
Arrays = dict[str, np.ndarray]
Results = Mapping[str, View]


@dataclass(frozen=True)
class Paper:
    """A paper a family reproduces."""

    authors: str
    year: int
    title: str
    venue: str
    url: str = ""

    @property
    def short(self) -> str:
        return f"{self.authors} {self.year}"

    def __str__(self) -> str:
        return f"{self.authors}, {self.title}, {self.venue} {self.year}"


@dataclass(frozen=True)
class Source:
    """Where a claim's statement comes from.

    ``kind`` is ``"paper"`` when the statement is the paper's (``where``: its figure, theorem or section;
    ``basis``: how we know, e.g. "checked against the authors' published data" or "recalled, not checked
    against the PDF"), or ``"derived"`` when it is this project's own derivation from the paper's model
    (``basis`` says what it is derived from). Nothing derived here is attributed to a paper.
    """

    kind: Literal["paper", "derived"]
    where: str
    basis: str

    def text(self, paper: Paper) -> str:
        if self.kind == "paper":
            return f"{paper.short}, {self.where} ({self.basis})"
        return f"derived in this project ({self.basis})"


def from_paper(where: str, basis: str) -> Source:
    """The statement is the paper's, at ``where``; ``basis`` says how we know what it says."""
    return Source("paper", where, basis)


def derived(basis: str) -> Source:
    """The statement is our own derivation from the paper's model; ``basis`` says from what."""
    return Source("derived", "", basis)


@dataclass(frozen=True)
class Parts:
    """A simulation that splits into independent parts (one workflow job each, run in parallel), whose
    arrays ``merge`` combines into the simulation's one `.npz`: ``merge(spec, seed, [run(spec, seed, i) for i in
    range(count(spec))])`` is the whole simulation. ``layout`` is the layout of one part's file. A simulation
    with ``needs`` gets them in each part too: ``run(spec, seed, i, needed)``."""

    count: Callable[[Spec], int]
    run: Callable[..., Arrays]
    merge: Callable[[Spec, int, list[Arrays]], Arrays]
    layout: Layout


@dataclass(frozen=True)
class Simulation:
    """A simulation: ``run(spec, seed)`` returns the arrays of one `.npz`, which match ``layout``.

    ``uid`` keys its random streams (`dln.seeds`); with ``parts`` the workflow runs the parts as separate jobs
    and merges them (same arrays as ``run``). ``needs`` names other simulations of the family whose arrays this
    one reads (computed once, shared: e.g. pretrained weights): the workflow makes their `.npz` inputs of its
    jobs and calls ``run(spec, seed, needed)``, ``needed`` mapping each name to its arrays (checked against its
    layout). Its arrays must not depend on whether ``needed`` was given: ``run(spec, seed)`` computes what it
    needs itself (slower), which is what tests and a one-process run use.
    """

    name: str
    uid: int
    run: Callable[..., Arrays]
    layout: Layout
    description: str
    parts: Parts | None = None
    needs: tuple[str, ...] = ()

    def functions(self) -> tuple[Callable[..., Any], ...]:
        """The functions whose code decides this simulation's arrays (for code-aware reruns)."""
        extra = () if self.parts is None else (self.parts.count, self.parts.run, self.parts.merge)
        return (self.run, *extra)


@dataclass(frozen=True)
class Assessment:
    """What an assess function returns: its checks (records), the numbers it reports, notes on choices made."""

    checks: Sequence[Check]
    measured: Mapping[str, Any] = field(default_factory=dict)
    notes: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "checks", tuple(self.checks))
        by_name(self.checks)  # names must be unique

    @property
    def holds(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    def check(self, name: str) -> Check:
        return by_name(self.checks)[name]

    def failed(self) -> list[str]:
        return [c.name for c in self.checks if not c.passed]


Assess = Callable[[Results, Mapping[str, Spec]], Assessment]
# A null model: (the claim's results, specs) -> per simulation, the arrays it replaces (file key -> new array).
Transform = Callable[[Results, Mapping[str, Spec]], Mapping[str, Mapping[str, Any]]]


@dataclass(frozen=True)
class Null:
    """A world in which one sub-statement of the claim is false, built from the claim's own arrays.

    ``transform`` returns replacements for some arrays (same keys, shapes and dtypes: `dln.layout.replaced`
    enforces it); ``removes`` says in words which effect is removed; ``targets`` are the checks that state that
    sub-statement. The verdict must reject the null: at least one target check must fail on it.
    """

    name: str
    removes: str
    transform: Transform
    targets: tuple[str, ...]
    # True for a null whose target checks the verdict makes on some configurations only (e.g. at paper scale):
    # where the real verdict has none of them the null is reported as not discriminating instead of an error
    optional: bool = False


@dataclass(frozen=True)
class Claim:
    """A claim: the simulations it reads, the pure function that assesses them, its null models.

    ``statement`` is a template whose ``{name}`` fields are the family's thresholds, so the numbers a statement
    quotes are the numbers its verdict uses. ``known_deviations`` maps a check name to what was found where a
    sub-statement does not reproduce (a finding); the verdict still says the claim does not hold, and strict
    mode tolerates exactly those checks failing.
    """

    id: str
    statement: str
    source: Source
    simulations: tuple[str, ...]
    assess: Assess
    nulls: tuple[Null, ...] = ()
    known_deviations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Family:
    """A family of claims from one paper, its simulations and its thresholds."""

    name: str
    title: str
    paper: Paper
    thresholds: Any  # a frozen dataclass instance (the family's one block of thresholds)
    simulations: Mapping[str, Simulation]
    claims: Mapping[str, Claim]
    check_config: Callable[[Mapping[str, Any]], list[str]] | None = None

    def __post_init__(self) -> None:
        if not dataclasses.is_dataclass(self.thresholds):
            raise TypeError(f"family {self.name}: thresholds must be a dataclass instance")
        for claim in self.claims.values():
            missing = [s for s in claim.simulations if s not in self.simulations]
            if missing:
                raise ValueError(f"claim {claim.id} reads unknown simulations {missing}")
            self.statement(claim.id)  # every placeholder must name a threshold

    def statement(self, claim_id: str) -> str:
        """The claim's statement with the family's threshold values filled in."""
        template = self.claims[claim_id].statement
        values = dataclasses.asdict(self.thresholds)
        fields = {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
        unknown = sorted(fields - set(values))
        if unknown:
            raise ValueError(f"claim {claim_id}: statement names unknown thresholds {unknown}")
        return template.format(**values)

    def config_problems(self, section: Mapping[str, Any]) -> list[str]:
        """Problems of a (schema-valid) config section that involve several keys; empty if none."""
        return [] if self.check_config is None else self.check_config(section)


def simulation_table(*sims: Simulation) -> dict[str, Simulation]:
    """Simulations by name (names and uids unique; every ``needs`` names an earlier simulation of the table)."""
    _unique("simulation", [s.name for s in sims])
    _unique("simulation uid", [s.uid for s in sims])
    for i, sim in enumerate(sims):
        unknown = [n for n in sim.needs if n not in {s.name for s in sims[:i]}]
        if unknown:
            raise ValueError(f"simulation {sim.name} needs {unknown}, not registered before it")
    return {s.name: s for s in sims}


def claim_table(*claims: Claim) -> dict[str, Claim]:
    """Claims by id (ids unique)."""
    _unique("claim", [c.id for c in claims])
    return {c.id: c for c in claims}


def _unique(what: str, values: list[Any]) -> None:
    dup = sorted({str(v) for v in values if values.count(v) > 1})
    if dup:
        raise ValueError(f"duplicate {what} {dup}")
