"""Claims of the highdim family (García Malaxechebarría, Paquette, Fazel, Drusvyatskiy 2026): thresholds,
assessments, registry.

Only the paper's abstract was available (arXiv:2605.17177); every statement below is our own derivation from the
model its abstract describes, reconstructed in ``papers/highdim_limit.md`` (its [R] and [V] tags), so every source
is `derived`. Every number a verdict of this family is held to is in `Thresholds`; statements quote them by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dln import checks as C
from dln.contract import Assessment, Claim, Family, Null, Paper, Results, Spec, claim_table, derived
from dln.highdim import analysis as an
from dln.highdim import null_arrays as na
from dln.highdim.predictions import late_rate, noise_floor
from dln.highdim.simulations import SIMULATIONS
from dln.layout import View
from dln.status import Status

Array = NDArray[np.float64]

PAPER = Paper(
    "García Malaxechebarría, Paquette, Fazel, Drusvyatskiy",
    2026,
    "High-dimensional limit of SGD for diagonal linear networks",
    "arXiv:2605.17177",
    "https://arxiv.org/abs/2605.17177",
)
OBSERVABLES = ("curvature", "l1", "distance", "grad_norm")


@dataclass(frozen=True)
class Thresholds:
    """Every number a highdim verdict compares against. The paper's body was not available, so none is the
    paper's: each is the theory's value (of our reconstruction), or a tolerance of our own solvers and
    estimators, stated here and never tuned to make a claim hold."""

    # the SGD band: 10-90 % quantiles over runs (the group's plotting style, papers/highdim_limit.md §5)
    band_lo: float = 0.1
    band_hi: float = 0.9
    band_slack_rel: float = 0.01  # solver tolerance: the FV limit's first-order dt bias is ~1 % of R (§3.5 B)
    hsgd_median_tol: float = 0.05  # estimator: HSGD (h = 0.01) matched SGD's median to ~1 % in §5 claim 2
    solver_agreement_tol: float = 0.05  # solver tolerance: sup_t |R_fv / R_particles - 1| (0.1-1 %, §3.5 V6)
    # log-log slope of E sup_t |X_SGD - X_limit| against d (risk and every observable) and of the W1 distance.
    # Theory: -1/2 (fluctuations of averages over d coordinates; d^(-1/2+eps), §4 T1-T2). The range is -1/2 +- 1/8,
    # the slopes nearer -1/2 than -1/4 (or -3/4): a d^-1/4 world (every slope + 1/4) is then rejected where the
    # real slope is above -0.625, as far from -1/2 as the real verdict's own edge. The former [-0.7, -0.3]
    # rejected it only where the real slope was above -0.55, 0.05 from the mean: with 16 runs per d (slope SD
    # ~0.07 for the risk and observables) it was accepted at 2 of 5 root seeds, and with runs [512, 128, 48, 56]
    # it was rejected by a margin of 0.001 at one (risk slope -0.549). Measured at the small config, those runs,
    # 5 root seeds: slopes -0.549 to -0.462 over every check (medians -0.48 to -0.51), SD 0.014-0.030 by check
    # (analytic, from the per-run spread pooled over 5 x 640 / 320 / 160 / 64 runs; the risk's five slopes give
    # 0.032): both edges 0.076 or more (2.5 SD) from every measured slope, 4 SD from the pooled mean slope
    # (-0.489 to -0.499). 16 runs per d would fail the tighter range (risk slope -0.355 at one seed): the range
    # needs the runs.
    rate_slope_min: float = -0.625
    rate_slope_max: float = -0.375
    balance_tol: float = 0.02  # theory: the Delta law is exact for HSGD; 2 % allows SGD's finite-d error (§5 4)
    balance_t_min_fraction: float = 0.1  # estimator: the ratio is 0/0 at t = 0, checked from 10 % of the horizon
    floor_tol_limit: float = 0.03  # our formula vs the limit: an approximation, held to 3 % (0.2 % seen at 0.2 gc)
    floor_tol_sgd: float = 0.05  # SGD vs formula and vs limit: 3 % plus SGD's finite-d spread at d = 1000
    floor_late_fraction: float = 0.2  # estimator: late window = last 20 % of the horizon (the floor is reached)
    stable_factor_max: float = 0.8  # theory (our gamma_c = 2/c_inf): SGD reaches a floor for gamma <= 0.8 gc ...
    diverge_factor_min: float = 1.25  # ... and fails to (blows up, or stays at R(0)) for gamma >= 1.25 gc
    stuck_fraction: float = 0.5  # estimator: a run "fails" if it diverged or its late risk is >= 0.5 R(0)
    rate_tol: float = 0.10  # our predicted late rate (root of the linearised Volterra equation, §3.4 v) within 10 %
    linear_r2_min: float = 0.99  # estimator: log risk linear in t over the late window
    late_window: float = 0.5  # estimator: late window = last half of each alpha's horizon
    rate_windows: int = 3  # estimator: 3 parts of the late window (a power law's local rate falls 1.6 x across)
    min_alphas: int = 2  # the statement's "several alpha"


T = Thresholds()

# Sizes of the null models' wrong worlds (not thresholds: no verdict compares against them).
NULL_CLOCK = 1.05  # a limit (or HSGD) whose rates are 5 % off: its curve on a 5 % faster clock
NULL_SLOW_RATE = 0.25  # fluctuations about the limit that shrink like d^-1/4 instead of d^-1/2
NULL_SPREAD = 1.1  # coordinate histograms 10 % wider than the Fokker-Planck density (21 % more diffusion)
NULL_STRETCH = 0.5  # stretched-exponential tail exp(-k t^0.5)


SLOPE_POWER_NOTE = (
    "Power of the slope checks (small config, 5 root seeds): with 16 SGD runs per d the fitted slopes spread "
    "over root seeds with SD 0.03-0.07 by check (the risk's five: -0.60 to -0.36), as large as the +0.25 shift of "
    "a d^-1/4 rate, and the 'fluctuations shrink like d^-1/4' nulls were accepted at 2 of 5 seeds. The runs are "
    "now given per d (config runs [512, 128, 48, 56], +39 CPU-s: most where runs are cheap and the fit's lever arm "
    "is long) and the slope range is -1/2 +- 1/8 (midway to -1/4): measured slopes -0.549 to -0.462 over the "
    "checks and seeds, SD about 0.03 (0.014-0.019 for the W1 distances), every real verdict holds and every "
    "d^-1/4 null is rejected at every seed, with both edges >= 0.076 (2.5 SD) from every measured slope. Paper "
    "config (d 250-16000, runs [384, 96, 24, 12]): SD about 0.03, estimated from the same per-run spread."
)


def _floats(values: Any) -> list[float]:
    return [float(x) for x in np.ravel(values)]


# ------------------------------------------------------------------------------------------------------ sgd_sde_limit
def _in_band(sgd_risk: Array, curve: Array) -> tuple[NDArray[np.bool_], Array]:
    """Per time: is ``curve`` inside the SGD band (with the relative slack), and the SGD median."""
    lo, med, hi = an.band(sgd_risk, T.band_lo, T.band_hi)
    slack = T.band_slack_rel * med
    return (curve >= lo - slack) & (curve <= hi + slack), med


def sde_limit_verdict(
    times: Array, sgd_risk: Array, hsgd_risk: Array, fv_risk: Array, particle_risk: Array
) -> Assessment:
    """Largest d: limit inside the SGD band at every t; HSGD median = SGD median to a few percent, and inside
    the SGD band at every t (a time-averaged gap hides a local disagreement: HSGD on a 5 % faster clock has a
    mean gap of only 5.9 %); the two limit solvers agree."""
    inside, med = _in_band(sgd_risk, fv_risk)
    hsgd_median = np.median(hsgd_risk, axis=0)
    hsgd_inside, _ = _in_band(sgd_risk, hsgd_median)
    gap = np.abs(hsgd_median / med - 1.0)
    solver_gap = np.abs(fv_risk / particle_risk - 1.0)
    measured = {
        "fraction_of_times_limit_in_band": float(np.mean(inside)),
        "first_time_outside_band": float(times[~inside][0]) if not inside.all() else None,
        "fraction_of_times_hsgd_median_in_band": float(np.mean(hsgd_inside)),
        "hsgd_sgd_median_gap_mean": float(np.mean(gap)),
        "hsgd_sgd_median_gap_sup": float(np.max(gap)),
        "solver_gap_sup": float(np.max(solver_gap)),
        "sgd_runs": int(sgd_risk.shape[0]),
        "hsgd_runs": int(hsgd_risk.shape[0]),
    }
    checks = [
        C.at_least("limit_in_sgd_band_all_t", float(np.mean(inside)), 1.0),
        C.at_most("hsgd_median_matches_sgd", float(np.mean(gap)), T.hsgd_median_tol),
        C.at_least("hsgd_median_in_sgd_band_all_t", float(np.mean(hsgd_inside)), 1.0),
        C.at_most("limit_solvers_agree", float(np.max(solver_gap)), T.solver_agreement_tol),
    ]
    return Assessment(checks, measured)


def _largest(r: View) -> View:
    return r.per_d[int(r.dims[-1])]


def assess_sgd_sde_limit(results: Results, specs: Mapping[str, Spec]) -> Assessment:
    r = results["dimension_sweep"]
    top = _largest(r)
    return sde_limit_verdict(r.times, top.sgd.risk, r.hsgd.risk, top.fv.risk, r.particles.risk)


def _warped(r: View, *traces: View, name: str = "risk") -> dict[str, Array]:
    """The ``name`` trace of each view on a clock NULL_CLOCK times as fast (file key -> new array)."""
    return {v.key(name): na.time_warped(r.times, v[name], NULL_CLOCK) for v in traces}


def null_limit_clock(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """Both limit solvers' risk on a 5 % faster clock: a limit whose rates are 5 % off."""
    r = results["dimension_sweep"]
    return {"dimension_sweep": _warped(r, _largest(r).fv, r.particles)}


