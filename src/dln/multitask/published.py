"""Our learning curves against the authors' published results (Lippl & Lindsey 2024), cell by cell.

The published numbers (`published/lippl_lindsey_2024.csv`, written by ``tools/published_means.py`` from the
authors' ``data/processed/diagonal/*.feather``; its header names the repository, the commit and each file's
sha256) are, per run (method, teacher, main-task n, seed 0-5):

* ``loss``: the main task's test MSE on 10,000 fresh inputs, **minimum over the logged checkpoints** (every 50
  epochs and after the last one), not the final value. The collation script is not in the authors' repository;
  the data settle it: without overlap at n = 16, 32 the PT+FT and PT+FT (LR) runs converge (train MSE < 1e-10)
  to interpolators with 1.4-12 x the teacher energy, yet report 0.97-1.02 x it (the loss at beta ~ 0).
* ``baseline``: the same seed's STL value (also a minimum) at the smallest n, joined on (seed, overlap) in the
  overlap experiment, on (seed, k, overlap yes/no) in the sparse one; the rescaled PT+FT rows use the sparse
  experiment's STL baseline (the authors' fig-shared.Rmd / fig-nested.Rmd).
* ``relative = loss / baseline``; the paper plots its mean over the 6 seeds.

Ours is formed the same way (`our_samples`): each method's minimum over checkpoints (``min``: MTL's logged
minimum; LP's exact minimum over its 50-step checkpoints; STL's and PT+FT's min(start, limit)) over the same
seed's STL ``min`` at the smallest n. (The verdicts' own relative losses divide by STL's *final* loss there,
1.0-1.16 x larger at paper scale.)

A cell is (experiment, method, k, overlap, n). Our cells map to the paper's by role: n by position in the
doubling grid, overlaps as fractions of k_aux, k to the paper k nearest to 40 k / k_aux; ``exact`` says the
cell has the paper's sizes. Per cell: ours = mean over our seeds, published = mean over the 6 seeds, ratio =
ours / published (compared where both are above `FLOOR`).

Seed noise (`seed_noise`): a randomisation test of "both sets of seeds come from one simulator". The statistic
is |log(mean(a) / mean(b))|; the seeds of both sides are pooled and re-split at random (``PERMUTATIONS``
splits, an explicit Generator seeded from `dln.seeds`), and the cell agrees within seed noise when the observed
statistic is not above the (1 - `ALPHA`) quantile q of the re-split statistics (the observed split included),
widened by `MC_TOL` (10 %: the published test losses are Monte-Carlo estimates on 10,000 points, ours exact).
Under that null the cell fails with probability <= `ALPHA` whatever the losses' distribution (exchangeability),
so two independent seed sets of one simulator agree on each cell at >= 99 % and on all of m cells at >= 1 -
m `ALPHA` (tested in tests/test_multitask_published.py). The interval reported is ratio x/÷ 1.1 e^q: it contains 1
exactly when the cell agrees. With few seeds no split can be extreme enough (3 vs 6 seeds: p >= 2/84); such a
cell is flagged ``resolvable = False`` (its agreement says nothing).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dln import checks as C
from dln.checks import Check
from dln.layout import View
from dln.multitask.experiments import OVERLAP_EXP
from dln.multitask.relative import PAPER_N
from dln.seeds import run_rng

Array = NDArray[np.float64]

CSV = "lippl_lindsey_2024.csv"
FLOOR = 1e-6  # compared only where both means are above it (the paper's runs stop at train MSE 1e-10)
ALPHA = 0.01  # per-cell level of the seed-noise test
PERMUTATIONS = 4000
WITHIN = 3.0  # ours within 3x of published ...
WITHIN_FRACTION = 0.95  # ... on at least 95 % of the cells above the floor
WITHIN_ALL = 10.0  # and within 10x on all of them
MC_TOL = 1.1  # their test losses are Monte-Carlo estimates on 10,000 points (~1.4 % per value, up to 3 % seen
# on the STL n = 16 plateau), ours exact population losses: the seed-noise interval is widened by 10 %
UID_PUBLISHED = 506  # seed-stream id of the seed-noise test (the family's simulations use 500-505 and 507)

PAPER_D, PAPER_K_AUX, PAPER_N_AUX = 1000, 40, 1024
PAPER_K = (5, 10, 20, 30, 40)
PAPER_OVERLAPS = (0, 20, 30, 40)
EXPERIMENTS = {OVERLAP_EXP: "overlap", 1: "sparse"}
METHOD_NAMES = {"stl": "STL", "mtl": "MTL", "ptft": "PT+FT", "lp_ptft": "PT+FT (LP)", "lp_stl": "STL (LP)"}


@dataclass(frozen=True)
class Published:
    """The CSV: header facts (repository, commit, files with sha256, definition lines) and its columns."""

    repository: str
    commit: str
    files: Mapping[str, str]
    header: tuple[str, ...]
    columns: Mapping[str, NDArray[Any]]

    @property
    def rows(self) -> int:
        return int(self.columns["seed"].size)

    def seeds(self, experiment: str, method: str, c: float | None, k: int, overlap: int, n: int) -> Array:
        """Published relative losses of one cell, one per seed (empty if the paper has no such cell)."""
        col = self.columns
        sel = (col["experiment"] == experiment) & (col["method"] == method)
        sel &= (col["k"] == k) & (col["overlap"] == overlap) & (col["n"] == n)
        sel &= np.isnan(col["c"]) if c is None else np.isclose(col["c"], c, rtol=1e-9, atol=0.0)
        order = np.argsort(col["seed"][sel])
        return np.asarray(col["relative"][sel][order], dtype=float)


@cache
def load() -> Published:
    """Read the package's published CSV (importlib.resources)."""
    text = (resources.files("dln.multitask") / "published" / CSV).read_text(encoding="utf-8")
    lines = text.splitlines()
    header = tuple(line[2:] for line in lines if line.startswith("# "))
    facts = [h.split(": ", 1) for h in header if ": " in h]
    repository = next(v for k, v in facts if k == "repository")
    commit = next(v for k, v in facts if k == "commit")
    files = {v.split(" sha256 ")[0]: v.split(" sha256 ")[1] for k, v in facts if k == "file"}
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    ints, floats = ("k", "overlap", "n", "seed"), ("c", "loss", "train_mse", "baseline", "relative")
    columns: dict[str, NDArray[Any]] = {
        "experiment": np.array([r["experiment"] for r in rows]),
        "method": np.array([r["method"] for r in rows]),
    }
    columns |= {k: np.array([int(r[k]) for r in rows], dtype=np.int64) for k in ints}
    columns |= {k: np.array([float(r[k]) if r[k] else math.nan for r in rows]) for k in floats}
    return Published(repository, commit, files, header, columns)


