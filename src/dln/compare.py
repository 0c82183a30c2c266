"""Compare two results folders: the claims whose verdict, checks or headline numbers changed, and why.

Two runs (two configs, two seeds, two code versions) are compared as data, in three pure steps:
`load_run` reads a folder (``claims/<id>.json``, ``config.json``, the ``sims/`` sidecars) into a `Run`,
`diff_runs` turns two runs into a typed `RunDiff`, and `render` writes it as a markdown or plain-text table.
``python -m dln compare A B`` is the command line (exit 1 when a verdict changed).

Verdict records come in two schemas, both read here:
- new: ``checks`` is a list of ``{"name", "measured", "comparison", "threshold", "passed"}``; the headline
  numbers of a claim are its checks' ``measured`` values;
- old: ``checks`` is a dict name -> bool; the headline numbers are the flattened ``measured`` dict (dotted keys).
A claim in the new schema on one side and the old on the other is compared on the flattened ``measured`` dict,
which both have. Numbers and lists of numbers are compared elementwise; the relative change of a pair is
|new - old| / |old| (the largest over the elements of a list; infinite when old is 0 and new is not).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
"""Stands for a claim, check, number or config key that one of the two runs does not have."""

Kind = Literal["verdict", "check", "threshold", "number"]
_PART = re.compile(r"\.part\d+$")


class CompareError(ValueError):
    """A folder that cannot be compared (missing, or no verdicts in it): a usage error."""


@dataclass(frozen=True)
class Check:
    """One named check of a verdict; the fields the old schema lacks are None."""

    name: str
    passed: bool | None
    measured: Any = None
    comparison: str | None = None
    threshold: Any = None


@dataclass(frozen=True)
class Claim:
    """What of a verdict record the comparison looks at."""

    id: str
    holds: bool
    checks: dict[str, Check]
    measured: dict[str, Any]
    thresholds: dict[str, Any]
    new_schema: bool

    def numbers(self, other: Claim) -> dict[str, Any]:
        """Headline numbers: each check's measured value, or the flattened ``measured`` dict (old or mixed)."""
        if self.new_schema and other.new_schema:
            return {name: c.measured for name, c in self.checks.items()}
        return self.measured


@dataclass(frozen=True)
class Run:
    """One results folder: its verdicts by claim id, its config as dotted keys, its package versions."""

    folder: Path
    claims: dict[str, Claim]
    config: dict[str, Any] | None
    sim_specs: dict[str, Any]
    versions: dict[str, str]
    versions_complete: bool = False
    """True when every sidecar recorded the lock's full set (else only numpy, scipy, python, git revision)."""


@dataclass(frozen=True)
class Change:
    """One difference of a claim between run A (old) and run B (new); ``relative`` only for numbers."""

    claim: str
    kind: Kind
    name: str
    old: Any
    new: Any
    relative: float | None = None


@dataclass(frozen=True)
class KeyChange:
    """A config key (or package version) that differs: dotted key, value in A, value in B."""

    key: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RunDiff:
    """Everything that differs between two runs."""

    a: Path
    b: Path
    claims_compared: int
    changes: list[Change]
    config: list[KeyChange]
    config_source: str
    versions: list[KeyChange] = field(default_factory=list)

    @property
    def verdicts_changed(self) -> list[str]:
        return [c.claim for c in self.changes if c.kind == "verdict"]

    @property
    def exit_status(self) -> int:
        """0 when no verdict changed, 1 when some verdict changed."""
        return 1 if self.verdicts_changed else 0


# --- loading ------------------------------------------------------------------------------------------------


