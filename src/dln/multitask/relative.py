"""Relative generalisation losses: a method's population loss over the STL loss at the smallest n of the same
seed and teacher, the quantity on the y axis of every learning-curve figure of the paper.

Read from the simulations' layout views: per-seed samples (seeds, teachers, n) for bands, and their means over
seeds (the paper's curves). Method labels ("stl", "ptft_c<i>" for the rescaling c[i], "lp_ptft", "lp_stl",
"mtl") name the curves in verdicts and figures; they are labels, not file keys.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from dln.layout import View
from dln.multitask.experiments import OVERLAP_EXP, SPARSE_EXP

Array = NDArray[np.float64]
Rows = NDArray[np.int64]

PAPER_N = (16, 32, 64, 128, 256, 512)  # position i of the config's doubling n grid stands for PAPER_N[i]
VARIANTS = ("min", "final")  # minimum over checkpoints (the paper's variant), final loss (robustness)


def ptft_label(i: int) -> str:
    """Label of PT+FT with the rescaling c[i]."""
    return f"ptft_c{i}"


def position(paper_n: int, n_grid: int) -> int:
    """Index in the config's n grid standing for the paper's n."""
    i = PAPER_N.index(paper_n)
    if i >= n_grid:
        raise ValueError(f"the n grid has {n_grid} points; paper n = {paper_n} needs at least {i + 1}")
    return i


def baseline(r: View, variant: str) -> Array:
    """STL loss at the smallest n, (seeds, teachers, 1), of the same variant as the numerator: the denominator
    of every relative loss. The paper's relative loss divides each run's minimum over checkpoints by the STL
    run's minimum at n = 16 (sflippl/multi-task's processed files); at n = 16 the STL limit ends above its start
    (about 1.06 ||beta*||^2 in the overlap experiment), so a final-loss denominator made every relative loss about
    6 % lower than the paper's."""
    return np.asarray(r.stl[variant][:, :, :1])


def single_task_samples(r: View, variant: str) -> dict[str, Array]:
    """Per-seed relative losses (seeds, teachers, n) of the single-task methods of ``r`` (STL, PT+FT per c, LP)."""
    base = baseline(r, variant)
    out = {"stl": r.stl[variant] / base}
    out |= {ptft_label(i): block[variant] / base for i, block in r.ptft.items()}
    out["lp_ptft"] = r.lp_ptft[variant] / base
    out["lp_stl"] = r.lp_stl[variant] / base
    return out


def relative_samples(single: View, mtl: View, variant: str) -> dict[str, Array]:
    """Per-seed relative losses (seeds, teachers, n) of every method: `single_task` and `mtl` simulations.

    MTL may run on fewer seeds than the single-task methods (the cost centre); its seeds are the first
    single-task seeds (same draws), each over its own STL baseline. Raises if the two files' teachers differ."""
    out = single_task_samples(single, variant)
    m = mtl.beta_main.shape[0]
    if m > single.beta_main.shape[0] or not np.array_equal(mtl.beta_main, single.beta_main[:m]):
        raise ValueError("the mtl simulation's seeds are not the first seeds of the single_task simulation")
    out["mtl"] = mtl.mtl[variant] / baseline(single, variant)[:m]
    return out


def split_seed_samples(r: View, variant: str) -> dict[str, Array]:
    """Per-seed relative losses of the `nested` simulation: single-task methods on every seed, MTL on its first
    seeds only, each MTL seed over its own STL baseline."""
    out = single_task_samples(r, variant)
    mtl = r.mtl[variant]
    out["mtl"] = mtl / baseline(r, variant)[: mtl.shape[0]]
    return out


def mean_curves(samples: dict[str, Array]) -> dict[str, Array]:
    """Means over seeds (teachers, n) of per-seed samples, each method over the seeds it was run on."""
    return {m: np.mean(v, axis=0) for m, v in samples.items()}


def relative_curves(single: View, mtl: View, variant: str) -> dict[str, Array]:
    """Mean over seeds of `relative_samples`, per method, arrays (teachers, n)."""
    return mean_curves(relative_samples(single, mtl, variant))


def split_seed_curves(r: View, variant: str) -> dict[str, Array]:
    """Means over seeds of `split_seed_samples`."""
    return mean_curves(split_seed_samples(r, variant))


def clip(values: Array, floor: float) -> Array:
    """Relative losses clipped at ``floor`` (below it stop rules and caps, not implicit biases, decide)."""
    return np.maximum(np.asarray(values, dtype=float), floor)


def sparse_rows(r: View, inside: bool) -> NDArray[np.int64]:
    """Sparse-experiment teacher rows inside (overlap = k) or outside (overlap 0) the aux support, by k."""
    e, k, o = r.teacher.experiment, r.teacher.k_main, r.teacher.overlap
    rows = np.flatnonzero((e == SPARSE_EXP) & ((o == k) if inside else (o == 0)))
    return rows[np.argsort(k[rows])]


def paired_ratios(a: Array, b: Array, floor: float) -> Array:
    """Per-seed ratios clip(a) / clip(b) over the seeds both were run on (the first axis; the MTL seeds of
    `nested` are the first of its single-task seeds, so seed s of one is seed s of the other)."""
    s = min(a.shape[0], b.shape[0])
    return np.asarray(clip(a[:s], floor) / clip(b[:s], floor))


def median_ratio(a: Array, b: Array, floor: float) -> Array:
    """Median over seeds of the paired ratios: the typical seed's factor between two methods or teachers (a mean
    over seeds of losses spanning orders of magnitude is decided by its worst seed)."""
    return np.asarray(np.median(paired_ratios(a, b, floor), axis=0))


def typical_max(a: Array, b: Array) -> Array:
    """Median over the paired seeds of max(a, b): a cell is comparable when this is above the floor (at least
    one side resolvable in the typical seed; below it both are clipped and would tie)."""
    s = min(a.shape[0], b.shape[0])
    return np.asarray(np.median(np.maximum(a[:s], b[:s]), axis=0))


def seed_median(values: Array) -> Array:
    """Median over seeds (the first axis)."""
    return np.asarray(np.median(values, axis=0))


def identical_row(r: View) -> Rows:
    """The overlap experiment's identical task (every main feature shared)."""
    t = r.teacher
    return np.flatnonzero((t.experiment == OVERLAP_EXP) & (t.overlap == t.k_main))


def partial_rows(r: View) -> Rows:
    """The overlap experiment's partial overlaps, increasing."""
    t = r.teacher
    rows = np.flatnonzero((t.experiment == OVERLAP_EXP) & (t.overlap < t.k_main))
    return rows[np.argsort(t.overlap[rows])]


def overlap_experiment_rows(r: View) -> Rows:
    return np.flatnonzero(r.teacher.experiment == OVERLAP_EXP)


def inside_rows(r: View) -> Rows:
    """Sparse teachers inside the aux support, increasing k."""
    return sparse_rows(r, inside=True)


def disjoint_rows(r: View) -> Rows:
    """Sparse teachers outside the aux support, increasing k."""
    return sparse_rows(r, inside=False)
