"""Pure verdict functions of the stepsizes family: arrays in, `Assessment` out (thresholds are floors of the issue).

Each function takes the few per-run arrays a claim needs, so that tests can feed crafted inputs that must pass
and inputs that must fail.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from dln.registry import Assessment

Array = NDArray[np.float64]

EXACT_TOL = 1e-6  # sup-norm, trained beta vs argmin D_{psi_alpha_inf}(., beta~0)
GAIN_SCORE_MAX = 1.0  # tracked vs recovered alpha_inf within GAIN_ALPHA_RTOL or round-off (gain_identity_score)
GAIN_ALPHA_RTOL = 1e-3  # relative agreement of alpha_inf = alpha exp(-Gain/2) with sqrt(|u^2 - v^2| / 2)
MIN_RESOLVABLE_SHARE = 0.5  # per method, share of converged runs whose alpha_inf is resolved in float64
SGD_HELP_FACTOR = 5.0  # median test error at [0.7, 1] gamma_max is >= 5x lower than at 0.2 gamma_max
SGD_HIGH_WINDOW = (0.7, 1.0)
SGD_LOW_FRACTION = 0.2
GD_WINDOW_FACTOR = 10.0  # GD test error inside (gamma_EoS, gamma_max) vs its small-gamma value
GD_OVER_SGD_FACTOR = 10.0  # at >= 0.9 of each method's gamma_max
TOP_FRACTION = 0.9
GAIN_RATIO_GD_MIN = 5.0  # mean gain on supp / off supp, GD
GAIN_RATIO_SGD_MAX = 3.0  # same, SGD b = 1
GAIN_SHAPE_WINDOW = (0.5, 1.0)
OSCILLATION_MIN_STEPS = 100  # consecutive non-monotone steps of the GD loss inside the EoS window
SHARPNESS_BAND = (1.95, 2.0)  # S(w_inf) * gamma inside the window
SHARPNESS_ROUNDOFF = 1e-9  # slack on the upper edge 2 for round-off in the eigen-solve
TRANSIENT_STEPS = 10  # below gamma_EoS the loss may increase only during the first steps
EXPLOSION_FACTOR = 2.0  # gain per unit gamma/gamma_max at the top vs at the smallest stepsize: >= this ...
LINEAR_REGIME_FACTOR = 2.0  # ... while up to LINEAR_REGIME_END it stays within this factor (no explosion)
LINEAR_REGIME_END = 0.5
GROWTH_SPEARMAN_MIN = 0.9  # rank correlation of median ||Gain||_1 with gamma, per batch size


def _median(a: NDArray) -> float:
    """Median ignoring NaN (points without a converged run); NaN when nothing is left."""
    a = np.asarray(a, dtype=float)
    return float(np.median(a[~np.isnan(a)])) if np.any(~np.isnan(a)) else float("nan")


def _max(a: NDArray) -> float:
    return float(np.max(a)) if np.size(a) else float("inf")


# ------------------------------------------------------------------------------------------- exact implicit
def exact_implicit_verdict(
    method: NDArray,
    error: Array,
    gain_error: Array,
    gain_score: Array,
    resolved: NDArray[np.bool_],
    required: tuple[str, ...],
) -> Assessment:
    """Per converged run (labelled by ``method``): sup-norm error to the predicted solution, relative gain-identity
    error and its round-off score (<= 1: agreement within float64 resolution; judged on every run). The exact
    prediction is judged on runs whose alpha_inf is resolved in float64; the others are counted and reported."""
    method = np.asarray(method)
    per: dict[str, dict] = {}
    checks: dict[str, bool] = {}
    for m in required:
        sel = method == m
        ok = sel & resolved
        per[m] = {
            "converged_runs": int(sel.sum()),
            "judged_runs": int(ok.sum()),
            "max_sup_error": _max(error[ok]),
            "median_sup_error": _median(error[ok]),
            "max_sup_error_unresolved_runs": _max(error[sel & ~resolved]) if (sel & ~resolved).any() else None,
            "max_gain_identity_error_resolved_runs": _max(gain_error[ok]),
            "max_gain_identity_score": _max(gain_score[sel]),
        }
        share = ok.sum() / max(sel.sum(), 1)
        checks[f"{m}_has_converged_runs"] = bool(sel.any())
        checks[f"{m}_resolvable_share"] = bool(share >= MIN_RESOLVABLE_SHARE)
        checks[f"{m}_exact"] = bool(ok.any()) and _max(error[ok]) <= EXACT_TOL
        checks[f"{m}_gain_identity"] = bool(sel.any()) and _max(gain_score[sel]) <= GAIN_SCORE_MAX
    thresholds = {
        "sup_norm_max": EXACT_TOL,
        "gain_identity_score_max": GAIN_SCORE_MAX,
        "gain_identity_alpha_rtol": GAIN_ALPHA_RTOL,
        "resolvable_share_min": MIN_RESOLVABLE_SHARE,
    }
    return Assessment({"per_method": per}, thresholds, checks)


# ------------------------------------------------------------------------------------------- SGD helped
def help_sgd_verdict(fraction: Array, test: Array, data: NDArray) -> Assessment:
    """SGD (b = 1), converged runs: pooled median test error at gamma/gamma_max in [0.7, 1] vs at 0.2."""
    lo_sel = np.isclose(fraction, SGD_LOW_FRACTION)
    hi_sel = (fraction >= SGD_HIGH_WINDOW[0] - 1e-12) & (fraction <= SGD_HIGH_WINDOW[1] + 1e-12)
    lo, hi = _median(test[lo_sel]), _median(test[hi_sel])
    per_seed = [
        _median(test[hi_sel & (data == s)]) / _median(test[lo_sel & (data == s)])
        for s in np.unique(data)
        if (hi_sel & (data == s)).any() and (lo_sel & (data == s)).any()
    ]
    ratio = lo / hi if hi > 0 else float("inf")
    measured = {
        "median_test_at_0.2": lo,
        "median_test_at_0.7_to_1": hi,
        "improvement_factor": ratio,
        "median_per_seed_ratio_high_over_low": _median(np.asarray(per_seed)),
        "seeds_improved": int(np.sum(np.asarray(per_seed) < 1)),
        "seeds": len(per_seed),
        "runs_low": int(lo_sel.sum()),
        "runs_high": int(hi_sel.sum()),
    }
    checks = {
        "runs_at_both_stepsizes": bool(lo_sel.any() and hi_sel.any()),
        "improvement_at_least_factor": bool(np.isfinite(ratio) and ratio >= SGD_HELP_FACTOR),
    }
    return Assessment(measured, {"improvement_factor_min": SGD_HELP_FACTOR}, checks)


# ------------------------------------------------------------------------------------------- GD hurt
def hurt_gd_verdict(
    gd_fraction: Array,
    gd_test: Array,
    gd_data: NDArray,
    window_test: Array,
    window_data: NDArray,
    sgd_fraction: Array,
    sgd_test: Array,
    seeds: int,
) -> Assessment:
    """GD sweep runs (fraction, test, data seed), GD runs inside (gamma_EoS, gamma_max^GD) and SGD b = 1 runs.

    * no improvement: for every fraction, the median over seeds of test(f) / test(smallest f) is >= 1;
    * window: median over seeds of max_window test / test(smallest f) >= 10;
    * top: median GD test at f >= 0.9 over median SGD test at f >= 0.9 is >= 10.
    """
    fracs = np.unique(gd_fraction)
    f0 = fracs.min() if fracs.size else np.nan
    base = {int(s): _median(gd_test[(gd_data == s) & (gd_fraction == f0)]) for s in np.unique(gd_data)}
    rel = {
        float(f): _median(
            np.array([_median(gd_test[(gd_data == s) & (gd_fraction == f)]) / b for s, b in base.items()])
        )
        for f in fracs
    }
    win = np.array(
        [_max(window_test[window_data == s]) / b for s, b in base.items() if (window_data == s).any()], dtype=float
    )
    gd_top = _median(gd_test[gd_fraction >= TOP_FRACTION - 1e-12])
    sgd_top = _median(sgd_test[sgd_fraction >= TOP_FRACTION - 1e-12])
    top_ratio = gd_top / sgd_top if sgd_top > 0 else float("inf")
    measured = {
        "smallest_fraction": float(f0),
        "median_relative_test_by_fraction": rel,
        "median_window_ratio": _median(win),
        "window_ratio_range": [float(win.min()), float(win.max())] if win.size else [],
        "seeds_with_window": int(win.size),
        "seeds": int(seeds),
        "gd_median_test_top": gd_top,
        "sgd_median_test_top": sgd_top,
        "gd_over_sgd_top": top_ratio,
    }
    checks = {
        "gd_does_not_improve": bool(rel) and all(np.isfinite(v) and v >= 1.0 for v in rel.values()),
        "window_exists_for_most_seeds": bool(win.size >= max(1, (seeds + 1) // 2)),
        "window_error_jump": bool(win.size) and _median(win) >= GD_WINDOW_FACTOR,
        "gd_over_sgd_at_top": bool(np.isfinite(top_ratio) and top_ratio >= GD_OVER_SGD_FACTOR),
    }
    thresholds = {
        "relative_test_min": 1.0,
        "window_ratio_min": GD_WINDOW_FACTOR,
        "gd_over_sgd_min": GD_OVER_SGD_FACTOR,
        "top_fraction": TOP_FRACTION,
    }
    return Assessment(measured, thresholds, checks)


# ------------------------------------------------------------------------------------------- gain shape
def gain_shape_verdict(ratio_gd: Array, ratio_sgd: Array) -> Assessment:
    """Per converged run at gamma/gamma_max in [0.5, 1]: mean gain on supp / off supp; judged on medians."""
    gd, sgd = _median(ratio_gd), _median(ratio_sgd)
    measured = {
        "median_ratio_gd": gd,
        "median_ratio_sgd_b1": sgd,
        "ratio_gd_10_90": np.nanpercentile(ratio_gd, [10, 90]).tolist() if ratio_gd.size else [],
        "ratio_sgd_10_90": np.nanpercentile(ratio_sgd, [10, 90]).tolist() if ratio_sgd.size else [],
        "runs": {"gd": int(ratio_gd.size), "sgd_b1": int(ratio_sgd.size)},
    }
    checks = {
        "gd_gain_on_support": bool(ratio_gd.size) and gd >= GAIN_RATIO_GD_MIN,
        "sgd_gain_spread": bool(ratio_sgd.size) and sgd <= GAIN_RATIO_SGD_MAX,
    }
    thresholds = {
        "gd_ratio_min": GAIN_RATIO_GD_MIN,
        "sgd_ratio_max": GAIN_RATIO_SGD_MAX,
        "fractions": GAIN_SHAPE_WINDOW,
    }
    return Assessment(measured, thresholds, checks)


# ------------------------------------------------------------------------------------------- edge of stability
def longest_oscillation(loss: Array, max_gap: int = 2) -> int:
    """Longest stretch of steps in which the loss increases at least once every ``max_gap`` steps."""
    finite = loss[np.isfinite(loss)]
    inc = np.flatnonzero(np.diff(finite) > 0)
    if inc.size == 0:
        return 0
    breaks = np.flatnonzero(np.diff(inc) > max_gap)
    starts = np.concatenate([[inc[0]], inc[breaks + 1]])
    ends = np.concatenate([inc[breaks], [inc[-1]]])
    return int(np.max(ends - starts + 1))


def late_increases(loss: Array, transient: int = TRANSIENT_STEPS, rel: float = 1e-9) -> int:
    """Increases of the loss after the first ``transient`` steps larger than round-off (``rel`` of the loss)."""
    finite = loss[np.isfinite(loss)]
    d = np.diff(finite)[transient:]
    return int(np.sum(d > rel * finite[transient:-1])) if d.size else 0


def eos_verdict(
    window_loss: Array,
    window_sharpness: Array,
    window_converged: NDArray,
    below_loss: Array,
    below_sharpness: Array,
    window_position: Array | None = None,
) -> Assessment:
    """GD inside (gamma_EoS, gamma_max^GD): dense losses (R, K) oscillate >= 100 steps and gamma S(w_inf) in
    [1.95, 2]; below gamma_EoS: no increase after the transient and gamma S < 2. ``window_position`` (R, 2):
    gamma / gamma_EoS and gamma_max / gamma_EoS of the window runs, only to report the runs that fail."""
    osc = np.array([longest_oscillation(x) for x in window_loss], dtype=float)
    late = np.array([late_increases(x) for x in below_loss], dtype=float)
    lo, hi = SHARPNESS_BAND
    wc = np.asarray(window_converged, dtype=bool)
    measured = {
        "window_runs": int(osc.size),
        "window_converged": int(wc.sum()),
        "min_longest_oscillation": float(osc.min()) if osc.size else float("nan"),
        "median_longest_oscillation": _median(osc),
        "window_sharpness_range": [float(window_sharpness.min()), float(window_sharpness.max())]
        if window_sharpness.size
        else [],
        "window_runs_oscillating": int(np.sum(osc >= OSCILLATION_MIN_STEPS)),
        "non_oscillating_window_runs": [
            {
                "longest_oscillation": float(osc[i]),
                "gamma_sharpness": float(window_sharpness[i]),
                **(
                    {
                        "gamma_over_gamma_eos": float(window_position[i][0]),
                        "gamma_max_over_gamma_eos": float(window_position[i][1]),
                    }
                    if window_position is not None
                    else {}
                ),
            }
            for i in np.flatnonzero(osc < OSCILLATION_MIN_STEPS)
        ],
        "below_runs": int(late.size),
        "below_max_late_increases": float(late.max()) if late.size else float("nan"),
        "below_sharpness_max": float(below_sharpness.max()) if below_sharpness.size else float("nan"),
    }
    checks = {
        "window_runs_exist": bool(osc.size),
        "window_runs_converge": bool(wc.size) and bool(wc.all()),
        "window_oscillates": bool(osc.size) and bool(np.all(osc >= OSCILLATION_MIN_STEPS)),
        "window_sharpness_at_edge": bool(window_sharpness.size)
        and bool(np.all((window_sharpness >= lo) & (window_sharpness <= hi + SHARPNESS_ROUNDOFF))),
        "below_runs_exist": bool(late.size),
        "below_monotone": bool(late.size) and bool(np.all(late == 0)),
        "below_sharpness_stable": bool(below_sharpness.size) and bool(np.all(below_sharpness < 2.0)),
    }
    thresholds = {
        "oscillation_min_steps": OSCILLATION_MIN_STEPS,
        "sharpness_times_gamma_band": list(SHARPNESS_BAND),
        "transient_steps": TRANSIENT_STEPS,
    }
    return Assessment(measured, thresholds, checks)


# ------------------------------------------------------------------------------------------- batch size
def batch_gain_verdict(common: Mapping[int, Array], sweep: Mapping[int, Array], fractions: Array) -> Assessment:
    """Median ||Gain||_1 per batch size: ``common[b]`` (F,) at gamma = f gamma_max(b=1), ``sweep[b]`` (F,) at
    gamma = f gamma_max(b), both over ``fractions`` (F,) ascending.

    * decreases with b at every common stepsize; * increases with gamma for every b (Spearman >= 0.9 of the
      medians against f, tolerating one swap between neighbouring noisy medians near gamma_max);
    * explodes only near gamma_max: ||Gain||_1 / f at the top is >= 2x its value at the smallest f, while up to
      f = 0.5 it stays within 2x (the small-stepsize regime Gain ~ gamma int ||g||^2 is linear in gamma).
    """
    bs = sorted(common)
    dec = {f"{f:g}": bool(np.all(np.diff([common[b][k] for b in bs]) < 0)) for k, f in enumerate(fractions)}
    inc = {str(b): float(stats.spearmanr(fractions, v).statistic) for b, v in sweep.items()}
    per_unit = {b: np.asarray(v) / fractions for b, v in sweep.items()}
    top = {str(b): float(p[-1] / p[0]) for b, p in per_unit.items()}
    mid = {str(b): float(np.max(p[fractions <= LINEAR_REGIME_END] / p[0])) for b, p in per_unit.items()}
    measured = {
        "median_gain_l1_common_gamma": {str(b): np.asarray(common[b]).tolist() for b in bs},
        "median_gain_l1_by_fraction": {str(b): np.asarray(v).tolist() for b, v in sweep.items()},
        "fractions": np.asarray(fractions).tolist(),
        "decreasing_in_b": dec,
        "spearman_gain_vs_gamma": inc,
        "explosion_top_over_small": top,
        "growth_up_to_half": mid,
    }
    finite = all(np.all(np.isfinite(v)) for v in list(common.values()) + list(sweep.values()))
    checks = {
        "all_points_measured": bool(finite),
        "gain_decreases_with_batch_size": bool(dec) and all(dec.values()),
        "gain_grows_with_stepsize": bool(inc) and all(v >= GROWTH_SPEARMAN_MIN for v in inc.values()),
        "explodes_near_gamma_max": bool(top) and all(v >= EXPLOSION_FACTOR for v in top.values()),
        "no_explosion_below_half": bool(mid) and all(v <= LINEAR_REGIME_FACTOR for v in mid.values()),
    }
    thresholds = {
        "spearman_growth_min": GROWTH_SPEARMAN_MIN,
        "explosion_factor_min": EXPLOSION_FACTOR,
        "linear_regime_factor_max": LINEAR_REGIME_FACTOR,
        "linear_regime_end": LINEAR_REGIME_END,
    }
    return Assessment(measured, thresholds, checks)