def flatten(tree: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts as dotted keys (``{"a": {"b": 1}}`` -> ``{"a.b": 1}``); lists and scalars are leaves."""
    if not isinstance(tree, Mapping):
        return {prefix: tree} if prefix else {}
    out: dict[str, Any] = {}
    for key, value in tree.items():
        dotted = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            out.update(flatten(value, dotted))
        else:
            out[dotted] = value
    return out


def claim_from_record(record: Mapping[str, Any]) -> Claim:
    """A verdict record (new or old schema) as a `Claim`."""
    raw = record.get("checks", {})
    if isinstance(raw, Mapping):  # old schema: name -> bool
        checks = {name: Check(name, bool(ok)) for name, ok in raw.items()}
        new_schema = False
    else:
        checks = {
            c["name"]: Check(c["name"], c.get("passed"), c.get("measured"), c.get("comparison"), c.get("threshold"))
            for c in raw
        }
        new_schema = True
    return Claim(
        id=str(record["id"]),
        holds=bool(record["holds"]),
        checks=checks,
        measured=flatten(record.get("measured", {})),
        thresholds=flatten(record.get("thresholds", {})),
        new_schema=new_schema,
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise CompareError(f"{path}: cannot read JSON ({err})") from err


def load_run(folder: str | Path) -> Run:
    """Read a results folder; raise `CompareError` when it is missing or holds no verdicts."""
    root = Path(folder)
    if not root.is_dir():
        raise CompareError(f"{root}: no such folder")
    paths = sorted((root / "claims").glob("*.json"))
    if not paths:
        raise CompareError(f"{root}: not a results folder (no claims/<id>.json verdicts in it)")
    claims = {}
    for path in paths:
        try:
            claim = claim_from_record(_read_json(path))
        except (KeyError, TypeError) as err:
            raise CompareError(f"{path}: not a verdict record ({err!r} missing or malformed)") from err
        claims[claim.id] = claim
    config = flatten(_read_json(root / "config.json")) if (root / "config.json").is_file() else None
    sidecars = {p: _read_json(p) for p in sorted((root / "sims").glob("*/*.json")) if not _PART.search(p.stem)}
    specs: dict[str, Any] = {}
    versions: dict[str, set[str]] = {}
    complete = bool(sidecars)
    for path, sidecar in sidecars.items():
        specs.update(flatten(sidecar.get("spec", {}), f"{path.parent.name}.{path.stem}"))
        if "seed" in sidecar:
            specs["seed"] = sidecar["seed"].get("entropy")
        provenance = sidecar.get("provenance", {})
        env = provenance.get("environment")
        complete = complete and bool(env)
        packages = dict(env["packages"]) if env else {k: provenance.get(k) for k in ("numpy", "scipy")}
        for key in ("python", "git_revision"):
            packages[key] = provenance.get(key)
        for key, value in packages.items():
            versions.setdefault(key, set()).add("missing" if value is None else str(value))
    joined = {k: " / ".join(sorted(v)) for k, v in versions.items()}
    return Run(root, claims, config, specs, joined, complete)


# --- diffing ------------------------------------------------------------------------------------------------


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _leaves(x: Any) -> list[Any]:
    return [leaf for item in x for leaf in _leaves(item)] if isinstance(x, list) else [x]


def relative_change(old: Any, new: Any) -> float | None:
    """|new - old| / |old| for numbers, the largest over elements for lists of equal shape; None otherwise.

    Equal values give 0.0 (also None == None inside a list); old 0 and new not 0 gives infinity.
    """
    if isinstance(old, list) and isinstance(new, list):
        a, b = _leaves(old), _leaves(new)
        if len(a) != len(b):
            return None
        parts = [relative_change(x, y) for x, y in zip(a, b, strict=True)]
        return None if any(p is None for p in parts) else max((p for p in parts if p is not None), default=0.0)
    if old == new and type(old) is type(new):
        return 0.0
    if _is_number(old) and _is_number(new):
        if old == 0:
            return math.inf
        return abs(new - old) / abs(old)
    return None


def _number_changed(old: Any, new: Any, rtol: float) -> bool:
    rel = relative_change(old, new)
    if rel is None:
        return old != new or type(old) is not type(new)
    return rel > rtol


def _verdict(claim: Claim | None) -> Any:
    return MISSING if claim is None else claim.holds


def _check_text(check: Check) -> Any:
    """A check's rule as text (``>= 10``), or None when the record does not say (old schema)."""
    if check.comparison is None and check.threshold is None:
        return None
    return f"{check.comparison or ''} {json.dumps(check.threshold)}".strip()


def diff_claim(a: Claim | None, b: Claim | None, rtol: float = 0.0) -> list[Change]:
    """The changes of one claim: verdict, checks (passed, rule), thresholds (old schema), headline numbers."""
    either = a if a is not None else b
    if either is None:
        raise ValueError("diff_claim needs a claim on at least one side")
    cid = either.id
    changes: list[Change] = []
    if _verdict(a) != _verdict(b):
        changes.append(Change(cid, "verdict", "", _verdict(a), _verdict(b)))
    if a is None or b is None:
        return changes
    for name in sorted(set(a.checks) | set(b.checks)):
        ca, cb = a.checks.get(name), b.checks.get(name)
        old = MISSING if ca is None else ca.passed
        new = MISSING if cb is None else cb.passed
        if old != new:
            changes.append(Change(cid, "check", name, old, new))
        if a.new_schema and b.new_schema and ca is not None and cb is not None:
            if _check_text(ca) != _check_text(cb):  # the rule itself changed (code version)
                changes.append(Change(cid, "threshold", name, _check_text(ca), _check_text(cb)))
    if not (a.new_schema and b.new_schema):
        for name in sorted(set(a.thresholds) | set(b.thresholds)):
            old, new = a.thresholds.get(name, MISSING), b.thresholds.get(name, MISSING)
            if old != new:
                changes.append(Change(cid, "threshold", name, old, new))
    na, nb = a.numbers(b), b.numbers(a)
    for name in sorted(set(na) | set(nb)):
        old, new = na.get(name, MISSING), nb.get(name, MISSING)
        if old is MISSING or new is MISSING or _number_changed(old, new, rtol):
            rel = None if old is MISSING or new is MISSING else relative_change(old, new)
            changes.append(Change(cid, "number", name, old, new, rel))
    return changes


def _key_changes(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[KeyChange]:
    return [
        KeyChange(k, a.get(k, MISSING), b.get(k, MISSING))
        for k in sorted(set(a) | set(b))
        if a.get(k, MISSING) != b.get(k, MISSING)
    ]


def _version_changes(a: Run, b: Run) -> list[KeyChange]:
    """Package versions that differ; a package recorded by one run only counts when both recorded full sets."""
    if a.versions_complete and b.versions_complete:
        return _key_changes(a.versions, b.versions)
    common = set(a.versions) & set(b.versions)
    return _key_changes({k: a.versions[k] for k in common}, {k: b.versions[k] for k in common})


def diff_runs(a: Run, b: Run, rtol: float = 0.0) -> RunDiff:
    """Every claim change (claims sorted by id), the config keys that differ, and the package versions.

    The configs are the folders' ``config.json`` when both have one, else the ``spec`` of their simulation
    sidecars (keys ``<family>.<simulation>.<key>``, plus ``seed``) for both, so that like is compared with like.
    """
    changes = [
        c
        for cid in sorted(set(a.claims) | set(b.claims))
        for c in diff_claim(a.claims.get(cid), b.claims.get(cid), rtol)
    ]
    if a.config is not None and b.config is not None:
        config, source = _key_changes(a.config, b.config), "config.json"
    else:
        config, source = _key_changes(a.sim_specs, b.sim_specs), "sims/<family>/<simulation>.json (spec)"
    return RunDiff(
        a=a.folder,
        b=b.folder,
        claims_compared=len(set(a.claims) | set(b.claims)),
        changes=changes,
        config=config,
        config_source=source,
        versions=_version_changes(a, b),
    )


def compare_folders(a: str | Path, b: str | Path, rtol: float = 0.0) -> RunDiff:
    return diff_runs(load_run(a), load_run(b), rtol)


# --- rendering ----------------------------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is MISSING:
        return "—"
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        shown = ", ".join(_fmt(v) for v in value[:6])
        return f"[{shown}{', …' if len(value) > 6 else ''}]"
    return str(value)


def _fmt_change(change: Change, value: Any) -> str:
    if value is MISSING:
        return "—"
    if change.kind == "verdict":
        return "holds" if value else "does not hold"
    if change.kind == "check":
        return "passed" if value else ("n/a" if value is None else "failed")
    return _fmt(value)


def _fmt_relative(rel: float | None) -> str:
    if rel is None:
        return ""
    if math.isinf(rel):
        return "∞ (old 0)"
    return f"{100 * rel:.3g} %"


_WHAT = {"verdict": "verdict", "check": "check", "threshold": "threshold", "number": "measured"}


def rows(diff: RunDiff) -> list[list[str]]:
    """The claims table as rows of text: claim, what changed, old (A), new (B), relative change."""
    return [
        [
            c.claim,
            _WHAT[c.kind] + (f" {c.name}" if c.name else ""),
            _fmt_change(c, c.old),
            _fmt_change(c, c.new),
            _fmt_relative(c.relative),
        ]
        for c in diff.changes
    ]


def _summary(diff: RunDiff) -> list[str]:
    counts = {k: sum(c.kind == k for c in diff.changes) for k in ("verdict", "check", "threshold", "number")}
    claims = len({c.claim for c in diff.changes})
    return [
        f"A = {diff.a}, B = {diff.b}: {diff.claims_compared} claims, {claims} changed "
        f"(changes: verdicts {counts['verdict']}, checks {counts['check']}, thresholds {counts['threshold']}, "
        f"measured numbers {counts['number']}); config keys that differ: {len(diff.config)}.",
        "Verdicts changed: " + (", ".join(diff.verdicts_changed) or "none") + ".",
    ]


def _markdown_table(header: list[str], body: Iterable[list[str]]) -> list[str]:
    esc = [[cell.replace("|", "\\|") for cell in row] for row in body]
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header), *("| " + " | ".join(r) + " |" for r in esc)]


