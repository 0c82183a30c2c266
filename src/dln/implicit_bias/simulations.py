"""Simulations of the implicit-bias family (Pesme, Pillaud-Vivien, Flammarion 2021): config slice + seed -> arrays.

Paper A's setting in our convention (alpha_ours = sqrt(2) alpha_A, same stepsize, L_ours = 2 L_A).

* ``sgd_vs_gd``       GD, SGD (b = 1) and the SGF SDE at equal alpha and gamma on the same data seeds,
                      plus GD restarted from the effective initialisation alpha_inf of every SGD run.
* ``stepsize_sweep``  SGD over a stepsize grid on isotropic and on row-rescaled (slower) data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from dln.contract import Arrays, Simulation, Spec, simulation_table
from dln.data import rescale_rows
from dln.interpolation import effective_alpha
from dln.layout import Group, Layout, f64, i64
from dln.runs import (
    ProblemSet,
    balanced_init,
    problem_set,
    problem_set_layout,
    result_arrays,
    run_rngs,
    train_result_layout,
)
from dln.training import Method, Stopping, Tracking, TrainResult, train

UID_SGD_VS_GD = 101
UID_STEPSIZE_SWEEP = 102
METHODS = ("gd", "sgd", "sgf", "gd_from_alpha_inf")


def _method_layout(method: str) -> Layout:
    """One method's runs: the training record plus the iteration of each record (SGF: t / gamma)."""
    records = f"records_{method}"  # its own size: SGF runs a different number of steps, hence of records
    extra = Layout(f64("record_iterations", records, "iteration of each record (SGF: time / gamma)"))
    if method == "gd_from_alpha_inf":
        extra = Layout(extra, f64("alpha", "S d", "alpha_inf of the SGD run it restarts from"))
    return train_result_layout("S", records, loss_integral=True, extras=extra).under(method)


SGD_VS_GD = Layout(
    problem_set_layout("S"),
    f64("alpha", "", "initialisation scale (ours: u0 = sqrt(2) alpha, v0 = 0)"),
    f64("stepsize", "", "gamma of GD and SGD, temperature of SGF"),
    *(_method_layout(m) for m in METHODS),
)

STEPSIZE_SWEEP = Layout(
    f64("alpha", "", "initialisation scale (ours)"),
    f64("stepsizes", "G", "the stepsize grid"),
    f64("row_spreads", "K", "row-scale spreads of the data (1 = isotropic)"),
    Group(
        "spread",
        "spread{}",
        Layout(
            problem_set_layout("S"),
            train_result_layout("runs", "records", loss_integral=True),
            f64("stepsize", "runs", "gamma of each run"),
            i64("data_index", "runs", "data seed of each run"),
        ),
        "one per row-scale spread, in the order of row_spreads",
    ),
)


def _stopping(spec: Spec) -> Stopping:
    return Stopping(stop_loss=float(spec["stop_loss"]), converged_loss=float(spec["converged_loss"]))


