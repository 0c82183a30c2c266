"""Discovery of claim families: every package ``dln.<name>`` whose ``claims`` module defines ``FAMILY``.

The workflow, the command line and the tests find simulations and claims only through this registry.
Families are ordered by their paper's year, then by name.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import Path

from dln.contract import Claim, Family, Simulation

PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def families() -> dict[str, Family]:
    """All registered families, by name."""
    found: list[Family] = []
    for info in pkgutil.iter_modules([str(PACKAGE_DIR)]):
        if info.ispkg and (PACKAGE_DIR / info.name / "claims.py").exists():
            fam = getattr(importlib.import_module(f"dln.{info.name}.claims"), "FAMILY", None)
            if isinstance(fam, Family):
                if fam.name != info.name:
                    raise ValueError(f"package dln.{info.name} registers a family named {fam.name!r}")
                found.append(fam)
    found.sort(key=lambda f: (f.paper.year, f.name))
    ids = [c for f in found for c in f.claims]
    dup = sorted({c for c in ids if ids.count(c) > 1})
    if dup:
        raise ValueError(f"claim ids registered by two families: {dup}")
    return {f.name: f for f in found}


def find_claim(claim_id: str) -> tuple[Family, Claim]:
    for fam in families().values():
        if claim_id in fam.claims:
            return fam, fam.claims[claim_id]
    known = sorted(c for f in families().values() for c in f.claims)
    raise KeyError(f"unknown claim {claim_id!r}; known claims: {', '.join(known)}")


def find_simulation(family: str, name: str) -> Simulation:
    fams = families()
    if family not in fams:
        raise KeyError(f"unknown family {family!r}; known: {', '.join(sorted(fams))}")
    sims = fams[family].simulations
    if name not in sims:
        raise KeyError(f"unknown simulation {name!r} of family {family!r}; known: {', '.join(sorted(sims))}")
    return sims[name]


def schema_path(family: str) -> Path:
    """The JSON schema of a family's config section (package data beside its claims)."""
    return PACKAGE_DIR / family / "config.schema.yaml"