# ---------------------------------------------------------------------------------------------- our side
def our_samples(single: View, mtl: View | None = None) -> dict[str, Array]:
    """Per-seed relative losses (seeds, teachers, n) in the published definition: each method's minimum over
    checkpoints over the same seed's STL minimum at the smallest n. ``mtl``: the `mtl` simulation's view (its
    seeds are the first of ``single``'s); None when ``single`` holds MTL itself (`nested`)."""
    base = np.asarray(single.stl.min[:, :, :1])
    out = {"stl": single.stl.min / base}
    out |= {f"ptft_c{i}": block.min / base for i, block in single.ptft.items()}
    out |= {"lp_ptft": single.lp_ptft.min / base, "lp_stl": single.lp_stl.min / base}
    m_view = single.mtl if mtl is None else mtl.mtl
    out["mtl"] = m_view.min / base[: m_view.min.shape[0]]
    return out


@dataclass(frozen=True)
class Cell:
    """One of our (method label, teacher row, n position) cells and the paper cell it stands for."""

    label: str
    row: int
    position: int
    experiment: str
    method: str
    c: float | None
    k: int
    overlap: int
    n: int
    exact: bool

    @property
    def name(self) -> str:
        method = METHOD_NAMES[self.method] + (f" c={self.c:g}" if self.method == "ptft" else "")
        return f"{method}, {self.experiment} k={self.k} overlap={self.overlap}, n={self.n}"