def _text_table(header: list[str], body: Iterable[list[str]]) -> list[str]:
    table = [header, *body]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in table]
    return [lines[0], "  ".join("-" * w for w in widths), *lines[1:]]


def render(diff: RunDiff, style: Literal["markdown", "text"] = "markdown") -> str:
    """The diff as a report: a summary, the claims table, the config keys and package versions that differ."""
    table = _markdown_table if style == "markdown" else _text_table
    heading = (lambda t: [f"## {t}", ""]) if style == "markdown" else (lambda t: [t, "=" * len(t)])
    out = [*_summary(diff), ""]
    out += heading("Claims that changed")
    body = rows(diff)
    out += table(["claim", "what", "A (old)", "B (new)", "relative change"], body) if body else ["none"]
    out += ["", *heading(f"Config keys that differ (from {diff.config_source})")]
    keys = [[k.key, _fmt(k.old), _fmt(k.new)] for k in diff.config]
    out += table(["key", "A (old)", "B (new)"], keys) if keys else ["none"]
    if diff.versions:
        out += ["", *heading("Package versions and code revision that differ (simulation sidecars)")]
        out += table(["package", "A (old)", "B (new)"], [[k.key, _fmt(k.old), _fmt(k.new)] for k in diff.versions])
    return "\n".join(out) + "\n"