def null_hsgd_clock(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """HSGD's risk on a 5 % faster clock: an SDE whose drift or noise is 5 % off."""
    r = results["dimension_sweep"]
    return {"dimension_sweep": _warped(r, r.hsgd)}


def null_particles_clock(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """The particle solver's risk on a 5 % faster clock: two solvers of different equations."""
    r = results["dimension_sweep"]
    return {"dimension_sweep": _warped(r, r.particles)}


# -------------------------------------------------------------------------------------------------- rate_in_dimension
def dimension_errors(r: View, name: str) -> Array:
    """Per d: mean over runs of sup_t |observable_SGD - observable_limit|."""
    return np.asarray([np.mean(an.sup_error(r.per_d[d].sgd[name], r.per_d[d].fv[name])) for d in r.dims])


def rate_verdict(dims: Array, errors: Array) -> Assessment:
    """The sup-in-time risk error decays like d^(-1/2): fitted slope within the range around -1/2."""
    slope = an.loglog_slope(dims, errors)
    measured = {
        "dims": [int(d) for d in dims],
        "mean_sup_error": _floats(errors),
        "sqrt_d_times_error": [float(e * np.sqrt(d)) for d, e in zip(dims, errors, strict=True)],
        "loglog_slope": slope,
    }
    return Assessment(
        [C.within("slope_in_range", slope, T.rate_slope_min, T.rate_slope_max)], measured, SLOPE_POWER_NOTE
    )


def assess_rate_in_dimension(results: Results, specs: Mapping[str, Spec]) -> Assessment:
    r = results["dimension_sweep"]
    return rate_verdict(r.dims, dimension_errors(r, "risk"))


def slower_fluctuations(r: View, name: str) -> dict[str, Array]:
    """SGD's ``name`` traces at every d with their deviations from the limit scaled by (d / d_min)^(1/4): the
    world where they shrink like d^-1/4 instead of d^-1/2."""
    d0 = float(r.dims[0])
    return {
        r.per_d[d].sgd.key(name): na.fluctuations_scaled(
            r.per_d[d].sgd[name], r.per_d[d].fv[name], (float(d) / d0) ** NULL_SLOW_RATE
        )
        for d in r.dims
    }


def null_rate_quarter(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    return {"dimension_sweep": slower_fluctuations(results["dimension_sweep"], "risk")}


def null_no_concentration(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """SGD's risk at every d = the limit + the smallest d's deviations from its limit: a d-independent offset,
    no concentration at all."""
    r = results["dimension_sweep"]
    small = r.per_d[int(r.dims[0])]
    offset = small.sgd.risk - small.fv.risk
    out = {}
    for d in r.dims:  # the smallest d's runs in order (cycled where d has more runs), so every shape is kept
        blk = r.per_d[d]
        out[blk.sgd.key("risk")] = blk.fv.risk + offset[np.arange(blk.sgd.risk.shape[0]) % offset.shape[0]]
    return {"dimension_sweep": out}


# -------------------------------------------------------------------------------------------------------- observables
def observables_verdict(dims: Array, errors: Mapping[str, Array]) -> Assessment:
    """Each observable's SGD-vs-limit error shrinks like d^(-1/2): fitted log-log slope in the same range around
    -1/2 as the risk's (a one-sided '<= -0.25' accepted fluctuations shrinking like d^(-1/4))."""
    slopes = {k: an.loglog_slope(dims, e) for k, e in errors.items()}
    measured = {
        "dims": [int(d) for d in dims],
        "mean_sup_error": {k: _floats(e) for k, e in errors.items()},
        "loglog_slope": slopes,
        "theory_slope": -0.5,
    }
    checks = [C.within(f"{k}_shrinks", s, T.rate_slope_min, T.rate_slope_max) for k, s in slopes.items()]
    return Assessment(checks, measured, SLOPE_POWER_NOTE)


def assess_observables(results: Results, specs: Mapping[str, Spec]) -> Assessment:
    r = results["dimension_sweep"]
    return observables_verdict(r.dims, {k: dimension_errors(r, k) for k in OBSERVABLES})


def _null_observable_rate(name: str) -> Null:
    def transform(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
        return {"dimension_sweep": slower_fluctuations(results["dimension_sweep"], name)}

    transform.__name__ = transform.__qualname__ = f"null_{name}_rate_quarter"
    return Null(
        f"{name}_fluctuations_shrink_like_d^-1/4",
        f"the d^-1/2 concentration of the {name}: SGD's deviations from the limit scaled by (d/d_min)^(1/4)",
        transform,
        (f"{name}_shrinks",),
    )


# ------------------------------------------------------------------------------------------------------ balance_decay
def _late_times(times: Array) -> NDArray[np.bool_]:
    return times >= T.balance_t_min_fraction * times[-1]


def balance_ratios(times: Array, runs: View, types: View, gamma: float, batch: int) -> Array:
    """Per kept time and type: the SGD Delta-law ratio pooled over runs (1 = exact law)."""
    return an.balance_ratio(runs.log_delta_ratio, runs.int_risk, types.lam, gamma, batch, _late_times(times))


def balance_curves(r: View, block: View) -> dict[str, Any]:
    """The ratio curves of one case (``block``: the view holding ``sgd`` and ``types``), for the verdict and
    its figure."""
    ratio = balance_ratios(r.times, block.sgd, block.types, float(r.gamma), int(r.batch))
    return {
        "times": _floats(r.times[_late_times(r.times)]),
        "lam": _floats(block.types.lam),
        "bstar": _floats(block.types.bstar),
        "ratio": ratio,
    }


def balance_verdict(ratios: Mapping[str, Array]) -> Assessment:
    """Every case, type and kept time: |ratio - 1| <= the tolerance."""
    worst = {k: float(np.max(np.abs(v - 1.0))) for k, v in ratios.items()}
    measured = {
        "max_abs_ratio_minus_one": worst,
        "ratio_at_horizon_per_type": {k: _floats(v[-1]) for k, v in ratios.items()},
    }
    checks = [C.at_most(f"{k}_delta_law", w, T.balance_tol) for k, w in worst.items()]
    return Assessment(checks, measured)


def null_faster_decay(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """Isotropic K: SGD's log Delta ratio 2 x tolerance larger than the law (Delta shrinks 4 % faster)."""
    runs = _largest(results["dimension_sweep"]).sgd
    return {"dimension_sweep": {runs.key("log_delta_ratio"): runs.log_delta_ratio * (1.0 + 2.0 * T.balance_tol)}}


def null_mean_eigenvalue_law(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """Two-level K: every type's Delta shrinks by the mean eigenvalue <lam> instead of its own lam."""
    r = results["two_level"]
    lam = r.types.lam
    mean_lam = float(np.sum(r.types.weight * lam))
    return {"two_level": {r.sgd.key("log_delta_ratio"): r.sgd.log_delta_ratio * (mean_lam / lam)}}


def assess_balance_decay(results: Results, specs: Mapping[str, Spec]) -> Assessment:
    iso, two = results["dimension_sweep"], results["two_level"]
    curves = {"isotropic": balance_curves(iso, _largest(iso)), "two_level": balance_curves(two, two)}
    a = balance_verdict({k: c["ratio"] for k, c in curves.items()})
    figure = {k: c | {"ratio": c["ratio"].tolist()} for k, c in curves.items()}
    return Assessment(a.checks, {**a.measured, "curves": figure}, a.notes)


# -------------------------------------------------------------------------------------------- coordinate_distribution
def type_names(bstar: Array) -> list[str]:
    """'off_support' / 'on_support' per coordinate type (with its index where two types share a name)."""
    names = ["off_support" if b == 0 else "on_support" for b in bstar]
    return [f"{n}{k}" if names.count(n) > 1 else n for k, n in enumerate(names)]


def distribution_distances(r: View) -> dict[str, Array]:
    """Per coordinate type, per d: mean over snapshot times and runs of W1(SGD zeta of the type, Fokker-Planck
    density)."""
    rows = []
    for d in r.dims:
        blk = r.per_d[d]
        label, grid = blk.types.label, blk.fv.grid
        snaps, dens = blk.sgd.zeta_snapshots, blk.fv.density_snapshots
        w1 = [
            [
                an.wasserstein1_to_density(snaps[j, run][label == k], grid, dens[j, k])
                for j in range(snaps.shape[0])
                for run in range(snaps.shape[1])
            ]
            for k in range(dens.shape[1])
        ]
        rows.append(np.mean(w1, axis=1))
    per_type = np.asarray(rows)
    names = type_names(_largest(r).types.bstar)
    return {name: per_type[:, k] for k, name in enumerate(names)}


def distribution_verdict(dims: Array, distances: Mapping[str, Array]) -> Assessment:
    """The W1 distance between SGD's coordinate histograms and the Fokker-Planck density shrinks like d^(-1/2),
    on average over the types and for each type: the average is dominated by the few on-support coordinates
    (their sampling error), which hides a d-independent error in the off-support law (a 10 % wider spread
    flattens the off-support slope to -0.15 to -0.13 but the average's only to -0.29 to -0.27, small config, 5
    root seeds)."""
    mean = np.mean(list(distances.values()), axis=0)
    slopes = {name: an.loglog_slope(dims, w) for name, w in distances.items()}
    slope = an.loglog_slope(dims, mean)
    measured = {
        "dims": [int(d) for d in dims],
        "mean_w1_zeta": _floats(mean),
        "mean_w1_zeta_per_type": {name: _floats(w) for name, w in distances.items()},
        "loglog_slope": slope,
        "loglog_slope_per_type": slopes,
        "theory_slope": -0.5,
    }
    checks = [C.within("distance_shrinks_with_d", slope, T.rate_slope_min, T.rate_slope_max)]
    checks += [
        C.within(f"{name}_distance_shrinks", s, T.rate_slope_min, T.rate_slope_max) for name, s in slopes.items()
    ]
    return Assessment(checks, measured, SLOPE_POWER_NOTE)


def assess_coordinate_distribution(results: Results, specs: Mapping[str, Spec]) -> Assessment:
    r = results["dimension_sweep"]
    return distribution_verdict(r.dims, distribution_distances(r))


def null_wider_histograms(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """SGD's zeta at every d and snapshot spread 10 % wider about each type's mean: a d-independent error in
    the diffusion of the coordinates."""
    r = results["dimension_sweep"]
    out = {}
    for d in r.dims:
        blk = r.per_d[d]
        out[blk.sgd.key("zeta_snapshots")] = na.spread_scaled(blk.sgd.zeta_snapshots, blk.types.label, NULL_SPREAD)
    return {"dimension_sweep": out}


# -------------------------------------------------------------------------------------------------------- noise_floor
def _floor_rows(sigma: float, points: list[tuple[float, View, View]]) -> dict[str, Array]:
    """Per (gamma, SGD runs, limit) point: late-window risk and curvature of SGD (median over runs) and of the
    limit, and the floor formula evaluated with each one's own curvature."""
    frac = T.floor_late_fraction
    rows: dict[str, list[float]] = {k: [] for k in ("gammas", "sgd_risk", "limit_risk", "sgd_curv", "limit_curv")}
    for gamma, runs, limit in points:
        rows["gammas"].append(gamma)
        rows["sgd_risk"].append(float(np.nanmedian(an.late_mean(runs.risk, frac))))
        rows["sgd_curv"].append(float(np.nanmedian(an.late_mean(runs.curvature, frac))))
        rows["limit_risk"].append(float(an.late_mean(limit.risk, frac)))
        rows["limit_curv"].append(float(an.late_mean(limit.curvature, frac)))
    out = {k: np.asarray(v) for k, v in rows.items()}
    out["floor_sgd"] = noise_floor(sigma, out["gammas"], out["sgd_curv"])
    out["floor_limit"] = noise_floor(sigma, out["gammas"], out["limit_curv"])
    return out


def floor_points(r: View) -> dict[str, Array]:
    """The floor sweep (gammas): SGD against the finite-volume limit."""
    points = [(float(g), r.per_gamma[i].sgd, r.per_gamma[i].fv) for i, g in enumerate(r.gammas)]
    return _floor_rows(float(r.sigma), points)


def near_critical_points(r: View) -> dict[str, Array]:
    """The critical factors below 1 (gamma = factor * gamma_c): SGD against the particle limit."""
    below = [i for i, f in enumerate(r.critical_factors) if "particles/risk" in r.per_factor[i]]
    points = [(float(r.critical_factors[i] * r.gamma_c), r.per_factor[i].sgd, r.per_factor[i].particles) for i in below]
    return _floor_rows(float(r.sigma), points) | {"factors": r.critical_factors[below]}


def failed_fractions(r: View) -> Array:
    """Per critical factor: fraction of SGD runs that diverged or whose late risk stays >= stuck_fraction R(0)."""
    out = []
    for i in range(r.critical_factors.size):
        runs = r.per_factor[i].sgd
        late = an.late_mean(runs.risk, T.floor_late_fraction)
        stuck = late >= T.stuck_fraction * runs.risk[:, 0]
        out.append(np.mean((runs.status == Status.DIVERGED) | ~np.isfinite(late) | stuck))
    return np.asarray(out)


def diverged_fractions(r: View) -> Array:
    """Per critical factor: fraction of SGD runs that blew up numerically (status diverged)."""
    return np.asarray([np.mean(r.per_factor[i].sgd.status == Status.DIVERGED) for i in range(r.critical_factors.size)])


def _max_or_nan(values: Array) -> float:
    return float(np.max(values)) if values.size else float("nan")


def _min_or_nan(values: Array) -> float:
    return float(np.min(values)) if values.size else float("nan")


def _rel_err(a: Array, b: Array) -> Array:
    return np.abs(np.asarray(a) / np.asarray(b) - 1.0)


def noise_floor_verdict(
    pts: Mapping[str, Array],
    factors: Array,
    failed: Array,
    gamma_c: float,
    diverged: Array,
    near: Mapping[str, Array],
) -> Assessment:
    """Late risk = floor formula (limit and SGD), SGD = limit, over the floor sweep (``pts``: gamma <= 0.2
    gamma_c, where the formula's correction is at most 25 %) and near gamma_c (``near``: the critical factors
    below 1, where it is 2 to 10 x); SGD reaches a floor below gamma_c, fails to above it, and (our prediction)
    diverges there."""
    err_lim = _rel_err(pts["limit_risk"], pts["floor_limit"])
    err_sgd = _rel_err(pts["sgd_risk"], pts["floor_sgd"])
    err_sgd_lim = _rel_err(pts["sgd_risk"], pts["limit_risk"])
    near_formula = _rel_err(near["limit_risk"], near["floor_limit"])
    # SGD against the limit where SGD reaches a floor (the factors of reaches_floor_below_gamma_c); closer to
    # gamma_c the run-to-run spread of SGD's late risk (6 % at 0.9 gamma_c, d = 1000) is reported, not checked
    settled = near["factors"] <= T.stable_factor_max
    near_sgd_lim = _rel_err(near["sgd_risk"][settled], near["limit_risk"][settled])
    below, above = factors <= T.stable_factor_max, factors >= T.diverge_factor_min
    measured = {
        "gammas": _floats(pts["gammas"]),
        "late_risk_sgd": _floats(pts["sgd_risk"]),
        "late_risk_limit": _floats(pts["limit_risk"]),
        "floor_formula_limit_curvature": _floats(pts["floor_limit"]),
        "max_rel_err_limit_vs_formula": float(np.max(err_lim)),
        "max_rel_err_sgd_vs_formula": float(np.max(err_sgd)),
        "max_rel_err_sgd_vs_limit": float(np.max(err_sgd_lim)),
        "gamma_c_predicted": gamma_c,
        "critical_factors": _floats(factors),
        "failed_fraction": _floats(failed),
        "diverged_fraction": _floats(diverged),
        "near_gamma_c": {
            "factors": _floats(near["factors"]),
            "gammas": _floats(near["gammas"]),
            "late_risk_sgd": _floats(near["sgd_risk"]),
            "late_risk_limit": _floats(near["limit_risk"]),
            "late_curvature_limit": _floats(near["limit_curv"]),
            "floor_formula_limit_curvature": _floats(near["floor_limit"]),
            "rel_err_limit_vs_formula": _floats(near["limit_risk"] / near["floor_limit"] - 1.0),
            "rel_err_sgd_vs_limit": _floats(near["sgd_risk"] / near["limit_risk"] - 1.0),
        },
    }
    checks = [
        C.at_most("limit_matches_formula", float(np.max(err_lim)), T.floor_tol_limit),
        C.at_most("sgd_matches_formula", float(np.max(err_sgd)), T.floor_tol_sgd),
        C.at_most("sgd_matches_limit", float(np.max(err_sgd_lim)), T.floor_tol_sgd),
        C.at_most("floor_formula_near_gamma_c", _max_or_nan(near_formula), T.floor_tol_limit),
        C.at_most("sgd_matches_limit_near_gamma_c", _max_or_nan(near_sgd_lim), T.floor_tol_sgd),
        C.at_most("reaches_floor_below_gamma_c", _max_or_nan(failed[below]), 0.0),
        C.at_least("fails_above_gamma_c", _min_or_nan(failed[above]), 1.0),
        C.at_least("diverges_above_gamma_c", _min_or_nan(diverged[above]), 1.0),
    ]
    notes = (
        "The floor formula and gamma_c are this project's derivation (the abstract mentions neither). Above "
        "gamma_c SGD mostly does not blow up: the curvature self-limits below 2/gamma and the risk stays near its "
        "initial level (the support is not learned), so our prediction 'diverges' is checked both as 'fails to "
        "reach a floor' and as 'blows up'. Near gamma_c the limit is solved by particles (the finite-volume grid "
        "cannot follow zeta* as Delta -> 0); SGD is compared with it at the factors <= stable_factor_max, and at "
        "0.9 gamma_c, where SGD's late risk spreads by about 6 % over runs, the gap is reported only."
    )
    return Assessment(checks, measured, notes)


def assess_noise_floor(results: Results, specs: Mapping[str, Spec]) -> Assessment:
    r = results["stepsize_sweep"]
    return noise_floor_verdict(
        floor_points(r),
        r.critical_factors,
        failed_fractions(r),
        float(r.gamma_c),
        diverged_fractions(r),
        near_critical_points(r),
    )


def null_uncorrected_floor(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """SGD's and the limit's risk per stepsize scaled so that their late level is sigma^2/2: the floor without
    its 1/(1 - gamma c/2) correction (c: each one's own late curvature)."""
    r = results["stepsize_sweep"]
    half_s2, out = 0.5 * float(r.sigma) ** 2, {}
    for i, g in enumerate(r.gammas):
        for runs in (r.per_gamma[i].sgd, r.per_gamma[i].fv):
            curv = an.late_mean(runs.curvature, T.floor_late_fraction)
            scale = half_s2 / noise_floor(float(r.sigma), float(g), curv)
            out[runs.key("risk")] = runs.risk * np.asarray(scale)[..., None]
    return {"stepsize_sweep": out}


def null_sgd_above_limit(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """SGD's risk at every stepsize where the limit is solved 2 x tolerance above the limit's (a finite-d excess
    the limit misses)."""
    r = results["stepsize_sweep"]
    scale = 1.0 + 2.0 * T.floor_tol_sgd
    blocks = [r.per_gamma[i].sgd for i in range(r.gammas.size)]
    blocks += [r.per_factor[i].sgd for i in r.per_factor if "particles/risk" in r.per_factor[i]]
    return {"stepsize_sweep": {b.key("risk"): b.risk * scale for b in blocks}}


def _factor_curves_replaced(r: View, targets: NDArray[np.bool_], source: int) -> dict[str, Array]:
    src = r.per_factor[source].sgd
    return {r.per_factor[i].sgd.key("risk"): src.risk for i in np.flatnonzero(targets)}


def null_no_critical_stepsize(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """Above gamma_c SGD behaves as just below it: its risk curves replaced by those of the largest factor
    <= stable_factor_max (no critical stepsize)."""
    r = results["stepsize_sweep"]
    f = r.critical_factors
    below = np.flatnonzero(f <= T.stable_factor_max)
    return {"stepsize_sweep": _factor_curves_replaced(r, f >= T.diverge_factor_min, int(below[np.argmax(f[below])]))}


def null_stalls_below_gamma_c(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """Below gamma_c SGD stalls as above it: its risk curves replaced by those of the smallest factor
    >= diverge_factor_min (the critical stepsize lower than predicted)."""
    r = results["stepsize_sweep"]
    f = r.critical_factors
    above = np.flatnonzero(f >= T.diverge_factor_min)
    return {"stepsize_sweep": _factor_curves_replaced(r, f <= T.stable_factor_max, int(above[np.argmin(f[above])]))}


# -------------------------------------------------------------------------------------------- exponential_convergence
def rate_points(r: View) -> dict[str, Array]:
    """Per alpha, over the late window: fitted rate and r^2 of SGD (median risk) and of the limit, their local
    rates in `rate_windows` consecutive parts, the decades of risk the window spans, and the predicted rate
    from the limit's Delta at the horizon."""
    keys = ("sgd_rate", "sgd_r2", "limit_rate", "limit_r2", "predicted", "sgd_local", "limit_local", "decades")
    rows: dict[str, list[Any]] = {k: [] for k in keys}
    for i in range(r.alphas.size):
        blk = r.per_alpha[i]
        t = blk.times
        start = (1.0 - T.late_window) * t[-1]
        late = t >= start
        for name, risk in (("sgd", np.median(blk.sgd.risk, axis=0)), ("limit", blk.particles.risk)):
            rate, r2 = an.exponential_fit(t[late], risk[late])
            rows[f"{name}_rate"].append(rate)
            rows[f"{name}_r2"].append(r2)
            rows[f"{name}_local"].append(an.window_rates(t, risk, start, T.rate_windows))
        rows["decades"].append(float(np.log10(blk.particles.risk[late][0] / blk.particles.risk[-1])))
        types = blk.types
        delta_inf = types.delta0 * np.exp(blk.particles.log_delta_ratio[-1])
        rows["predicted"].append(late_rate(types.weight, types.lam, types.bstar, delta_inf, float(r.gamma)))
    return {k: np.asarray(v) for k, v in rows.items()} | {"alphas": r.alphas}


def exponential_verdict(pts: Mapping[str, Array]) -> Assessment:
    """For every alpha: log risk linear in t late (r^2), the late rate within the tolerance of the prediction,
    and so is the local rate in each part of the late window. A power law or a stretched exponential through
    the same end points has r^2 > 0.99 and the same mean rate; only its local rates, falling with t, tell it
    from an exponential."""
    pred = pts["predicted"]
    err = {m: np.abs(pts[f"{m}_rate"] / pred - 1.0) for m in ("sgd", "limit")}
    local = {m: np.abs(pts[f"{m}_local"] / pred[:, None] - 1.0) for m in ("sgd", "limit")}
    measured: dict[str, Any] = {k: np.asarray(v).tolist() for k, v in pts.items()}
    measured |= {
        "max_rel_err_sgd": float(np.max(err["sgd"])),
        "max_rel_err_limit": float(np.max(err["limit"])),
        "max_rel_err_local_sgd": float(np.max(local["sgd"])),
        "max_rel_err_local_limit": float(np.max(local["limit"])),
        "late_window_fraction": T.late_window,
    }
    worst_r2 = float(np.min(np.concatenate([pts["sgd_r2"], pts["limit_r2"]])))
    checks = [
        C.at_least("several_alphas", int(pts["alphas"].size), T.min_alphas),
        C.at_least("log_risk_linear", worst_r2, T.linear_r2_min),
        C.at_most("sgd_rate_matches_prediction", float(np.max(err["sgd"])), T.rate_tol),
        C.at_most("limit_rate_matches_prediction", float(np.max(err["limit"])), T.rate_tol),
        C.at_most("sgd_local_rates_match_prediction", float(np.max(local["sgd"])), T.rate_tol),
        C.at_most("limit_local_rates_match_prediction", float(np.max(local["limit"])), T.rate_tol),
    ]
    return Assessment(checks, measured)


def assess_exponential_convergence(results: Results, specs: Mapping[str, Spec]) -> Assessment:
    return exponential_verdict(rate_points(results["alpha_sweep"]))


def _tails(results: Results, exponent: float | None) -> dict[str, dict[str, Array]]:
    r = results["alpha_sweep"]
    out = {}
    for i in range(r.alphas.size):
        blk = r.per_alpha[i]
        start = (1.0 - T.late_window) * blk.times[-1]
        for runs in (blk.sgd, blk.particles):
            out[runs.key("risk")] = na.tail_replaced(blk.times, runs.risk, start, exponent)
    return {"alpha_sweep": out}


def null_power_law_tail(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """Over the late window every risk curve (SGD runs, limit) a power law t^-p through its own end points."""
    return _tails(results, None)


def null_stretched_tail(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """Over the late window every risk curve a stretched exponential exp(-k t^(1/2)) through its end points."""
    return _tails(results, NULL_STRETCH)


def null_faster_rate(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
    """Over the late window every risk curve decays exponentially 2 x tolerance faster than it does."""
    r = results["alpha_sweep"]
    out = {}
    for i in range(r.alphas.size):
        blk = r.per_alpha[i]
        t = blk.times
        late = t >= (1.0 - T.late_window) * t[-1]
        for runs in (blk.sgd, blk.particles):
            risk = np.array(runs.risk, dtype=float, copy=True)
            head = risk[..., late][..., :1]
            risk[..., late] = head * (risk[..., late] / head) ** (1.0 + 2.0 * T.rate_tol)
            out[runs.key("risk")] = risk
    return {"alpha_sweep": out}


# --------------------------------------------------------------------------------------------- anisotropic_covariance
def anisotropic_verdict(cases: Mapping[str, tuple[Array, Array]]) -> Assessment:
    """Per covariance: the limit risk lies in the SGD band (same slack as sgd_sde_limit) at every t."""
    measured: dict[str, Any] = {}
    checks = []
    for name, (sgd_risk, limit_risk) in cases.items():
        inside, med = _in_band(sgd_risk, limit_risk)
        measured[name] = {
            "fraction_of_times_in_band": float(np.mean(inside)),
            "sup_rel_gap_median": float(np.max(np.abs(limit_risk / med - 1.0))),
        }
        checks.append(C.at_least(f"{name}_limit_in_band", float(np.mean(inside)), 1.0))
    return Assessment(checks, measured)


def assess_anisotropic_covariance(results: Results, specs: Mapping[str, Spec]) -> Assessment:
    return anisotropic_verdict({k: (results[k].sgd.risk, results[k].fv.risk) for k in ("two_level", "power_law")})


def _null_anisotropic_clock(case: str) -> Null:
    def transform(results: Results, specs: Mapping[str, Spec]) -> dict[str, dict[str, Array]]:
        r = results[case]
        return {case: _warped(r, r.fv)}

    transform.__name__ = transform.__qualname__ = f"null_{case}_limit_clock"
    return Null(
        f"{case}_limit_clock_5pc_fast",
        f"the limit describes SGD for the {case.replace('_', '-')} K: its risk on a 5 % faster clock",
        transform,
        (f"{case}_limit_in_band",),
    )


# ----------------------------------------------------------------------------------------------------------- registry
def check_config(section: Mapping[str, object]) -> list[str]:
    """Cross-key constraints: a list of SGD run counts (``runs``) is only for the dimension sweep, one per d of its
    ``dims``; every other simulation takes one integer."""
    common = section.get("common", {})
    assert isinstance(common, Mapping)
    problems = []
    for name in SIMULATIONS:
        block = section.get(name, {})
        assert isinstance(block, Mapping)
        runs, dims = block.get("runs", common.get("runs")), block.get("dims", common.get("dims"))
        where = f"{name}.runs" if "runs" in block else "common.runs"
        if not isinstance(runs, list):
            continue
        if name != "dimension_sweep":
            problems.append(f"{where}={runs} must be one integer for {name} (a list of runs per d is only for dims)")
        elif not isinstance(dims, list) or len(runs) != len(dims):
            problems.append(
                f"{where}={runs} has {len(runs)} entries but dimension_sweep.dims={dims} has "
                f"{len(dims) if isinstance(dims, list) else 'none'}: give one run count per d, or one integer"
            )
    return problems


ABSTRACT = (
    "only the abstract of arXiv:2605.17177 was available (SGD is well approximated by an SDE that decouples drift "
    "from noise; a deterministic PDE propagates the state and its observables); "
)
RECONSTRUCTION = "reconstructed in papers/highdim_limit.md"

FAMILY = Family(
    name="highdim",
    title="High-dimensional limit of SGD",
    paper=PAPER,
    thresholds=T,
    simulations=SIMULATIONS,
    check_config=check_config,
    claims=claim_table(
        Claim(
            "sgd_sde_limit",
            "SGD risk concentrates on the deterministic limit (inside the SGD {band_lo:.0%}-{band_hi:.0%} band, "
            "slack {band_slack_rel:.0%}, at every t at the largest d); HSGD's median matches SGD's (mean gap <= "
            "{hsgd_median_tol:.0%}, inside the same band at every t); the particle and finite-volume solvers agree "
            "(sup gap <= {solver_agreement_tol:.0%}).",
            derived(ABSTRACT + f"the HSGD SDE and its McKean-Vlasov limit are {RECONSTRUCTION} §2-3 [R, V]"),
            ("dimension_sweep",),
            assess_sgd_sde_limit,
            nulls=(
                Null(
                    "limit_clock_5pc_fast",
                    "SGD concentrates on the limit: both limit solvers' risk on a 5 % faster clock",
                    null_limit_clock,
                    ("limit_in_sgd_band_all_t",),
                ),
                Null(
                    "hsgd_clock_5pc_fast",
                    "HSGD has SGD's law: HSGD's risk on a 5 % faster clock",
                    null_hsgd_clock,
                    ("hsgd_median_matches_sgd", "hsgd_median_in_sgd_band_all_t"),
                ),
                Null(
                    "particles_clock_5pc_fast",
                    "the two solvers solve the same limit: the particle solver's risk on a 5 % faster clock",
                    null_particles_clock,
                    ("limit_solvers_agree",),
                ),
            ),
        ),
        Claim(
            "rate_in_dimension",
            "The sup-in-time error between SGD and the limit decays like d^(-1/2) (fitted slope in "
            "[{rate_slope_min:g}, {rate_slope_max:g}]).",
            derived(
                ABSTRACT + "the d^(-1/2+eps) rate is the shape of the group's least-squares theorems (DSC-243 "
                "Thm 10.6), carried over to the DLN in papers/highdim_limit.md §4 T1-T2 [I], measured there [V]"
            ),
            ("dimension_sweep",),
            assess_rate_in_dimension,
            nulls=(
                Null(
                    "fluctuations_shrink_like_d^-1/4",
                    "the d^-1/2 rate: SGD's deviations from the limit scaled by (d/d_min)^(1/4)",
                    null_rate_quarter,
                    ("slope_in_range",),
                ),
                Null(
                    "d_independent_offset",
                    "concentration: SGD at every d = the limit + the smallest d's deviations",
                    null_no_concentration,
                    ("slope_in_range",),
                ),
            ),
        ),
        Claim(
            "observables",
            "Curvature, l1 norm, distance to beta* and gradient norm of SGD concentrate on the limit's curves "
            "like d^(-1/2) (log-log slope of the errors against d in [{rate_slope_min:g}, {rate_slope_max:g}]).",
            derived(ABSTRACT + f"the observables as functionals of the limit are {RECONSTRUCTION} §3.3 [R, I]"),
            ("dimension_sweep",),
            assess_observables,
            nulls=tuple(_null_observable_rate(k) for k in OBSERVABLES),
        ),
        Claim(
            "balance_decay",
            "Per type, log(Delta(t)/Delta(0)) of SGD equals -2 gamma^2 lam int R within {balance_tol:.0%} "
            "(isotropic and two-level K).",
            derived(f"the Delta law of HSGD (Ito's formula on the reconstructed SDE), {RECONSTRUCTION} §2.3 [V]"),
            ("dimension_sweep", "two_level"),
            assess_balance_decay,
            nulls=(
                Null(
                    "isotropic_decay_4pc_fast",
                    "the Delta law for K = I: SGD's log Delta ratio 2 x tolerance larger",
                    null_faster_decay,
                    ("isotropic_delta_law",),
                ),
                Null(
                    "two_level_mean_eigenvalue_law",
                    "the per-type lam in the Delta law: every type shrinks by the mean eigenvalue",
                    null_mean_eigenvalue_law,
                    ("two_level_delta_law",),
                ),
            ),
        ),
        Claim(
            "coordinate_distribution",
            "SGD's coordinate histograms (zeta, on and off the support) match the Fokker-Planck density; the W1 "
            "distance shrinks like d^(-1/2), on average and per type (log-log slopes in [{rate_slope_min:g}, "
            "{rate_slope_max:g}]).",
            derived(ABSTRACT + f"the reduced Fokker-Planck equation in zeta is {RECONSTRUCTION} §3.2 [R, V]"),
            ("dimension_sweep",),
            assess_coordinate_distribution,
            nulls=(
                Null(
                    "histograms_10pc_wider",
                    "the Fokker-Planck law of the coordinates: SGD's zeta spread 10 % wider at every d",
                    null_wider_histograms,
                    ("distance_shrinks_with_d", "off_support_distance_shrinks", "on_support_distance_shrinks"),
                ),
            ),
        ),
        Claim(
            "noise_floor",
            "Our derivation, tested (not the paper's statement): with sigma > 0 SGD's long-time risk matches the "
            "limit's within {floor_tol_sgd:.0%} (on the stepsize sweep and at the critical factors <= "
            "{stable_factor_max:g}), and our floor formula (sigma^2/2)/(1 - gamma c/2), c the late curvature, matches "
            "the limit within {floor_tol_limit:.0%} and SGD within {floor_tol_sgd:.0%} on the sweep, and the limit "
            "near our critical stepsize gamma_c = 2/c_inf too (critical factors below 1); SGD reaches a floor at <= "
            "{stable_factor_max:g} gamma_c and fails to at >= {diverge_factor_min:g} gamma_c, where we predicted "
            "that it diverges.",
            derived(
                "our OU approximation of the reconstructed limit (the DLN analogue of the least-squares floor, "
                f"DSC-243 eq. 59), {RECONSTRUCTION} §3.4 (ii)-(iii) [V, R]; the abstract says nothing of a floor "
                "or a critical stepsize, and says the dynamics are globally well posed"
            ),
            ("stepsize_sweep",),
            assess_noise_floor,
            nulls=(
                Null(
                    "floor_without_correction",
                    "the 1/(1 - gamma c/2) correction: SGD's and the limit's late risk at sigma^2/2",
                    null_uncorrected_floor,
                    ("limit_matches_formula", "sgd_matches_formula"),
                ),
                Null(
                    "sgd_10pc_above_limit",
                    "SGD = limit: SGD's risk 2 x tolerance above the limit's at every stepsize",
                    null_sgd_above_limit,
                    ("sgd_matches_limit", "sgd_matches_limit_near_gamma_c"),
                ),
                Null(
                    "no_critical_stepsize",
                    "failure above gamma_c: SGD above gamma_c given the risk curves of SGD below it",
                    null_no_critical_stepsize,
                    ("fails_above_gamma_c",),
                ),
                Null(
                    "stalls_below_gamma_c",
                    "a floor below gamma_c: SGD below gamma_c given the risk curves of SGD above it",
                    null_stalls_below_gamma_c,
                    ("reaches_floor_below_gamma_c",),
                ),
            ),
            known_deviations={
                "diverges_above_gamma_c": (
                    "our prediction, not the paper's (its abstract says the dynamics are globally well posed): "
                    "above gamma_c SGD fails (it never reaches the floor: the risk stays near R(0), the support is "
                    "not learned) but does not blow up numerically: at 1.33 gamma_c (small config, d = 1000, 5 "
                    "root seeds) the late risk stays at 0.86-1.14 R(0) and the late curvature at 0.05-0.06, below "
                    "2/gamma = 0.15; 1 of the 20 runs blew up (status 2), 19 did not"
                ),
                "floor_formula_near_gamma_c": (
                    "our floor formula (sigma^2/2)/(1 - gamma c/2), an OU linearisation of the reconstructed limit "
                    "(papers/highdim_limit.md §3.4 (ii)), not the paper's, holds to 0.23 % for gamma <= 0.2 gamma_c "
                    "but not near gamma_c: the particle limit's late risk exceeds it (with the limit's own late "
                    "curvature c) by 2.5-3.9 % at 0.5 gamma_c, 18-23 % at 0.75 gamma_c and 58-65 % at 0.9 gamma_c "
                    "(small config, 5 root seeds), and SGD agrees with the limit to <= 2 % at 0.5 and 0.75 gamma_c, "
                    "so the formula, not the limit, is off. Our reading (a heuristic, not a derivation): the "
                    "linearisation drops the mean shift of e = beta - beta* that the sinh nonlinearity of the zeta "
                    "dynamics produces (an Ito drift of order gamma^2 lam R beta), of relative size 2 rho gamma^2 R "
                    "= 0.05 / 0.19 / 0.43 at these stepsizes, the size of the excess"
                ),
            },
        ),
        Claim(
            "exponential_convergence",
            "With sigma = 0, log risk decays linearly in time (r^2 >= {linear_r2_min:g} over the last "
            "{late_window:.0%} of the horizon) for several alpha at our predicted late rate: the mean rate over "
            "that window and the local rate in each of its {rate_windows} parts within {rate_tol:.0%}.",
            derived(
                "the abstract states exponential convergence to zero risk; the late rate (root of the linearised "
                f"Volterra equation) is our derivation, {RECONSTRUCTION} §3.4 (v) [V, I]"
            ),
            ("alpha_sweep",),
            assess_exponential_convergence,
            nulls=(
                Null(
                    "power_law_tail",
                    "exponential decay: every late risk curve a power law through its own end points",
                    null_power_law_tail,
                    ("log_risk_linear", "sgd_local_rates_match_prediction", "limit_local_rates_match_prediction"),
                ),
                Null(
                    "stretched_exponential_tail",
                    "exponential decay: every late risk curve exp(-k t^(1/2)) through its own end points",
                    null_stretched_tail,
                    ("log_risk_linear", "sgd_local_rates_match_prediction", "limit_local_rates_match_prediction"),
                ),
                Null(
                    "rate_20pc_fast",
                    "the predicted rate: every late risk curve decaying 2 x tolerance faster",
                    null_faster_rate,
                    ("sgd_rate_matches_prediction", "limit_rate_matches_prediction"),
                ),
            ),
        ),
        Claim(
            "anisotropic_covariance",
            "The limit matches SGD for a two-level and a power-law diagonal K (inside the SGD "
            "{band_lo:.0%}-{band_hi:.0%} band, slack {band_slack_rel:.0%}, at every t).",
            derived(ABSTRACT + f"the type law for a diagonal K is {RECONSTRUCTION} §1.1, §3.1 [R, V]"),
            ("two_level", "power_law"),
            assess_anisotropic_covariance,
            nulls=tuple(_null_anisotropic_clock(k) for k in ("two_level", "power_law")),
        ),
    ),
)