def k_aux_of(r: View) -> int:
    """Auxiliary support size: from the auxiliary teacher, else the overlap experiment's k, else the largest k."""
    nz = int(np.count_nonzero(np.asarray(r.beta_aux)[0]))
    if nz:
        return nz
    t = r.teacher
    ov = t.k_main[t.experiment == OVERLAP_EXP]
    return int(ov.max()) if ov.size else int(t.k_main.max())


def paper_cell(r: View, c: Array, label: str, row: int, position: int) -> Cell | None:
    """The paper cell standing for ours (None where the paper has none: an n position past 512, a c it did not
    run)."""
    if position >= len(PAPER_N):
        return None
    k_aux, d = k_aux_of(r), int(np.asarray(r.beta_aux).shape[-1])
    t = r.teacher
    e, k, o = int(t.experiment[row]), int(t.k_main[row]), int(t.overlap[row])
    if e == OVERLAP_EXP:
        kp, op = PAPER_K_AUX, int(round(PAPER_K_AUX * o / k_aux))
        if op not in PAPER_OVERLAPS:
            return None
        sizes = k_aux == PAPER_K_AUX
    else:
        target = PAPER_K_AUX * k / k_aux
        kp = min(PAPER_K, key=lambda x: abs(math.log(x / target)))
        op = kp if o == k else 0
        sizes = k_aux == PAPER_K_AUX and k in PAPER_K
    cval: float | None
    if label.startswith("ptft_c"):
        method, cval = "ptft", float(c[int(label[len("ptft_c") :])])
    else:
        method, cval = label, (1.0 if label == "lp_ptft" else None)
    exact = bool(sizes and d == PAPER_D and int(r.n_main[position]) == PAPER_N[position])
    return Cell(label, row, position, EXPERIMENTS[e], method, cval, kp, op, PAPER_N[position], exact)


def cells(r: View, c: Array, labels: Sequence[str], rows: Iterable[int], positions: Iterable[int]) -> list[Cell]:
    """The paper cells of every (label, row, position), skipping those the paper does not have."""
    out = []
    rows, positions = [int(i) for i in rows], [int(p) for p in positions]
    for label in labels:
        for row in rows:
            for p in positions:
                cell = paper_cell(r, c, label, int(row), int(p))
                if cell is not None:
                    out.append(cell)
    return out


# ------------------------------------------------------------------------------------------- comparison
@dataclass(frozen=True)
class Noise:
    p_value: float
    factor: float  # e^q: the ratio seed noise alone reaches at level ALPHA (x MC_TOL)
    agrees: bool
    resolvable: bool  # some re-split could be extreme enough to reject at ALPHA
    # the same quantile with the observed offset divided out of our seeds first (x MC_TOL): the spread of the
    # two seed sets alone, which a real offset does not inflate (it does inflate ``factor``: pooling 1x and 5x
    # seeds makes every re-split look far apart); what the 3x and 10x checks allow for seed noise
    allowance: float


def _log_ratio(pool: Array, first: NDArray[np.int64], size_a: int) -> Array:
    a, b = pool[first[..., :size_a]], pool[first[..., size_a:]]
    return np.asarray(np.abs(np.log(a.mean(axis=-1)) - np.log(b.mean(axis=-1))))


