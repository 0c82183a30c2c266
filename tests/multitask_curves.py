"""Paper-like relative-loss curves of the multitask learning-curve claims, and synthetic simulation arrays built
from them (one data seed by default), for the verdict and null-model tests."""

from __future__ import annotations

import numpy as np

from dln.multitask.simulations import MTL, NESTED, SINGLE_TASK

N = 6  # positions of the paper's n = 16 ... 512
C = np.array([1.0, 0.1, 0.01])
OVERLAP_ROWS, OVERLAPS, K_AUX = np.array([0, 1, 2]), np.array([10, 15, 20]), 20
YES, NO = np.array([3, 5, 7]), np.array([4, 6, 8])  # sparse teachers k = 3, 10, 20
IDENTICAL, PARTIAL = 2, np.array([0, 1])
METHODS = ("stl", "mtl", "ptft_c0", "ptft_c1", "ptft_c2", "lp_ptft", "lp_stl")


def curve(*values):
    return np.array(values, dtype=float)


def paper_like_curves() -> dict[str, np.ndarray]:
    """Paper-like curves (mean relative losses, teachers x n)."""
    c = {m: np.ones((9, N)) for m in ("stl", "mtl", "ptft_c0", "ptft_c1", "ptft_c2", "lp_ptft", "lp_stl")}
    c["lp_stl"][:] = 0.9
    # overlap experiment: rows 0, 1 partial (10, 15 of 20), row 2 identical
    c["stl"][:3] = curve(1, 1, 0.9, 0.8, 0.1, 1e-3)
    c["mtl"][0], c["mtl"][1], c["mtl"][2] = (
        curve(1, 1, 0.8, 0.3, 5e-3, 1e-5),
        curve(1, 0.9, 0.5, 0.1, 1e-3, 1e-6),
        curve(1, 0.3, 1e-3, 1e-4, 1e-5, 1e-6),
    )
    c["ptft_c0"][0], c["ptft_c0"][1], c["ptft_c0"][2] = (
        curve(1, 1, 0.8, 0.2, 1e-3, 1e-7),
        curve(1, 0.9, 0.4, 0.05, 1e-4, 1e-8),
        curve(1, 0.3, 1e-5, 1e-8, 1e-9, 1e-9),
    )
    c["lp_ptft"][:2] = 0.5
    c["lp_ptft"][2] = curve(1, 0.3, 1e-5, 1e-8, 1e-9, 1e-9)
    # sparse, disjoint supports (k = 3, 10, 20): STL learns, transfer methods are worse
    for row, scale in zip(NO, (1e-4, 1e-2, 1.0), strict=True):
        c["stl"][row] = curve(1, 1, 0.5, scale, scale * 1e-2, scale * 1e-4)
        for m in ("mtl", "ptft_c0"):  # 3x worse than STL at paper n = 128 and 256 (the paper: 3-14x)
            c[m][row] = curve(1, 1, 1, 3 * scale, 3 * scale * 1e-2, 1e-6)
        c["ptft_c1"][row] = curve(1, 1, 0.5, 1e-2 * scale, 1e-4, 1e-6)
        c["ptft_c2"][row] = curve(1, 1, 0.2, 1e-4 * scale, 1e-6, 1e-8)
    c["ptft_c1"][NO[0]] = curve(1, 1, 5e-3, 1e-6, 1e-8, 1e-8)
    c["ptft_c2"][NO[0]] = curve(1, 1, 1e-3, 1e-8, 1e-9, 1e-9)
    # sparse, inside the aux support
    for row, k_loss in zip(YES, (1e-3, 1e-2, 1e-1), strict=True):
        c["stl"][row] = curve(1, 1, 0.5, 0.1, 1e-3, 1e-5)
        c["mtl"][row] = curve(1, min(1.0, 30 * k_loss), k_loss, 1e-5, 1e-6, 1e-6)
        c["ptft_c0"][row] = curve(1, 0.3, 1e-4, 1e-8, 1e-9, 1e-9)
    c["ptft_c1"][YES[0]] = curve(1, 1e-3, 1e-8, 1e-9, 1e-9, 1e-9)
    c["ptft_c2"][YES[0]] = curve(1, 1e-4, 1e-9, 1e-9, 1e-9, 1e-9)
    c["ptft_c1"][YES[1]], c["ptft_c2"][YES[1]] = (
        curve(1, 0.5, 1e-3, 1e-8, 1e-9, 1e-9),
        curve(1, 0.6, 1e-2, 1e-7, 1e-9, 1e-9),
    )
    c["ptft_c1"][YES[2]], c["ptft_c2"][YES[2]] = (
        curve(1, 0.8, 1e-1, 1e-6, 1e-9, 1e-9),
        curve(1, 0.9, 0.5, 1e-4, 1e-9, 1e-9),
    )
    return c


