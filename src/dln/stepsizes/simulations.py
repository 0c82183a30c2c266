"""Simulations of the stepsizes family (Even, Pesme, Gunasekar, Flammarion 2023): config slice + seed -> arrays.

One simulation, ``sweep`` (`dln.stepsizes.sweep`), feeds every claim: per data seed and method (batch size, GD
= b >= n) the largest convergent stepsize gamma_max on a fixed time horizon, then stepsizes at fractions of it,
the same absolute stepsizes for every batch size, and GD runs below and inside the edge-of-stability window.
"""

from __future__ import annotations

from dln.contract import Arrays, Simulation, Spec, simulation_table
from dln.layout import Layout, boolean, f64, i64, text
from dln.runs import problem_set_layout, train_result_layout
from dln.stepsizes.sweep import run_sweep

UID_SWEEP = 300


def _rows_layout(runs: str) -> Layout:
    """The plan of each run (`dln.stepsizes.sweep.plan_rows`), saved beside its training record, and the
    accumulated q_+ of its increments."""
    return Layout(
        f64("gain_plus", f"{runs} d", "sum_k q_+(eps_k), q_+(x) = -2x - log((1 - x)^2): alpha_+^2 = alpha^2 exp(-it)"),
        i64("kind", runs, "row kind: index into `kinds` (sweep, common, eos_below, eos_window)"),
        i64("method", runs, "index into `batch_sizes` of the method whose gamma_max the stepsize is based on"),
        i64("data", runs, "data seed of the run"),
        i64("repeat", runs, "sampling repeat of the run (SGD)"),
        i64("batch_size", runs, "batch size b (b >= n is GD)"),
        f64("stepsize", runs, "gamma"),
        f64("fraction", runs, "gamma / gamma_max of the method's own instance (eos rows: of GD)"),
    )


GD_RUNS = Layout(
    train_result_layout(
        "G",
        "gd_records",
        gain=True,
        extras=Layout(
            f64("dense_loss", "G dense_steps", "train loss at every step k < dense_loss_steps (NaN after a stop)"),
            f64("u_trace", "G gd_records d", "u at the record steps"),
            f64("v_trace", "G gd_records d", "v at the record steps"),
            _rows_layout("G"),
        ),
    ).under("gd")
)

SGD_RUNS = Layout(
    train_result_layout("R", "sgd_records", gain=True, extras=_rows_layout("R")).under("sgd"),
)

SWEEP = Layout(
    problem_set_layout("S"),
    f64("alpha", "", "initialisation scale (ours: u0 = sqrt(2) alpha, v0 = 0)"),
    i64("batch_sizes", "M", "the methods, as batch sizes (b >= n is GD)"),
    f64("lambda_max", "S", "lambda_max(X^T X / n) of each data seed"),
    f64("beta_gf", "S d", "gradient-flow solution argmin_{X beta = y} psi_alpha(beta)"),
    f64("gamma_eos", "S", "2 / S(w_GF): the edge-of-stability stepsize"),
    f64("gamma_max", "M S", "largest convergent stepsize per method and data seed (NaN: none)"),
    f64("gamma_max_upper", "M S", "smallest non-convergent stepsize above gamma_max (inf: grid top converged)"),
    boolean("gamma_max_capped", "M S", "the whole grid converged: gamma_max is a lower bound only"),
    f64("gamma_max_horizon", "M", "time horizon gamma * steps of the gamma_max search per method"),
    text("gamma_max_rule", "M", "the convergence rule gamma_max is defined by, in words"),
    text("kinds", "kinds", "names of the row kinds"),
    GD_RUNS,
    SGD_RUNS,
)


def simulate_sweep(spec: Spec, seed: int) -> Arrays:
    """gamma_max search, stepsize sweep over methods x seeds, common-stepsize and edge-of-stability runs."""
    return run_sweep(spec, seed, UID_SWEEP)


SIMULATIONS = simulation_table(
    Simulation(
        "sweep",
        UID_SWEEP,
        simulate_sweep,
        SWEEP,
        "gamma_max per seed and method, then stepsize x seed x batch-size sweep with EoS runs",
    ),
)