def seed_noise(a: Array, b: Array, rng: np.random.Generator, alpha: float = ALPHA) -> Noise:
    """Randomisation test of "a and b are seeds of one simulator" (see the module docstring)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    pool = np.concatenate([a, b])
    splits = np.argsort(rng.random((PERMUTATIONS, pool.size)), axis=1)
    observed = float(abs(math.log(a.mean()) - math.log(b.mean())))
    stats = np.append(_log_ratio(pool, splits, a.size), observed)
    q = float(np.quantile(stats, 1.0 - alpha, method="higher"))
    p = float(np.mean(stats >= observed * (1 - 1e-12)))
    possible = (2.0 if a.size == b.size else 1.0) / math.comb(pool.size, a.size)  # smallest attainable p
    centred = np.concatenate([a * (b.mean() / a.mean()), b])  # our seeds with the observed offset divided out
    spread = float(np.quantile(_log_ratio(centred, splits, a.size), 1.0 - alpha, method="higher"))
    return Noise(
        p, math.exp(q) * MC_TOL, observed <= q + math.log(MC_TOL), possible <= alpha, math.exp(spread) * MC_TOL
    )


@dataclass(frozen=True)
class Record:
    """One compared cell: ours and published means over seeds, their ratio, and the seed-noise test."""

    cell: Cell
    ours: float
    published: float
    ratio: float
    above_floor: bool
    ours_seeds: int
    published_seeds: int
    noise: Noise | None

    @property
    def name(self) -> str:
        return self.cell.name

    @property
    def factor(self) -> float:
        """max(ratio, 1 / ratio): how far apart, either way."""
        return max(self.ratio, 1.0 / self.ratio) if self.ratio > 0 else math.inf

    @property
    def factor_beyond_noise(self) -> float:
        """How far apart beyond what seed noise alone reaches: factor / the cell's seed spread
        (`Noise.allowance`), at least 1. The 3x and 10x checks use it: a cell is within 3x of published unless
        it is beyond 3x by more than the spread of its seeds. Without a noise test (a zero loss) the raw factor."""
        if self.noise is None:
            return self.factor
        return max(1.0, self.factor / self.noise.allowance)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "cell": self.name,
            "ours": self.ours,
            "published": self.published,
            "ratio": self.ratio,
            "both_above_floor": self.above_floor,
            "seeds": [self.ours_seeds, self.published_seeds],
            "paper_sizes": self.cell.exact,
        }
        if self.cell.label != self.cell.method or not self.cell.exact:
            out["ours_label"] = f"{self.cell.label} row {self.cell.row} n position {self.cell.position}"
        if self.noise is not None:
            lo, hi = self.ratio / self.noise.factor, self.ratio * self.noise.factor
            out |= {
                "factor_beyond_seed_noise": self.factor_beyond_noise,
                "seed_spread_factor": self.noise.allowance,
                "seed_noise_interval": [lo, hi],
                "agrees_within_seed_noise": self.noise.agrees,
                "p_value": self.noise.p_value,
                "resolvable": self.noise.resolvable,
            }
        return out


def compare(samples: Mapping[str, Array], cells_: Sequence[Cell], seed: int = 0) -> list[Record]:
    """Per cell: ours (mean over our seeds), published (mean over theirs), ratio, floor flag and seed noise.

    Cells where our samples are NaN (not trained) or the paper has no seeds are skipped."""
    pub = load()
    out = []
    for i, cell in enumerate(cells_):
        ours_seeds = np.asarray(samples[cell.label][:, cell.row, cell.position], dtype=float)
        theirs = pub.seeds(cell.experiment, cell.method, cell.c, cell.k, cell.overlap, cell.n)
        if theirs.size == 0 or ours_seeds.size == 0 or not np.all(np.isfinite(ours_seeds)):
            continue
        ours, published = float(ours_seeds.mean()), float(theirs.mean())
        above = ours > FLOOR and published > FLOOR
        noise = None
        if above and np.all(ours_seeds > 0) and np.all(theirs > 0):
            noise = seed_noise(ours_seeds, theirs, run_rng(seed, UID_PUBLISHED, {"cell": cell.name}, i))
        out.append(Record(cell, ours, published, ours / published, above, ours_seeds.size, theirs.size, noise))
    return out


def paper_scale(specs: Mapping[str, Mapping[str, Any]], simulations: Sequence[str]) -> bool:
    """The claim's simulations ran at the paper's sizes (D, k_aux, n_aux, the full n grid and k list; the
    overlap experiment's overlaps among the paper's): then the published agreement is checked."""
    for name in simulations:
        s = specs.get(name)
        if not s:
            return False
        sizes = (int(s.get("d", 0)), int(s.get("k_aux", 0)), int(s.get("n_aux", 0)))
        if sizes != (PAPER_D, PAPER_K_AUX, PAPER_N_AUX):
            return False
        if tuple(int(n) for n in s.get("n_main", ())) != PAPER_N:
            return False
        if tuple(int(k) for k in s.get("k_main", ())) != PAPER_K:
            return False
        if "overlaps" in s and not set(int(o) for o in s["overlaps"]) <= set(PAPER_OVERLAPS):
            return False
    return True


CHECK_3X = "published_within_3x_on_95pct_of_cells"
CHECK_10X = "published_within_10x_on_every_cell"
CHECK_NOISE = "published_agrees_within_seed_noise_on_decided_cells"
CHECKS = (CHECK_3X, CHECK_10X, CHECK_NOISE)


def agreement(
    records: Sequence[Record], decided: Sequence[Cell], checked: bool, worst: int = 5
) -> tuple[list[Check], dict[str, Any]]:
    """The agreement checks (only when ``checked``: at paper scale) and the report (always).

    On the cells above the floor: ours within `WITHIN` x of published on >= `WITHIN_FRACTION` of them and within
    `WITHIN_ALL` x on all, each allowing the cell's seed noise (`Record.factor_beyond_noise`); every decided
    cell (above the floor) agrees within seed noise. Why the noise allowance: six seeds a side are heavy-tailed
    near the recovery thresholds, and on the raw factors a simulator identical to the authors' would fail the 3x
    and 10x checks most of the time (paper scale, `nested_feature_selection`: passes 8 % of 4000 re-splits of
    the pooled seeds; README). Raw factors are reported beside them, and the cells beyond 3x by seed noise
    alone are named."""
    above = [r for r in records if r.above_floor]
    raw = np.array([r.factor for r in above])
    factors = np.array([r.factor_beyond_noise for r in above])
    within = float(np.mean(factors <= WITHIN)) if above else math.nan
    worst_cells = [r.name for r in sorted(above, key=lambda r: -r.factor)[:worst]]
    by_noise = [r.name for r in above if r.factor > WITHIN and r.factor_beyond_noise <= WITHIN]
    outside_noise = [r.name for r in above if r.noise is not None and not r.noise.agrees]
    keys = {(d.label, d.row, d.position) for d in decided}
    on_decided = [r for r in above if (r.cell.label, r.cell.row, r.cell.position) in keys and r.noise is not None]
    disagree = sorted(
        (r for r in on_decided if r.noise and not r.noise.agrees), key=lambda r: r.noise.p_value if r.noise else 1.0
    )
    unresolvable = [r.name for r in on_decided if r.noise and not r.noise.resolvable]
    report: dict[str, Any] = {
        "checked": checked,
        "why": "paper scale: the sizes match the paper's grid"
        if checked
        else "reported, not checked: the sizes are not the paper's (cells mapped by role)",
        "source": f"{load().repository} @ {load().commit[:7]}",
        "definition": "relative loss = minimum test loss over checkpoints / same seed's STL minimum at the "
        "smallest n; ours = mean over our seeds, published = mean over their 6 seeds, ratio = ours / published",
        "cells_compared": len(records),
        "cells_above_floor": len(above),
        "median_ratio_above_floor": float(np.median([r.ratio for r in above])) if above else math.nan,
        "fraction_within_3x": within,
        "fraction_within_3x_raw": float(np.mean(raw <= WITHIN)) if above else math.nan,
        "worst_factor": float(raw.max()) if above else math.nan,
        "worst_factor_beyond_seed_noise": float(factors.max()) if above else math.nan,
        "worst_cells": worst_cells,
        "beyond_3x_by_seed_noise_alone": by_noise,
        "cells_outside_seed_noise": outside_noise,
        "decided_cells_compared": len(on_decided),
        "decided_cells_outside_seed_noise": [r.name for r in disagree],
        "decided_cells_unresolvable_with_these_seeds": unresolvable,
        "seed_noise_level_per_cell": ALPHA,
        "all_decided_agree_rate_under_one_simulator_at_least": max(0.0, 1.0 - ALPHA * len(on_decided)),
        "cells": [r.to_json() for r in records],
    }
    if not checked:
        return [], report
    checks = [
        C.at_least(CHECK_3X, within, WITHIN_FRACTION),
        C.at_most(CHECK_10X, float(factors.max()) if above else math.nan, WITHIN_ALL),  # beyond seed noise
        C.true(
            CHECK_NOISE,
            bool(on_decided) and not disagree,
            {"compared": len(on_decided), "outside_seed_noise": [r.name for r in disagree]},
            f"every decided cell's ratio interval (randomisation test, level {ALPHA:g}) contains 1",
        ),
    ]
    return checks, report