def as_samples(curves: dict[str, np.ndarray], seeds: int = 1) -> dict[str, np.ndarray]:
    """The curves as per-seed samples (every seed the same)."""
    return {m: np.repeat(c[None], seeds, axis=0) for m, c in curves.items()}


def _grid(rows: np.ndarray | slice) -> dict[str, np.ndarray]:
    experiment = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1])
    k_main = np.array([20, 20, 20, 3, 3, 10, 10, 20, 20])
    overlap = np.array([10, 15, 20, 3, 0, 10, 0, 20, 0])
    magnitude = np.where(experiment == 0, 1 / np.sqrt(20), 1.0 / k_main)
    return {
        "teacher/experiment": experiment[rows],
        "teacher/k_main": k_main[rows],
        "teacher/overlap": overlap[rows],
        "teacher/magnitude": magnitude[rows],
        "teacher/aux_magnitude": np.where(experiment == 0, 1 / np.sqrt(20), 1 / 20)[rows],
        "n_main": 16 * 2 ** np.arange(N),
    }


def _losses(prefix: str, values: np.ndarray) -> dict[str, np.ndarray]:
    """Both variants (final and minimum over checkpoints) equal, with STL's n0 loss 1 (relative = absolute)."""
    return {f"{prefix}/final": values.copy(), f"{prefix}/min": values.copy()}


def _single_task(curves: dict[str, np.ndarray], rows: np.ndarray | slice, seeds: int) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {"c": C.copy()}
    for m in ("stl", "ptft_c0", "ptft_c1", "ptft_c2", "lp_ptft", "lp_stl"):
        out |= _losses(m, np.repeat(curves[m][None, rows], seeds, axis=0))
    for m in ("stl", "ptft_c0", "ptft_c1", "ptft_c2"):  # the exact limit, not trained by GD
        out[f"{m}/limit"] = out[f"{m}/final"].copy()
        out[f"{m}/steps"] = np.zeros(out[f"{m}/final"].shape, dtype=np.int64)
        out[f"{m}/status"] = np.zeros(out[f"{m}/final"].shape, dtype=np.int64)
    return out


def _mtl_runs(values: np.ndarray, d: int) -> dict[str, np.ndarray]:
    shape = values.shape
    return _losses("mtl", values) | {
        "mtl/steps": np.full(shape, 100, dtype=np.int64),
        "mtl/status": np.ones(shape, dtype=np.int64),
        "mtl/train_mse": np.full(shape, 1e-9),
        "mtl/beta": np.zeros((*shape, d)),
    }


def synthetic_results(curves: dict[str, np.ndarray], seeds: int = 1, d: int = 2) -> dict[str, dict[str, np.ndarray]]:
    """Arrays of the `single_task`, `mtl` and `nested` simulations (checked against their layouts) whose relative
    losses are the curves (`nested`: the sparse teachers inside the aux support)."""
    T = 9
    data = {
        "X_main": np.zeros((seeds, 4, d)),
        "beta_aux": np.zeros((seeds, d)),
        "beta_main": np.zeros((seeds, T, d)),
    }
    single = _grid(slice(None)) | data | _single_task(curves, slice(None), seeds)
    mtl = _grid(slice(None)) | data | _mtl_runs(np.repeat(curves["mtl"][None], seeds, axis=0), d)
    mtl |= {"stl_baseline": np.ones((seeds, T)), "caps": np.full(T, 100, dtype=np.int64)}
    nested = _grid(YES) | _single_task(curves, YES, seeds)
    nested |= {"beta_aux": np.zeros((seeds, d)), "beta_main": np.zeros((seeds, YES.size, d))}
    nested |= _mtl_runs(np.repeat(curves["mtl"][None, YES], seeds, axis=0), d)
    nested |= {"mtl_trained_n": np.ones(N, dtype=bool), "caps": np.full((YES.size, N), 100, dtype=np.int64)}
    out = {"single_task": single, "mtl": mtl, "nested": nested}
    for name, layout in (("single_task", SINGLE_TASK), ("mtl", MTL), ("nested", NESTED)):
        layout.check(out[name], name)
    return out