def simulate_sgd_vs_gd(spec: Spec, seed: int) -> Arrays:
    """GD, SGD (b=1), SGF at equal (alpha, gamma) on ``seeds`` data sets; then GD from each SGD alpha_inf."""
    S, d = int(spec["seeds"]), int(spec["d"])
    gamma, alpha, steps = float(spec["stepsize"]), float(spec["alpha"]), int(spec["steps"])
    data = problem_set(seed, UID_SGD_VS_GD, S, spec)
    X, y, bstar = data.X, data.y, data.beta_star
    rows = np.arange(S)
    gammas = np.full(S, gamma)
    h = gamma * float(spec["sgf_substep_fraction"])
    out: dict[str, Any] = data.arrays() | {"alpha": alpha, "stepsize": gamma}

    def run(method: Method, u_init: NDArray, n_steps: int, substep: float | None = None) -> TrainResult:
        rngs = (
            None if method == "gd" else run_rngs(seed, UID_SGD_VS_GD, [{"method": method, "stepsize": gamma}] * S, rows)
        )
        return train(
            method,
            X,
            y,
            bstar,
            rows,
            gammas,
            u_init,
            np.zeros_like(u_init),
            n_steps,
            rngs,
            batch_size=1 if method == "sgd" else None,
            substep=substep,
            n_records=int(spec["records"]),
            stopping=_stopping(spec),
            tracking=Tracking(loss_integral=True),
        )

    def record(method: str, res: TrainResult, per_record: float = 1.0) -> dict[str, Any]:
        return result_arrays(method, res) | {f"{method}/record_iterations": res.record_steps * per_record}

    u0, _ = balanced_init(alpha, (S, d))
    out |= record("gd", run("gd", u0, steps))
    out |= record("sgd", run("sgd", u0, steps))
    out |= record("sgf", run("sgf", u0, int(round(int(spec["sgf_steps"]) * gamma / h)), substep=h), h / gamma)
    alpha_inf = effective_alpha(out["sgd/u"], out["sgd/v"])
    out |= record("gd_from_alpha_inf", run("gd", balanced_init(alpha_inf, (S, d))[0], steps))
    out["gd_from_alpha_inf/record_iterations"] = out["gd_from_alpha_inf/record_iterations"].astype(float)
    out["gd_from_alpha_inf/alpha"] = alpha_inf
    return out


def simulate_stepsize_sweep(spec: Spec, seed: int) -> Arrays:
    """SGD (b=1) over stepsizes x row-scale spreads x seeds on the same data seeds, rows rescaled.

    Each run gets a time-matched budget horizon * spread / gamma (ill-conditioned data need more time)."""
    S, d = int(spec["seeds"]), int(spec["d"])
    alpha, horizon = float(spec["alpha"]), float(spec["horizon"])
    gammas = np.asarray(spec["stepsizes"], dtype=float)
    spreads = np.asarray(spec["row_spreads"], dtype=float)
    out: dict[str, Any] = {"alpha": alpha, "stepsizes": gammas, "row_spreads": spreads}
    base = problem_set(seed, UID_STEPSIZE_SWEEP, S, spec)
    group = STEPSIZE_SWEEP.groups[0]
    for k, spread in enumerate(spreads):
        data = ProblemSet(tuple(rescale_rows(p, float(spread)) for p in base.problems))
        grid_g, grid_r = np.meshgrid(gammas, np.arange(S), indexing="ij")
        gamma_rows, repeat_rows = grid_g.ravel(), grid_r.ravel()
        G = gamma_rows.size
        points = [{"method": "sgd", "stepsize": float(g), "row_spread": float(spread)} for g in gamma_rows]
        u0, v0 = balanced_init(alpha, (G, d))
        res = train(
            "sgd",
            data.X,
            data.y,
            data.beta_star,
            repeat_rows,
            gamma_rows,
            u0,
            v0,
            n_steps=np.ceil(horizon * spread / gamma_rows).astype(np.int64),
            rngs=run_rngs(seed, UID_STEPSIZE_SWEEP, points, repeat_rows),
            batch_size=1,
            n_records=int(spec["records"]),
            stopping=_stopping(spec),
            tracking=Tracking(loss_integral=True),
        )
        prefix = group.key(k)
        out |= {f"{prefix}/{key}": val for key, val in data.arrays().items()}
        out |= result_arrays(prefix, res)
        out[f"{prefix}/stepsize"] = gamma_rows
        out[f"{prefix}/data_index"] = repeat_rows
    return out


SIMULATIONS = simulation_table(
    Simulation(
        "sgd_vs_gd",
        UID_SGD_VS_GD,
        simulate_sgd_vs_gd,
        SGD_VS_GD,
        "GD, SGD and SGF at equal alpha and gamma, plus GD from alpha_inf",
    ),
    Simulation(
        "stepsize_sweep",
        UID_STEPSIZE_SWEEP,
        simulate_stepsize_sweep,
        STEPSIZE_SWEEP,
        "SGD over stepsizes on isotropic and row-rescaled data",
    ),
)
