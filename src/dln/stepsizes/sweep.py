"""One sweep feeds every claim of the family: gamma_max per (instance, method), then stepsizes x seeds x methods.

Methods are batch sizes (b >= n is GD). Per data seed and method the largest convergent stepsize gamma_max is
found on a fixed time horizon (`dln.stepsizes.gamma_max`); the sweep then trains each method at fractions of
its own gamma_max (time-matched step budgets, converged rows frozen by the engine), and adds

* ``common`` rows: every other batch size (GD included) at the same absolute stepsizes f * gamma_max(b = 1), so
  that the gain can be compared across batch sizes at equal gamma;
* ``eos`` rows: GD just below gamma_EoS = 2 / S(w_GF) and at points inside the window (gamma_EoS, gamma_max^GD),
  with the dense per-step loss of the first steps and weight snapshots.

Row kinds are stored as integers (`KINDS`); every row keeps its data index, batch size, stepsize, fraction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dln.interpolation import interpolator
from dln.runs import balanced_init, problem_set, result_arrays
from dln.seeds import run_rng
from dln.stepsizes.gamma_max import coarse_then_bisect, convergence_rule, dln_probe
from dln.stepsizes.sharpness import sharpness_of_beta_on_flow, top_curvature
from dln.training import Stopping, Tracking, train

Array = NDArray[np.float64]
KINDS = ("sweep", "common", "eos_below", "eos_window")
SWEEP, COMMON, EOS_BELOW, EOS_WINDOW = range(4)


def _rows(**cols: list) -> dict[str, NDArray]:
    return {k: np.asarray(v) for k, v in cols.items()}


def plan_rows(
    gamma_max: Array,
    batch_sizes: NDArray[np.int64],
    n: int,
    gamma_eos: Array,
    fractions: Array,
    sgd_repeats: int,
    eos_below: float,
    eos_window: Array,
) -> dict[str, NDArray]:
    """The rows of the sweep (all methods). ``gamma_max`` is (M, S) for the M batch sizes."""
    cols: dict[str, list] = {k: [] for k in ("kind", "method", "data", "repeat", "batch_size", "stepsize", "fraction")}

    def add(kind: int, m: int, s: int, r: int, gamma: float, frac: float) -> None:
        for k, v in zip(cols, (kind, m, s, r, int(batch_sizes[m]), gamma, frac), strict=True):
            cols[k].append(v)

    M, S = gamma_max.shape
    gd = [m for m in range(M) if batch_sizes[m] >= n]
    b1 = [m for m in range(M) if batch_sizes[m] == 1]
    for m in range(M):
        reps = 1 if batch_sizes[m] >= n else sgd_repeats
        for s in range(S):
            if not np.isfinite(gamma_max[m, s]):
                continue
            for f in fractions:
                for r in range(reps):
                    add(SWEEP, m, s, r, f * gamma_max[m, s], f)
                    if b1 and m != b1[0] and np.isfinite(gamma_max[b1[0], s]):
                        add(COMMON, m, s, r, f * gamma_max[b1[0], s], f)
    for m in gd:
        for s in range(S):
            g_max, g_eos = gamma_max[m, s], gamma_eos[s]
            if not np.isfinite(g_max):
                continue
            add(EOS_BELOW, m, s, 0, eos_below * g_eos, eos_below * g_eos / g_max)
            if g_max > g_eos:
                for t in eos_window:
                    g = g_eos + t * (g_max - g_eos)
                    add(EOS_WINDOW, m, s, 0, g, g / g_max)
    return _rows(**cols)


def run_sweep(spec: Mapping[str, Any], seed: int, uid: int) -> dict[str, Any]:
    """The whole sweep (see the module docstring); returns the arrays of the .npz."""
    S, n, d = int(spec["seeds"]), int(spec["n"]), int(spec["d"])
    alpha = float(spec["alpha"])
    bs = np.asarray(spec["batch_sizes"], dtype=np.int64)
    M = bs.size
    is_gd = bs >= n
    data = problem_set(seed, uid, S, spec)
    X, y, bstar = data.X, data.y, data.beta_star
    lam = np.array([top_curvature(X[s]) for s in range(S)])
    beta_gf = np.stack([interpolator(X[s], y[s], alpha) for s in range(S)])
    g_eos = np.array([2.0 / float(sharpness_of_beta_on_flow(X[s], beta_gf[s], alpha)) for s in range(S)])

    conv_loss = float(spec["converged_loss"])
    horizon_m = np.where(is_gd, float(spec["gd_horizon"]), float(spec["sgd_horizon"]))
    grid_lo = np.where(is_gd, spec["gd_grid"][0], spec["sgd_grid"][0])
    grid_hi = np.where(is_gd, spec["gd_grid"][1], spec["sgd_grid"][1])
    pair_m, pair_s = np.repeat(np.arange(M), S), np.tile(np.arange(S), M)
    pts = int(spec["grid_points"])
    grid = np.stack([np.geomspace(grid_lo[m], grid_hi[m], pts) / lam[s] for m, s in zip(pair_m, pair_s, strict=True)])
    labels = [{"b": int(bs[m])} for m in pair_m]
    # a probe stops early only once its loss is far below the convergence level: in the chaotic band above
    # gamma_max the loss can dip to 1e-10 near an unstable interpolator and rise again
    early = Stopping(stop_loss=float(spec["sweep_converged_loss"]), converged_loss=conv_loss)
    probe = dln_probe(X, y, bstar, alpha, bs[pair_m], horizon_m[pair_m], early, seed, uid, labels)
    found = coarse_then_bisect(probe, grid, int(spec["bisection_rounds"]), int(spec["bisection_points"]))
    gmax = found.gamma_max.reshape(M, S)

    rows = plan_rows(
        gmax,
        bs,
        n,
        g_eos,
        np.asarray(spec["fractions"], dtype=float),
        int(spec["sgd_repeats"]),
        float(spec["eos_below"]),
        np.asarray(spec["eos_window"], dtype=float),
    )
    out: dict[str, Any] = data.arrays() | {
        "alpha": alpha,
        "batch_sizes": bs,
        "lambda_max": lam,
        "beta_gf": beta_gf,
        "gamma_eos": g_eos,
        "gamma_max": gmax,
        "gamma_max_upper": found.upper.reshape(M, S),
        "gamma_max_capped": found.capped.reshape(M, S),
        "gamma_max_horizon": horizon_m,
        "gamma_max_rule": np.asarray(
            [convergence_rule(h, conv_loss, float(spec["sweep_converged_loss"])) for h in horizon_m]
        ),
        "kinds": np.asarray(KINDS),
    }
    stopping = Stopping(stop_loss=float(spec["stop_loss"]), converged_loss=float(spec["sweep_converged_loss"]))
    factor = float(spec["sweep_horizon_factor"])
    for name, sel in (("gd", rows["batch_size"] >= n), ("sgd", rows["batch_size"] < n)):
        idx = np.flatnonzero(sel)
        if idx.size == 0:
            continue
        r = {k: v[idx] for k, v in rows.items()}
        gam = r["stepsize"]
        u0, v0 = balanced_init(alpha, (idx.size, d))
        rngs = None
        if name == "sgd":
            rngs = [
                run_rng(
                    seed,
                    uid,
                    {"phase": "sweep", "kind": int(k), "b": int(b), "fraction": float(f)},
                    1000 * int(s) + int(rep),
                )
                for k, b, f, s, rep in zip(
                    r["kind"], r["batch_size"], r["fraction"], r["data"], r["repeat"], strict=True
                )
            ]
        track = Tracking(gain=True, gain_plus=True)
        if name == "gd":
            track = Tracking(gain=True, gain_plus=True, dense_loss_steps=int(spec["dense_loss_steps"]), weights=True)
        res = train(
            name,  # type: ignore[arg-type]
            X,
            y,
            bstar,
            r["data"],
            gam,
            u0,
            v0,
            n_steps=np.ceil(factor * horizon_m[r["method"]] / gam).astype(np.int64),
            rngs=rngs,
            batch_size=r["batch_size"],
            n_records=int(spec["records"]),
            stopping=stopping,
            tracking=track,
            progress=False,
        )
        out |= result_arrays(name, res)
        out |= {f"{name}/{k}": v for k, v in r.items()}
    return out
