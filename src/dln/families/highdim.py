"""Claim family: the high-dimensional limit of streaming SGD on diagonal linear networks
(Garcia Malaxechebarria, Paquette, Fazel, Drusvyatskiy 2025). Convention C1 (x = K^{1/2} z / sqrt(d), step gamma,
time t = steps / d); `dln.highdim.conventions` maps to the Paquette-style C2 units (same gamma, noise sigma sqrt(d),
risk d R).

Simulations (uids 401-405):
* ``dimension_sweep``  K = I: SGD for several d, HSGD (reduced and raw) at the largest d, the limit by finite
                       volumes for every d's type law and by particles at the largest d, zeta snapshots.
* ``two_level``        two-level diagonal K with opposite-sign targets per level: SGD and the limit.
* ``power_law``        power-law diagonal K (lam quantile quadrature): SGD and the limit.
* ``stepsize_sweep``   sigma > 0: SGD and the limit over stepsizes, and SGD around the predicted critical stepsize.
* ``alpha_sweep``      sigma = 0: SGD and the particle limit for several alpha, long enough to see the late rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dln.highdim import analysis as an
from dln.highdim.experiments import hsgd, limit_fv, limit_particles, sgd_arrays, type_arrays
from dln.highdim.model import coordinate_types, make_problem
from dln.highdim.predictions import critical_stepsize, late_rate, limiting_curvature, noise_floor
from dln.highdim.recording import time_grid
from dln.highdim.sgd import DIVERGED
from dln.registry import Arrays, Assessment, ClaimSpec, Family, SimulationSpec, Spec

Array = NDArray[np.float64]
PAPER = "Garcia Malaxechebarria, Paquette, Fazel, Drusvyatskiy 2025 (arXiv:2605.17177)"
UID_DIMENSION, UID_TWO_LEVEL, UID_POWER_LAW, UID_STEPSIZE, UID_ALPHA = 401, 402, 403, 404, 405

# Thresholds (floors from the issue; tolerances of our own solvers stated explicitly, never tuned to the data).
BAND_SLACK_REL = 0.01  # numerical tolerance of the limit curve when checking it against the SGD 10-90 % band
HSGD_MEDIAN_TOL = 0.05  # "HSGD's median matches SGD's to a few percent": time-averaged relative gap of medians
SOLVER_AGREEMENT_TOL = 0.05  # sup over t of |R_fv / R_particles - 1|
RATE_SLOPE_RANGE = (-0.7, -0.3)  # log-log slope of E sup_t |R_SGD - R_limit| against d
OBSERVABLE_SLOPE_MAX = -0.25  # errors of the observables must shrink with d (theory: -1/2)
BALANCE_TOL = 0.02  # |log(Delta/Delta0) / (-2 gamma^2 lam int R) - 1|
BALANCE_T_MIN_FRACTION = 0.1  # the ratio is checked at t >= this fraction of the horizon (0/0 at t = 0)
DISTRIBUTION_SLOPE_MAX = -0.25  # W1(SGD zeta histogram, Fokker-Planck density) must shrink with d
FLOOR_TOL_LIMIT = 0.03  # limit late risk vs the floor formula
FLOOR_TOL_SGD = 0.05  # SGD late risk vs the floor formula and vs the limit
FLOOR_LATE_FRACTION = 0.2  # late window: last 20 % of the horizon
STABLE_FACTOR_MAX = 0.8  # SGD must reach a floor for gamma <= 0.8 gamma_c ...
DIVERGE_FACTOR_MIN = 1.25  # ... and fail to (blow up, or stay at the initial risk level) for gamma >= 1.25 gamma_c
STUCK_FRACTION = 0.5  # a run "fails" if it diverged or its late risk is >= this fraction of R(0)
RATE_TOL = 0.10  # late exponential rate vs the prediction
LINEAR_R2_MIN = 0.99  # log risk linear in t over the late window
LATE_WINDOW = 0.5  # late window: last half of each alpha's horizon
OBSERVABLES = ("curvature", "l1", "distance", "grad_norm")


def _prefixed(prefix: str, arrays: Mapping[str, Any]) -> dict[str, Any]:
    return {f"{prefix}{k}": v for k, v in arrays.items()}


def _params(problem_spec: Spec) -> dict[str, Any]:
    keys = ("alpha", "gamma", "sigma", "batch", "rho", "b")
    return {k: float(problem_spec.get(k, {"batch": 1, "b": 1.0}.get(k, 0.0))) for k in keys}


# ----------------------------------------------------------------------------------------------- simulations
def simulate_dimension_sweep(spec: Spec, seed: int) -> Arrays:
    """SGD over dims; limit (FV) per distinct type law; HSGD and particles at the largest d."""
    dims = [int(d) for d in spec["dims"]]
    times = time_grid(float(spec["horizon"]), int(spec["records"]))
    snaps = np.asarray(spec["snapshot_times"], dtype=float)
    out: dict[str, Any] = {"times": times, "dims": np.asarray(dims), "snapshot_times": snaps} | _params(spec)
    cache: dict[bytes, dict[str, Any]] = {}
    for d in dims:
        problem = make_problem(spec, d)
        types = coordinate_types(problem)
        out |= _prefixed(f"d{d}/", sgd_arrays(problem, types, seed, UID_DIMENSION, {"d": d}, int(spec["runs"]),
                                              times, snaps))  # fmt: skip
        out |= type_arrays(types, f"d{d}/") | {f"d{d}/bstar": problem.bstar}
        key = np.concatenate([types.weight, types.lam, types.bstar, types.delta0]).tobytes()
        if key not in cache:
            cache[key] = limit_fv(problem, types, spec, times, snaps)
        out |= _prefixed(f"d{d}/", cache[key])
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
        out |= _prefixed(f"g{i}/", sgd_arrays(problem, types, seed, UID_STEPSIZE, {"gamma": float(g)}, runs,
                                              times))  # fmt: skip
        out |= _prefixed(f"g{i}/", limit_fv(problem, types, spec, times))
    # sigma > 0 makes int R infinite, so Delta_inf = 0 and c_inf = <lam 2|beta*|>
    c_inf = limiting_curvature(types.weight, types.lam, types.bstar, np.zeros_like(types.lam))
    gamma_c = critical_stepsize(c_inf)
    factors = np.asarray(spec["critical_factors"], dtype=float)
    out |= {"c_inf": c_inf, "gamma_c": gamma_c, "critical_factors": factors}
    for i, f in enumerate(factors):
        problem = make_problem(spec, d, gamma=float(f * gamma_c))
        out |= _prefixed(f"c{i}/", sgd_arrays(problem, types, seed, UID_STEPSIZE, {"gamma_factor": float(f)},
                                              runs, times))  # fmt: skip
    return out


def simulate_alpha_sweep(spec: Spec, seed: int) -> Arrays:
    """sigma = 0: SGD and the particle limit per alpha, each to its own horizon."""
    d, runs = int(spec["d"]), int(spec["runs"])
    alphas = np.asarray(spec["alphas"], dtype=float)
    horizons = np.asarray(spec["horizons"], dtype=float)
    out: dict[str, Any] = {"d": d, "alphas": alphas, "horizons": horizons} | _params(spec)
    for i, (a, T) in enumerate(zip(alphas, horizons, strict=True)):
        times = time_grid(float(T), int(spec["records"]))
        problem = make_problem(spec, d, alpha=float(a))
        types = coordinate_types(problem)
        point = {"alpha": float(a)}
        out |= _prefixed(f"a{i}/", sgd_arrays(problem, types, seed, UID_ALPHA, point, runs, times))
        out |= _prefixed(f"a{i}/", limit_particles(problem, types, spec, seed, UID_ALPHA, point, times))
        out |= _prefixed(f"a{i}/", type_arrays(types, "")) | {f"a{i}/times": times}
    return out


# ----------------------------------------------------------------------------------------------- verdicts
def sde_limit_verdict(
    times: Array, sgd_risk: Array, hsgd_risk: Array, fv_risk: Array, particle_risk: Array
) -> Assessment:
    """Largest d: limit inside the SGD 10-90 % band at every t; HSGD median = SGD median to a few percent;
    the two limit solvers agree."""
    lo, med, hi = an.band(sgd_risk)
    slack = BAND_SLACK_REL * med
    inside = (fv_risk >= lo - slack) & (fv_risk <= hi + slack)
    h_med = np.median(hsgd_risk, axis=0)
    gap = np.abs(h_med / med - 1.0)
    solver_gap = np.abs(fv_risk / particle_risk - 1.0)
    measured = {
        "fraction_of_times_limit_in_band": float(np.mean(inside)),
        "first_time_outside_band": float(times[~inside][0]) if not inside.all() else None,
        "hsgd_sgd_median_gap_mean": float(np.mean(gap)),
        "hsgd_sgd_median_gap_sup": float(np.max(gap)),
        "solver_gap_sup": float(np.max(solver_gap)),
        "sgd_runs": int(sgd_risk.shape[0]),
        "hsgd_runs": int(hsgd_risk.shape[0]),
    }
    checks = {
        "limit_in_sgd_band_all_t": bool(inside.all()),
        "hsgd_median_matches_sgd": float(np.mean(gap)) <= HSGD_MEDIAN_TOL,
        "limit_solvers_agree": float(np.max(solver_gap)) <= SOLVER_AGREEMENT_TOL,
    }
    thresholds = {
        "band": "10-90 % over SGD runs",
        "band_slack_relative": BAND_SLACK_REL,
        "hsgd_median_gap_mean_max": HSGD_MEDIAN_TOL,
        "solver_gap_sup_max": SOLVER_AGREEMENT_TOL,
    }
    return Assessment(measured, thresholds, checks)


def assess_sgd_sde_limit(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    r = results["dimension_sweep"]
    d = int(r["dims"][-1])
    return sde_limit_verdict(r["times"], r[f"d{d}/sgd/risk"], r["hsgd/risk"], r[f"d{d}/fv/risk"], r["particles/risk"])


def dimension_errors(r: Mapping[str, Array], name: str) -> Array:
    """Per d: mean over runs of sup_t |observable_SGD - observable_limit|."""
    return np.asarray([np.mean(an.sup_error(r[f"d{d}/sgd/{name}"], r[f"d{d}/fv/{name}"])) for d in r["dims"]])


def rate_verdict(dims: Array, errors: Array) -> Assessment:
    """The sup-in-time risk error decays like d^(-1/2): fitted slope within RATE_SLOPE_RANGE."""
    slope = an.loglog_slope(dims, errors)
    measured = {
        "dims": [int(d) for d in dims],
        "mean_sup_error": [float(e) for e in errors],
        "sqrt_d_times_error": [float(e * np.sqrt(d)) for d, e in zip(dims, errors, strict=True)],
        "loglog_slope": slope,
    }
    checks = {"slope_in_range": RATE_SLOPE_RANGE[0] <= slope <= RATE_SLOPE_RANGE[1]}
    return Assessment(measured, {"slope_range": list(RATE_SLOPE_RANGE)}, checks)


def assess_rate_in_dimension(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    r = results["dimension_sweep"]
    return rate_verdict(r["dims"], dimension_errors(r, "risk"))


def observables_verdict(dims: Array, errors: Mapping[str, Array]) -> Assessment:
    """Each observable's SGD-vs-limit error shrinks with d (fitted log-log slope <= OBSERVABLE_SLOPE_MAX)."""
    slopes = {k: an.loglog_slope(dims, e) for k, e in errors.items()}
    measured = {
        "dims": [int(d) for d in dims],
        "mean_sup_error": {k: [float(x) for x in e] for k, e in errors.items()},
        "loglog_slope": slopes,
    }
    checks = {f"{k}_shrinks": s <= OBSERVABLE_SLOPE_MAX for k, s in slopes.items()}
    return Assessment(measured, {"slope_max": OBSERVABLE_SLOPE_MAX, "theory_slope": -0.5}, checks)


