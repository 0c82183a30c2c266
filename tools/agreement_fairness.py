"""How often would a simulator identical to the authors' pass the published-agreement checks?

For each multitask claim with a published comparison, every compared cell's seeds (ours and theirs) are pooled
and re-split at random into two sets of the original sizes: two seed sets of one simulator. On each re-split
this evaluates the claim's agreement checks as `dln.multitask.published.agreement` does:

* the 3x / 10x checks on the non-MTL cells above the floor (within 3x on >= 95 %, within 10x on all), on the raw
  factors and on the factors beyond each cell's seed spread (what the verdicts use);
* the decided-cell check (every decided cell inside its seed-noise interval, per cell at level ALPHA).

Each is a pass rate over the re-splits; a fair check passes such a simulator nearly always. Reads a results
folder of a paper-scale run (its sims/multitask/{single_task,mtl,nested}.npz).

Example (the README's numbers): .venv/bin/python tools/agreement_fairness.py results-paper --splits 300
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from dln import io
from dln.multitask import claims as K
from dln.multitask import published as P
from dln.multitask.simulations import MTL, NESTED, SINGLE_TASK


def claim_cells(root: Path) -> dict[str, tuple[dict, tuple[list, list]]]:
    """Per claim: our per-seed relative losses (`published.our_samples`) and its (figure, decided) cells."""
    sims = root / "sims" / "multitask"
    load = {"single_task": SINGLE_TASK, "mtl": MTL, "nested": NESTED}
    st, mt, ne = (load[n].view(io.load_npz(sims / f"{n}.npz")) for n in ("single_task", "mtl", "nested"))
    return {
        "shared_features_help": (P.our_samples(st, mt), K.shared_features_cells(st)),
        "no_overlap_costs": (P.our_samples(st, mt), K.no_overlap_cells(st)),
        "nested_feature_selection": (P.our_samples(ne), K.nested_cells(ne)),
        "rescaling_and_new_features": (P.our_samples(st, mt), K.rescaling_cells(st)),
    }


def pools(samples: dict, cells: list, with_mtl: bool) -> list[tuple[np.ndarray, int]]:
    """(ours and theirs pooled, our seed count) of each cell both sides have, above the floor, all positive."""
    pub, out = P.load(), []
    for cell in cells:
        if cell.method == "mtl" and not with_mtl:
            continue
        a = np.asarray(samples[cell.label][:, cell.row, cell.position], dtype=float)
        b = pub.seeds(cell.experiment, cell.method, cell.c, cell.k, cell.overlap, cell.n)
        if b.size == 0 or a.size == 0 or not np.all(np.isfinite(a)):
            continue
        if a.mean() > P.FLOOR and b.mean() > P.FLOOR and np.all(a > 0) and np.all(b > 0):
            out.append((np.concatenate([a, b]), a.size))
    return out


def pass_rates(wide: list, narrow: list, rng: np.random.Generator, splits: int) -> dict:
    """Pass rates of the 3x / 10x checks on the ``wide`` pools (raw and beyond seed spread) and of the
    decided-cell check on the ``narrow`` ones (`pools`)."""
    raw_ok = spread_ok = decided_ok = 0
    cell_failures = 0
    for _ in range(splits):
        raw, spread = [], []
        for pool, na in wide:
            idx = rng.permutation(pool.size)
            x, y = pool[idx[:na]], pool[idx[na:]]
            f = max(x.mean() / y.mean(), y.mean() / x.mean())
            raw.append(f)
            spread.append(max(1.0, f / P.seed_noise(x, y, rng).allowance))
        r, s = np.array(raw), np.array(spread)
        raw_ok += bool(np.mean(r <= P.WITHIN) >= P.WITHIN_FRACTION and r.max() <= P.WITHIN_ALL)
        spread_ok += bool(np.mean(s <= P.WITHIN) >= P.WITHIN_FRACTION and s.max() <= P.WITHIN_ALL)
        fails = 0
        for pool, na in narrow:
            idx = rng.permutation(pool.size)
            fails += not P.seed_noise(pool[idx[:na]], pool[idx[na:]], rng).agrees
        cell_failures += fails
        decided_ok += fails == 0
    return {
        "cells_3x_10x": len(wide),
        "pass_3x_10x_raw": raw_ok / splits,
        "pass_3x_10x_beyond_seed_spread": spread_ok / splits,
        "decided_cells": len(narrow),
        "pass_decided_cells": decided_ok / splits,
        "per_cell_failure_rate": cell_failures / splits / max(len(narrow), 1),
        "splits": splits,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root", type=Path, help="results folder of a paper-scale run")
    ap.add_argument("--splits", type=int, default=300, help="random re-splits per claim")
    ap.add_argument("--seed", type=int, default=0, help="seed of the re-splits")
    ap.add_argument("--with-mtl", action="store_true", help="include MTL cells in the 3x / 10x checks")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    for claim, (samples, (figure, decided)) in claim_cells(args.root).items():
        rates = pass_rates(pools(samples, figure, args.with_mtl), pools(samples, decided, True), rng, args.splits)
        print(json.dumps({"claim": claim} | rates), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
