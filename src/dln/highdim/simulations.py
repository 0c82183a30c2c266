"""Simulations of the highdim family (García Malaxechebarría, Paquette, Fazel, Drusvyatskiy 2026): config slice +
seed -> arrays. Convention C1 (x = K^{1/2} z / sqrt(d), step gamma, time t = steps / d); `dln.highdim.conventions`
maps to the Paquette-style C2 units (same gamma, noise sigma sqrt(d), risk d R).

* ``dimension_sweep``  K = I: SGD for several d, HSGD (reduced and raw) at the largest d, the limit by finite
                       volumes for every d's type law and by particles at the largest d, zeta snapshots.
* ``two_level``        two-level diagonal K with opposite-sign targets per level: SGD and the limit.
* ``power_law``        power-law diagonal K (lam quantile quadrature): SGD and the limit.
* ``stepsize_sweep``   sigma > 0: SGD and the limit over stepsizes, and SGD around the predicted critical stepsize
                       (with the particle limit below it).
* ``alpha_sweep``      sigma = 0: SGD and the particle limit for several alpha, long enough to see the late rate.

Seeds: run r of method m at a sweep point p uses ``run_rng(seed, uid, {"method": m, **p}, r)`` (see
`dln.highdim.experiments`), so adding a dimension or a stepsize never changes the streams of the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from dln.contract import Arrays, Simulation, Spec, simulation_table
from dln.highdim import observables as obs
from dln.highdim.experiments import hsgd, limit_fv, limit_particles, sgd_arrays, type_arrays
from dln.highdim.model import coordinate_types, make_problem
from dln.highdim.predictions import critical_stepsize, limiting_curvature
from dln.highdim.recording import time_grid
from dln.layout import Field, Group, Layout, f64, i64

UID_DIMENSION, UID_TWO_LEVEL, UID_POWER_LAW, UID_STEPSIZE, UID_ALPHA = 401, 402, 403, 404, 405
PARAMETERS = ("alpha", "gamma", "sigma", "batch", "rho", "b")
PARAMETER_DEFAULTS = {"batch": 1, "b": 1.0}


# ----------------------------------------------------------------------------------------------- layouts
def _optional(layout: Layout) -> Layout:
    return Layout(*(Field(f.key, f.dims, f.dtype, f.doc, True) for f in layout.fields))


def traces(lead: str = "") -> Layout:
    """The recorded traces of one method on the time grid T: every observable, the per-type mean of
    log Delta(t)/Delta(0) and int_0^t R. ``lead`` names the leading dimension (runs), empty for a limit solver."""
    head = f"{lead} " if lead else ""
    return Layout(
        *(f64(name, f"{head}T", f"observable {name} (dln.highdim.observables)") for name in obs.NAMES),
        f64("log_delta_ratio", f"{head}T types", "per type, mean over its coordinates of log Delta(t)/Delta(0)"),
        f64("int_risk", f"{head}T", "int_0^t R"),
    )


def sgd_layout(snapshots: bool = False) -> Layout:
    """Streaming SGD runs: traces, final weights, status, optionally the zeta of every coordinate at snapshots."""
    extra = [f64("zeta_snapshots", "snaps runs d", "zeta_i = arcsinh(2 beta_i / |Delta_i|) at snapshot_times")]
    return Layout(
        traces("runs"),
        f64("u", "runs d", "final u"),
        f64("v", "runs d", "final v"),
        i64("status", "runs", "dln.status.Status per run (0 reached the horizon, 2 diverged)"),
        *(extra if snapshots else []),
    ).under("sgd")


def fv_layout(snapshots: bool = False) -> Layout:
    """The finite-volume (Fokker-Planck) limit: traces, its zeta grid, optionally densities at snapshots."""
    extra = [f64("density_snapshots", "snaps types cells", "Fokker-Planck density per type at snapshot_times")]
    return Layout(traces(), f64("grid", "cells", "cell centres of the zeta grid"), *(extra if snapshots else [])).under(
        "fv"
    )


TYPES = Layout(
    f64("weight", "types", "fraction of coordinates of each type"),
    f64("lam", "types", "mean eigenvalue of each type"),
    f64("bstar", "types", "beta* of each type"),
    f64("delta0", "types", "Delta(0) = u0^2 - v0^2 of each type"),
    f64("zeta0", "types", "zeta(0) of each type"),
    i64("label", "d", "type of each coordinate"),
).under("types")

PARAMETERS_LAYOUT = Layout(*(f64(k, "", "problem parameter (C1)") for k in PARAMETERS))

PER_D = Group(
    "per_d",
    "d{}",
    Layout(sgd_layout(snapshots=True), TYPES, f64("bstar", "d", "beta*"), fv_layout(snapshots=True)),
    "one per dimension d of dims (its own number of SGD runs: runs may differ between d)",
)
DIMENSION_SWEEP = Layout(
    f64("times", "T", "record times t = steps / d"),
    i64("dims", "D", "the dimensions"),
    f64("snapshot_times", "snaps", "times of the zeta snapshots"),
    PARAMETERS_LAYOUT,
    PER_D,
    traces("hsgd_runs").under("hsgd"),
    _optional(traces("raw_runs").under("hsgd_raw")),
    traces().under("particles"),
)

ANISOTROPIC = Layout(
    f64("times", "T", "record times"),
    i64("d", "", "dimension"),
    f64("lam", "d", "diagonal of K"),
    f64("bstar", "d", "beta*"),
    PARAMETERS_LAYOUT,
    sgd_layout(),
    TYPES,
    fv_layout(),
)

PER_GAMMA = Group("per_gamma", "g{}", Layout(sgd_layout(), fv_layout()), "one per stepsize of gammas, in order")
PER_FACTOR = Group(
    "per_factor",
    "c{}",
    Layout(sgd_layout(), _optional(traces().under("particles"))),
    "SGD at each multiple of gamma_c of critical_factors, in order; below gamma_c also the particle limit",
)
STEPSIZE_SWEEP = Layout(
    f64("times", "T", "record times"),
    i64("d", "", "dimension"),
    f64("gammas", "G", "the stepsizes of the floor sweep"),
    PARAMETERS_LAYOUT,
    PER_GAMMA,
    f64("c_inf", "", "predicted late curvature <lam 2|beta*|> (Delta_inf = 0 when sigma > 0)"),
    f64("gamma_c", "", "predicted critical stepsize 2 / c_inf"),
    f64("critical_factors", "F", "multiples of gamma_c at which SGD is run"),
    PER_FACTOR,
)

PER_ALPHA = Group(
    "per_alpha",
    "a{}",
    Layout(f64("times", "T", "record times of this alpha"), sgd_layout(), traces().under("particles"), TYPES),
    "one per alpha of alphas, in order, each to its own horizon",
)
ALPHA_SWEEP = Layout(
    i64("d", "", "dimension"),
    f64("alphas", "A", "initialisation scales"),
    f64("horizons", "A", "final time of each alpha"),
    PARAMETERS_LAYOUT,
    PER_ALPHA,
)


# ----------------------------------------------------------------------------------------------- simulations
def _prefixed(prefix: str, arrays: Mapping[str, Any]) -> dict[str, Any]:
    return {f"{prefix}/{k}": v for k, v in arrays.items()}


def _params(problem_spec: Spec) -> dict[str, Any]:
    return {k: float(problem_spec.get(k, PARAMETER_DEFAULTS.get(k, 0.0))) for k in PARAMETERS}


def runs_per_dim(spec: Spec) -> list[int]:
    """SGD runs at each d of ``dims``: ``runs`` is one count for every d or a list aligned with ``dims``
    (`check_config` reports a list of the wrong length by name; here it is an error too)."""
    dims, runs = list(spec["dims"]), spec["runs"]
    if isinstance(runs, int | np.integer):
        return [int(runs)] * len(dims)
    counts = [int(n) for n in runs]
    if len(counts) != len(dims):
        raise ValueError(f"dimension_sweep.runs has {len(counts)} entries but dims has {len(dims)}: {runs} vs {dims}")
    return counts


def simulate_dimension_sweep(spec: Spec, seed: int) -> Arrays:
    """SGD over dims (``runs_per_dim`` runs at each); limit (FV) per distinct type law; HSGD and particles at the
    largest d. Run r at d has the same stream whatever the counts, so a longer list only adds runs."""
    dims = [int(d) for d in spec["dims"]]
    times = time_grid(float(spec["horizon"]), int(spec["records"]))
    snaps = np.asarray(spec["snapshot_times"], dtype=float)
    out: dict[str, Any] = {"times": times, "dims": np.asarray(dims), "snapshot_times": snaps} | _params(spec)
    cache: dict[bytes, dict[str, Any]] = {}
    for d, n_runs in zip(dims, runs_per_dim(spec), strict=True):
        problem = make_problem(spec, d)
        types = coordinate_types(problem)
        prefix = PER_D.key(d)
        runs = sgd_arrays(problem, types, seed, UID_DIMENSION, {"d": d}, n_runs, times, snaps)
        out |= _prefixed(prefix, runs)
        out |= _prefixed(prefix, type_arrays(types, "")) | {f"{prefix}/bstar": problem.bstar}
        key = np.concatenate([types.weight, types.lam, types.bstar, types.delta0]).tobytes()
        if key not in cache:
            cache[key] = limit_fv(problem, types, spec, times, snaps)
        out |= _prefixed(prefix, cache[key])
    out |= hsgd(problem, types, spec, seed, UID_DIMENSION, {"d": dims[-1]}, times)
    out |= limit_particles(problem, types, spec, seed, UID_DIMENSION, {"d": dims[-1]}, times)
    return out


def _anisotropic(spec: Spec, seed: int, uid: int) -> Arrays:
    d = int(spec["d"])
    times = time_grid(float(spec["horizon"]), int(spec["records"]))
    problem = make_problem(spec, d)
    types = coordinate_types(problem, int(spec.get("lam_bins", 0)))
    out: dict[str, Any] = {"times": times, "d": d, "lam": problem.lam, "bstar": problem.bstar} | _params(spec)
    out |= sgd_arrays(problem, types, seed, uid, {"d": d}, int(spec["runs"]), times)
    out |= type_arrays(types, "") | limit_fv(problem, types, spec, times)
    return out


def simulate_two_level(spec: Spec, seed: int) -> Arrays:
    """Two-level diagonal K: SGD runs and the finite-volume limit."""
    return _anisotropic(spec, seed, UID_TWO_LEVEL)


def simulate_power_law(spec: Spec, seed: int) -> Arrays:
    """Power-law diagonal K: SGD runs and the finite-volume limit over lam quantile bins."""
    return _anisotropic(spec, seed, UID_POWER_LAW)


def simulate_stepsize_sweep(spec: Spec, seed: int) -> Arrays:
    """sigma > 0: SGD and the limit per stepsize; SGD at multiples of the predicted critical stepsize."""
    d, runs = int(spec["d"]), int(spec["runs"])
    times = time_grid(float(spec["horizon"]), int(spec["records"]))
    gammas = np.asarray(spec["gammas"], dtype=float)
    out: dict[str, Any] = {"times": times, "d": d, "gammas": gammas} | _params(spec)
    for i, g in enumerate(gammas):
        problem = make_problem(spec, d, gamma=float(g))
        types = coordinate_types(problem)
        prefix = PER_GAMMA.key(i)
        out |= _prefixed(prefix, sgd_arrays(problem, types, seed, UID_STEPSIZE, {"gamma": float(g)}, runs, times))
        out |= _prefixed(prefix, limit_fv(problem, types, spec, times))
    # sigma > 0 makes int R infinite, so Delta_inf = 0 and c_inf = <lam 2|beta*|>
    c_inf = limiting_curvature(types.weight, types.lam, types.bstar, np.zeros_like(types.lam))
    gamma_c = critical_stepsize(c_inf)
    factors = np.asarray(spec["critical_factors"], dtype=float)
    out |= {"c_inf": c_inf, "gamma_c": gamma_c, "critical_factors": factors}
    for i, f in enumerate(factors):
        problem = make_problem(spec, d, gamma=float(f * gamma_c))
        point = {"gamma_factor": float(f)}
        out |= _prefixed(PER_FACTOR.key(i), sgd_arrays(problem, types, seed, UID_STEPSIZE, point, runs, times))
        if f < 1.0:  # the finite-volume grid cannot follow zeta* = arcsinh(2 beta*/|Delta|) as Delta -> 0 here
            limit = limit_particles(problem, types, spec, seed, UID_STEPSIZE, point, times)
            out |= _prefixed(PER_FACTOR.key(i), limit)
    return out


def simulate_alpha_sweep(spec: Spec, seed: int) -> Arrays:
    """sigma = 0: SGD and the particle limit per alpha, each to its own horizon."""
    d, runs = int(spec["d"]), int(spec["runs"])
    alphas = np.asarray(spec["alphas"], dtype=float)
    horizons = np.asarray(spec["horizons"], dtype=float)
    out: dict[str, Any] = {"d": d, "alphas": alphas, "horizons": horizons} | _params(spec)
    for i, (a, horizon) in enumerate(zip(alphas, horizons, strict=True)):
        times = time_grid(float(horizon), int(spec["records"]))
        problem = make_problem(spec, d, alpha=float(a))
        types = coordinate_types(problem)
        point = {"alpha": float(a)}
        prefix = PER_ALPHA.key(i)
        out |= _prefixed(prefix, sgd_arrays(problem, types, seed, UID_ALPHA, point, runs, times))
        out |= _prefixed(prefix, limit_particles(problem, types, spec, seed, UID_ALPHA, point, times))
        out |= _prefixed(prefix, type_arrays(types, "")) | {f"{prefix}/times": times}
    return out


SIMULATIONS = simulation_table(
    Simulation(
        "dimension_sweep",
        UID_DIMENSION,
        simulate_dimension_sweep,
        DIMENSION_SWEEP,
        "K = I: SGD over d, HSGD, both limit solvers, zeta snapshots",
    ),
    Simulation("two_level", UID_TWO_LEVEL, simulate_two_level, ANISOTROPIC, "two-level K: SGD and the limit"),
    Simulation("power_law", UID_POWER_LAW, simulate_power_law, ANISOTROPIC, "power-law K: SGD and the limit"),
    Simulation(
        "stepsize_sweep",
        UID_STEPSIZE,
        simulate_stepsize_sweep,
        STEPSIZE_SWEEP,
        "sigma > 0: floors over stepsizes and failure around gamma_c",
    ),
    Simulation(
        "alpha_sweep",
        UID_ALPHA,
        simulate_alpha_sweep,
        ALPHA_SWEEP,
        "sigma = 0: exponential convergence for several alpha",
    ),
)