def assess_observables(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    r = results["dimension_sweep"]
    return observables_verdict(r["dims"], {k: dimension_errors(r, k) for k in OBSERVABLES})


def balance_ratios(r: Mapping[str, Array], prefix: str) -> Array:
    """Per kept time and type: the SGD Delta-law ratio pooled over runs (1 = exact law)."""
    times = r["times"]
    keep = times >= BALANCE_T_MIN_FRACTION * times[-1]
    return an.balance_ratio(
        r[f"{prefix}sgd/log_delta_ratio"], r[f"{prefix}sgd/int_risk"], r[f"{prefix}types/lam"],
        float(r["gamma"]), int(r["batch"]), keep,
    )  # fmt: skip


def balance_verdict(ratios: Mapping[str, Array]) -> Assessment:
    """Every case, type and kept time: |ratio - 1| <= BALANCE_TOL."""
    worst = {k: float(np.max(np.abs(v - 1.0))) for k, v in ratios.items()}
    measured = {
        "max_abs_ratio_minus_one": worst,
        "ratio_at_horizon_per_type": {k: [float(x) for x in v[-1]] for k, v in ratios.items()},
    }
    checks = {f"{k}_delta_law": w <= BALANCE_TOL for k, w in worst.items()}
    return Assessment(measured, {"abs_ratio_minus_one_max": BALANCE_TOL, "t_min_fraction": BALANCE_T_MIN_FRACTION},
                      checks)  # fmt: skip


def assess_balance_decay(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    r = results["dimension_sweep"]
    d = int(r["dims"][-1])
    return balance_verdict(
        {"isotropic": balance_ratios(r, f"d{d}/"), "two_level": balance_ratios(results["two_level"], "")}
    )


def distribution_distances(r: Mapping[str, Array]) -> Array:
    """Per d: mean over snapshot times, types and runs of W1(SGD zeta of the type, Fokker-Planck density)."""
    out = []
    for d in r["dims"]:
        p = f"d{d}/"
        label, grid, snaps, dens = (
            r[f"{p}types/label"],
            r[f"{p}fv/grid"],
            r[f"{p}sgd/zeta_snapshots"],
            r[f"{p}fv/density_snapshots"],
        )
        vals = [
            an.wasserstein1_to_density(snaps[j, run][label == k], grid, dens[j, k])
            for j in range(snaps.shape[0])
            for run in range(snaps.shape[1])
            for k in range(dens.shape[1])
        ]
        out.append(np.mean(vals))
    return np.asarray(out)


def distribution_verdict(dims: Array, distances: Array) -> Assessment:
    """The W1 distance between SGD's coordinate histograms and the Fokker-Planck density shrinks with d."""
    slope = an.loglog_slope(dims, distances)
    measured = {"dims": [int(d) for d in dims], "mean_w1_zeta": [float(x) for x in distances], "loglog_slope": slope}
    checks = {"distance_shrinks_with_d": slope <= DISTRIBUTION_SLOPE_MAX}
    return Assessment(measured, {"slope_max": DISTRIBUTION_SLOPE_MAX, "theory_slope": -0.5}, checks)


def assess_coordinate_distribution(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    r = results["dimension_sweep"]
    return distribution_verdict(r["dims"], distribution_distances(r))


def floor_points(r: Mapping[str, Array]) -> dict[str, Array]:
    """Per stepsize: late-window risk and curvature of SGD (median over runs) and of the limit, and the floor
    formula evaluated with each one's own curvature."""
    sigma = float(r["sigma"])
    rows: dict[str, list[float]] = {k: [] for k in ("sgd_risk", "limit_risk", "sgd_curv", "limit_curv")}
    for i in range(r["gammas"].size):
        rows["sgd_risk"].append(float(np.nanmedian(an.late_mean(r[f"g{i}/sgd/risk"], FLOOR_LATE_FRACTION))))
        rows["sgd_curv"].append(float(np.nanmedian(an.late_mean(r[f"g{i}/sgd/curvature"], FLOOR_LATE_FRACTION))))
        rows["limit_risk"].append(float(an.late_mean(r[f"g{i}/fv/risk"], FLOOR_LATE_FRACTION)))
        rows["limit_curv"].append(float(an.late_mean(r[f"g{i}/fv/curvature"], FLOOR_LATE_FRACTION)))
    out = {k: np.asarray(v) for k, v in rows.items()}
    out["floor_sgd"] = noise_floor(sigma, r["gammas"], out["sgd_curv"])
    out["floor_limit"] = noise_floor(sigma, r["gammas"], out["limit_curv"])
    out["gammas"] = r["gammas"]
    return out


def failed_fractions(r: Mapping[str, Array]) -> Array:
    """Per critical factor: fraction of SGD runs that diverged or whose late risk stays >= STUCK_FRACTION R(0)."""
    out = []
    for i in range(r["critical_factors"].size):
        risk = r[f"c{i}/sgd/risk"]
        late = an.late_mean(risk, FLOOR_LATE_FRACTION)
        failed = (r[f"c{i}/sgd/status"] == DIVERGED) | ~np.isfinite(late) | (late >= STUCK_FRACTION * risk[:, 0])
        out.append(np.mean(failed))
    return np.asarray(out)


def diverged_fractions(r: Mapping[str, Array]) -> Array:
    """Per critical factor: fraction of SGD runs that blew up numerically (status diverged)."""
    return np.asarray([np.mean(r[f"c{i}/sgd/status"] == DIVERGED) for i in range(r["critical_factors"].size)])


def noise_floor_verdict(
    pts: Mapping[str, Array], factors: Array, failed: Array, gamma_c: float, diverged: Array
) -> Assessment:
    """Late risk = floor formula (limit and SGD), SGD = limit; SGD reaches a floor below gamma_c, fails to above
    it, and (the paper's wording) diverges there."""
    err_lim = np.abs(pts["limit_risk"] / pts["floor_limit"] - 1.0)
    err_sgd = np.abs(pts["sgd_risk"] / pts["floor_sgd"] - 1.0)
    err_sgd_lim = np.abs(pts["sgd_risk"] / pts["limit_risk"] - 1.0)
    below, above = factors <= STABLE_FACTOR_MAX, factors >= DIVERGE_FACTOR_MIN
    measured = {
        "gammas": [float(g) for g in pts["gammas"]],
        "late_risk_sgd": [float(x) for x in pts["sgd_risk"]],
        "late_risk_limit": [float(x) for x in pts["limit_risk"]],
        "floor_formula_limit_curvature": [float(x) for x in pts["floor_limit"]],
        "max_rel_err_limit_vs_formula": float(np.max(err_lim)),
        "max_rel_err_sgd_vs_formula": float(np.max(err_sgd)),
        "max_rel_err_sgd_vs_limit": float(np.max(err_sgd_lim)),
        "gamma_c_predicted": gamma_c,
        "critical_factors": [float(f) for f in factors],
        "failed_fraction": [float(x) for x in failed],
        "diverged_fraction": [float(x) for x in diverged],
    }
    checks = {
        "limit_matches_formula": float(np.max(err_lim)) <= FLOOR_TOL_LIMIT,
        "sgd_matches_formula": float(np.max(err_sgd)) <= FLOOR_TOL_SGD,
        "sgd_matches_limit": float(np.max(err_sgd_lim)) <= FLOOR_TOL_SGD,
        "reaches_floor_below_gamma_c": bool(below.any()) and bool(np.all(failed[below] == 0)),
        "fails_above_gamma_c": bool(above.any()) and bool(np.all(failed[above] == 1)),
        "diverges_above_gamma_c": bool(above.any()) and bool(np.all(diverged[above] == 1)),
    }
    thresholds = {
        "limit_vs_formula_rel": FLOOR_TOL_LIMIT,
        "sgd_rel": FLOOR_TOL_SGD,
        "late_window_fraction": FLOOR_LATE_FRACTION,
        "reaches_floor_for_factor_at_most": STABLE_FACTOR_MAX,
        "fails_for_factor_at_least": DIVERGE_FACTOR_MIN,
        "failed_means": f"diverged, or late risk >= {STUCK_FRACTION} R(0)",
    }
    notes = (
        "Above gamma_c SGD does not blow up numerically in our runs: the curvature self-limits below 2/gamma and the "
        "risk stays near its initial level (the support is not learned), so 'diverges' is checked as 'fails to "
        "reach a floor'."
    )
    return Assessment(measured, thresholds, checks, notes)


def assess_noise_floor(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    r = results["stepsize_sweep"]
    return noise_floor_verdict(
        floor_points(r), r["critical_factors"], failed_fractions(r), float(r["gamma_c"]), diverged_fractions(r)
    )


def rate_points(r: Mapping[str, Array]) -> dict[str, Array]:
    """Per alpha: fitted late rate and r^2 of SGD (median risk) and of the limit, and the predicted rate from
    the limit's Delta at the horizon."""
    rows: dict[str, list[float]] = {k: [] for k in ("sgd_rate", "sgd_r2", "limit_rate", "limit_r2", "predicted")}
    for i in range(r["alphas"].size):
        p = f"a{i}/"
        t = r[f"{p}times"]
        late = t >= (1.0 - LATE_WINDOW) * t[-1]
        rate, r2 = an.exponential_fit(t[late], np.median(r[f"{p}sgd/risk"], axis=0)[late])
        rows["sgd_rate"].append(rate)
        rows["sgd_r2"].append(r2)
        rate, r2 = an.exponential_fit(t[late], r[f"{p}particles/risk"][late])
        rows["limit_rate"].append(rate)
        rows["limit_r2"].append(r2)
        delta_inf = r[f"{p}types/delta0"] * np.exp(r[f"{p}particles/log_delta_ratio"][-1])
        rows["predicted"].append(
            late_rate(r[f"{p}types/weight"], r[f"{p}types/lam"], r[f"{p}types/bstar"], delta_inf, float(r["gamma"]))
        )
    return {k: np.asarray(v) for k, v in rows.items()} | {"alphas": r["alphas"]}


def exponential_verdict(pts: Mapping[str, Array]) -> Assessment:
    """For every alpha: log risk linear in t late (r^2) and the late rate within RATE_TOL of the prediction."""
    err_sgd = np.abs(pts["sgd_rate"] / pts["predicted"] - 1.0)
    err_lim = np.abs(pts["limit_rate"] / pts["predicted"] - 1.0)
    measured: dict[str, Any] = {k: [float(x) for x in v] for k, v in pts.items()}
    measured |= {"max_rel_err_sgd": float(np.max(err_sgd)), "max_rel_err_limit": float(np.max(err_lim))}
    checks = {
        "several_alphas": pts["alphas"].size >= 2,
        "log_risk_linear": bool(np.all(pts["sgd_r2"] >= LINEAR_R2_MIN) and np.all(pts["limit_r2"] >= LINEAR_R2_MIN)),
        "sgd_rate_matches_prediction": float(np.max(err_sgd)) <= RATE_TOL,
        "limit_rate_matches_prediction": float(np.max(err_lim)) <= RATE_TOL,
    }
    thresholds = {"rate_rel_tol": RATE_TOL, "r2_min": LINEAR_R2_MIN, "late_window_fraction": LATE_WINDOW}
    return Assessment(measured, thresholds, checks)


def assess_exponential_convergence(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    return exponential_verdict(rate_points(results["alpha_sweep"]))


def anisotropic_verdict(cases: Mapping[str, tuple[Array, Array]]) -> Assessment:
    """Per covariance: the limit risk lies in the SGD 10-90 % band (same slack as claim 1) at every t."""
    measured: dict[str, Any] = {}
    checks = {}
    for name, (sgd_risk, limit_risk) in cases.items():
        lo, med, hi = an.band(sgd_risk)
        slack = BAND_SLACK_REL * med
        inside = (limit_risk >= lo - slack) & (limit_risk <= hi + slack)
        measured[name] = {
            "fraction_of_times_in_band": float(np.mean(inside)),
            "sup_rel_gap_median": float(np.max(np.abs(limit_risk / med - 1.0))),
        }
        checks[f"{name}_limit_in_band"] = bool(inside.all())
    return Assessment(measured, {"band": "10-90 % over SGD runs", "band_slack_relative": BAND_SLACK_REL}, checks)


def assess_anisotropic_covariance(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    return anisotropic_verdict({k: (results[k]["sgd/risk"], results[k]["fv/risk"]) for k in ("two_level", "power_law")})


# ----------------------------------------------------------------------------------------------- registry
def _claim(
    cid: str, statement: str, sims: tuple[str, ...], assess: Any, known_deviations: Mapping[str, str] | None = None
) -> ClaimSpec:
    return ClaimSpec(cid, PAPER, statement, sims, assess, known_deviations=dict(known_deviations or {}))


FAMILY = Family(
    name="highdim",
    title="High-dimensional limit of SGD",
    paper=PAPER,
    simulations={
        "dimension_sweep": SimulationSpec(
            "dimension_sweep",
            UID_DIMENSION,
            simulate_dimension_sweep,
            "K = I: SGD over d, HSGD, both limit solvers, zeta snapshots",
        ),
        "two_level": SimulationSpec("two_level", UID_TWO_LEVEL, simulate_two_level, "two-level K: SGD and the limit"),
        "power_law": SimulationSpec("power_law", UID_POWER_LAW, simulate_power_law, "power-law K: SGD and the limit"),
        "stepsize_sweep": SimulationSpec(
            "stepsize_sweep",
            UID_STEPSIZE,
            simulate_stepsize_sweep,
            "sigma > 0: floors over stepsizes and divergence around gamma_c",
        ),
        "alpha_sweep": SimulationSpec(
            "alpha_sweep", UID_ALPHA, simulate_alpha_sweep, "sigma = 0: exponential convergence for several alpha"
        ),
    },  # fmt: skip
    claims={
        c.id: c
        for c in (
            _claim(
                "sgd_sde_limit",
                "SGD risk concentrates on the deterministic limit (inside the SGD 10-90 % band at "
                "the largest d); HSGD's median matches SGD's; the particle and finite-volume solvers agree.",
                ("dimension_sweep",),
                assess_sgd_sde_limit,
            ),
            _claim(
                "rate_in_dimension",
                "The sup-in-time error between SGD and the limit decays like d^(-1/2).",
                ("dimension_sweep",),
                assess_rate_in_dimension,
            ),
            _claim(
                "observables",
                "Curvature, l1 norm, distance to beta* and gradient norm of SGD concentrate on the "
                "limit's curves (errors shrink with d).",
                ("dimension_sweep",),
                assess_observables,
            ),
            _claim(
                "balance_decay",
                "Per type, log(Delta(t)/Delta(0)) of SGD equals -2 gamma^2 lam int R within 2 % "
                "(isotropic and two-level K).",
                ("dimension_sweep", "two_level"),
                assess_balance_decay,
            ),
            _claim(
                "coordinate_distribution",
                "SGD's coordinate histograms (zeta, on and off the support) match the "
                "Fokker-Planck density; the distance shrinks with d.",
                ("dimension_sweep",),
                assess_coordinate_distribution,
            ),
            _claim(
                "noise_floor",
                "With sigma > 0 the long-time risk matches (sigma^2/2)/(1 - gamma c/2) and the limit; "
                "SGD diverges near gamma_c = 2/c_inf.",
                ("stepsize_sweep",),
                assess_noise_floor,
                known_deviations={
                    "diverges_above_gamma_c": (
                        "above gamma_c SGD fails (it never reaches the floor: the risk stays near R(0), the "
                        "support is not learned) but does not blow up numerically: the curvature self-limits "
                        "below 2/gamma"
                    )
                },
            ),
            _claim(
                "exponential_convergence",
                "With sigma = 0, log risk decays linearly in time for several alpha at "
                "the predicted late rate (within 10 %).",
                ("alpha_sweep",),
                assess_exponential_convergence,
            ),
            _claim(
                "anisotropic_covariance",
                "The limit matches SGD for a two-level and a power-law diagonal K.",
                ("two_level", "power_law"),
                assess_anisotropic_covariance,
            ),
        )
    },  # fmt: skip
)
