"""Prove a refactor changed nothing: compare two results folders' simulation bytes and verdict outcomes.

Usage: python tools/same_results.py BEFORE AFTER [--family NAME ...]

For every ``sims/<family>/<sim>.npz`` in BEFORE: identical bytes in AFTER, or the keys whose arrays differ
(and keys present on one side only). For every ``claims/<id>.json``: the same ``holds`` and the same
pass/fail of every check (verdict files of the old format, checks as a name -> bool dict, are read too).
Exit status 0 when everything matches, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np


def _checks(record: dict) -> dict[str, bool]:
    checks = record.get("checks", {})
    if isinstance(checks, dict):
        return {k: bool(v) for k, v in checks.items()}
    return {c["name"]: bool(c["passed"]) for c in checks}


def compare_npz(a: Path, b: Path) -> list[str]:
    if a.read_bytes() == b.read_bytes():
        return []
    with np.load(a) as x, np.load(b) as y:
        only_a = sorted(set(x.files) - set(y.files))
        only_b = sorted(set(y.files) - set(x.files))
        differ = [
            k
            for k in sorted(set(x.files) & set(y.files))
            if x[k].dtype != y[k].dtype
            or x[k].shape != y[k].shape
            or not np.array_equal(x[k], y[k], equal_nan=x[k].dtype.kind in "fc")  # NaN only in float arrays
        ]
    out = [f"bytes differ; arrays differ: {differ}"] if differ else ["bytes differ, arrays equal"]
    if only_a or only_b:
        out.append(f"keys only before: {only_a}; only after: {only_b}")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("before", type=Path)
    p.add_argument("after", type=Path)
    p.add_argument("--family", action="append", default=[], help="only these families' simulations and claims")
    args = p.parse_args(argv)
    problems = 0
    for a in sorted(args.before.glob("sims/*/*.npz")):
        if args.family and a.parent.name not in args.family:
            continue
        rel = a.relative_to(args.before)
        b = args.after / rel
        if not b.exists():
            print(f"MISSING  {rel}")
            problems += 1
            continue
        diff = compare_npz(a, b)
        print(f"{'same    ' if not diff else 'DIFFERS '} {rel}" + ("" if not diff else f": {'; '.join(diff)}"))
        problems += bool(diff)
    for a in sorted(args.before.glob("claims/*.json")):
        rel = a.relative_to(args.before)
        b = args.after / rel
        va = json.loads(a.read_text())
        if args.family and va.get("family", va.get("parameters", {}).get("family")) not in args.family:
            continue
        if not b.exists():
            print(f"MISSING  {rel}")
            problems += 1
            continue
        vb = json.loads(b.read_text())
        ca, cb = _checks(va), _checks(vb)
        same = va["holds"] == vb["holds"] and ca == cb
        detail = ""
        if not same:
            flipped = sorted(k for k in set(ca) | set(cb) if ca.get(k) != cb.get(k))
            detail = f": holds {va['holds']} -> {vb['holds']}; checks differing {flipped}"
        print(f"{'same    ' if same else 'DIFFERS '} {rel} (holds {vb['holds']}, {len(cb)} checks){detail}")
        problems += not same
    print(f"{problems} difference(s)")
    return int(problems > 0)


if __name__ == "__main__":
    sys.exit(main())
