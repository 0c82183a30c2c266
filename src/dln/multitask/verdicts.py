"""Pure verdict functions of the multitask claims: arrays in, `Assessment` out (thresholds are constants here).

Relative losses are clipped at ``FLOOR`` before any ratio is taken: the paper's runs stop at train MSE 1e-10
and their curves flatten at 1e-7..1e-9, so no claim is tested below 1e-6 (spec, ambiguity A4).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from dln.multitask.penalties import switch_point
from dln.registry import Assessment

Array = NDArray[np.float64]

FLOOR = 1e-6  # relative losses are clipped here before ratios (paper's curves flatten below)

# penalty_shapes
SLOPE_TOL = 0.02  # |slope - 2| at beta_aux = 1e3 and beta = 1e-2; |slope - 1| of P_MTL at beta_aux = 1e-3, beta = 1e2
FT_SLOPE_MAX = 1.2  # P_FT's slope at beta_aux = 1e-3, beta = 1e2 (1 + O(1/ln(beta/beta_aux)))
SWITCH_FACTOR = 10.0  # the slope crosses 1.5 within this factor of |beta_aux|

# conservation_law
CONSERVATION_TOL = 1e-3  # |order + dependence - 1|
NESTED_LOW, NESTED_HIGH = 1.1, 1.9  # "intermediate" orders: sparse-ish and feature-dependent
FT_NESTED_MIN_DECADES = 3.0
MTL_NESTED_MAX_DECADES = 2.0
COINCIDE_TOL = 0.02  # |order_FT - order_MTL| for beta_aux >= 10


def _decades(x: Array, mask: NDArray[np.bool_]) -> float:
    """Width in decades of the range of x where mask holds (x log-spaced)."""
    if not mask.any():
        return 0.0
    sel = x[mask]
    return float(np.log10(sel.max() / sel.min()))


def penalty_shapes_verdict(r: Mapping[str, Array]) -> Assessment:
    """Slopes 2 and 1 in the two limits, switch near |beta| ~ |beta_aux|, decrease in |beta_aux|."""
    beta, aux = r["beta"], r["aux_magnitudes"]
    i_big, i_small = int(np.argmax(aux)), int(np.argmin(aux))
    measured: dict = {}
    checks: dict[str, bool] = {}
    for name in ("mtl", "ft"):
        slope = r[f"{name}/slope"]
        s_l2 = float(slope[i_big, 0])  # smallest beta, largest beta_aux
        s_l1 = float(slope[i_small, -1])  # largest beta, smallest beta_aux
        mid = [i for i in range(aux.size) if beta[0] < aux[i] < beta[-1]]
        switches = {f"{aux[i]:g}": switch_point(beta, slope[i]) for i in mid}
        measured[name] = {
            "slope_small_beta_large_aux": s_l2,
            "slope_large_beta_small_aux": s_l1,
            "switch_point_by_aux": switches,
        }
        checks[f"{name}_slope_2_when_aux_dominates"] = abs(s_l2 - 2.0) <= SLOPE_TOL
        if name == "mtl":
            checks["mtl_slope_1_when_beta_dominates"] = abs(s_l1 - 1.0) <= SLOPE_TOL
        else:
            tail = slope[i_small, beta >= 10 * aux[i_small]]
            checks["ft_slope_near_1_and_falling_when_beta_dominates"] = bool(
                1.0 <= s_l1 <= FT_SLOPE_MAX and np.all(np.diff(tail) < 0)
            )
        checks[f"{name}_switch_near_beta_aux"] = bool(mid) and all(
            np.isfinite(sp) and 1 / SWITCH_FACTOR <= sp / float(k) <= SWITCH_FACTOR for k, sp in switches.items()
        )
        pva = r[f"{name}/penalty_vs_aux"]
        checks[f"{name}_decreases_in_beta_aux"] = bool(np.all(np.diff(pva, axis=1) < 0))
        measured[name]["max_increase_along_aux"] = float(np.max(np.diff(pva, axis=1)))
    thresholds = {
        "slope_tol": SLOPE_TOL,
        "ft_slope_max_in_l1_limit": FT_SLOPE_MAX,
        "switch_within_factor": SWITCH_FACTOR,
        "switch_definition": "log-log slope crosses 1.5",
    }
    return Assessment(measured, thresholds, checks)


def conservation_law_verdict(r: Mapping[str, Array]) -> Assessment:
    """order + dependence = 1; PT+FT order >= MTL order; wide nested range for PT+FT, narrow for MTL."""
    aux = r["aux_fine"]
    o_m, o_f = r["mtl/order"], r["ft/order"]
    law = {n: float(np.max(np.abs(r[f"{n}/order"] + r[f"{n}/dependence"] - 1.0))) for n in ("mtl", "ft")}
    nested = {n: _decades(aux, (o >= NESTED_LOW) & (o <= NESTED_HIGH)) for n, o in (("mtl", o_m), ("ft", o_f))}
    big = aux >= 10.0
    i2 = int(np.argmin(np.abs(np.log(aux / 1e-2))))
    gap_big = float(np.max(np.abs(o_f - o_m)[big])) if big.any() else float("nan")
    measured = {
        "max_conservation_error": law,
        "min_order_gap_ft_minus_mtl": float(np.min(o_f - o_m)),
        "nested_range_decades": nested,
        "order_at_aux_1e-2": {"mtl": float(o_m[i2]), "ft": float(o_f[i2])},
        "max_gap_for_aux_ge_10": gap_big,
        "finite_difference_vs_closed_form": float(
            max(np.max(np.abs(o_m - r["mtl/order_exact"])), np.max(np.abs(o_f - r["ft/order_exact"])))
        ),
    }
    checks = {
        "conservation_law": max(law.values()) <= CONSERVATION_TOL,
        "ft_order_ge_mtl_order": bool(np.all(o_f >= o_m - CONSERVATION_TOL)),
        "ft_nested_range_wide": nested["ft"] >= FT_NESTED_MIN_DECADES,
        "mtl_nested_range_narrow": nested["mtl"] <= MTL_NESTED_MAX_DECADES,
        "coincide_for_large_aux": bool(big.any()) and gap_big <= COINCIDE_TOL,
    }
    thresholds = {
        "conservation_tol": CONSERVATION_TOL,
        "nested_orders": [NESTED_LOW, NESTED_HIGH],
        "ft_nested_min_decades": FT_NESTED_MIN_DECADES,
        "mtl_nested_max_decades": MTL_NESTED_MAX_DECADES,
        "coincide_tol": COINCIDE_TOL,
    }
    return Assessment(measured, thresholds, checks)


# prediction_matches_training
LOSS_RATIO_TOL = 1.3  # GD and exact relative losses agree within 30 % (issue)
BETA_REL_TOL = 0.05  # max_i |beta_GD - beta_pred| <= 5 % of max_i |beta*_i|
MIN_COMPARED_FRACTION = 0.5  # at least half the sampled configurations lie above FLOOR


def prediction_matches_training_verdict(
    rel_pred: Array, rel_gd: Array, beta_gap: Array, teacher_max: Array, status: NDArray[np.int64]
) -> Assessment:
    """Exact gradient-flow limit vs GD training per configuration (relative losses; beta sup-norm gaps).

    Loss ratios are compared where either relative loss is at least FLOOR (below it GD's stop rule and cap,
    not the implicit bias, decide the value); the beta gap is compared everywhere.
    """
    above = np.maximum(rel_pred, rel_gd) >= FLOOR
    ratio = rel_gd / rel_pred
    worst_ratio = float(np.max(np.maximum(ratio, 1 / ratio)[above])) if above.any() else float("inf")
    beta_rel = beta_gap / teacher_max
    measured = {
        "configurations": int(rel_pred.size),
        "compared_above_floor": int(above.sum()),
        "worst_loss_ratio_above_floor": worst_ratio,
        "median_loss_ratio_above_floor": float(np.median(ratio[above])) if above.any() else float("nan"),
        "max_beta_gap_over_teacher_max": float(np.max(beta_rel)),
        "diverged": int(np.sum(status == 2)),
        "capped": int(np.sum(status == 1)),
    }
    checks = {
        "enough_configurations_above_floor": above.mean() >= MIN_COMPARED_FRACTION,
        "relative_losses_agree": worst_ratio <= LOSS_RATIO_TOL,
        "betas_agree": bool(np.all(beta_rel <= BETA_REL_TOL)),
        "no_divergence": measured["diverged"] == 0,
    }
    thresholds = {
        "loss_ratio_max": LOSS_RATIO_TOL,
        "beta_gap_over_teacher_max": BETA_REL_TOL,
        "floor": FLOOR,
        "min_compared_fraction": MIN_COMPARED_FRACTION,
    }
    return Assessment(measured, thresholds, checks)


# --------------------------------------------------------------------------- learning-curve claims (Fig 2, 3, S9)
PAPER_N = (16, 32, 64, 128, 256, 512)  # position i of the config's doubling n grid stands for PAPER_N[i]

# shared_features_help (Fig 2c, 2e)
IDENTICAL_FACTOR = 100.0  # MTL and PT+FT below STL at paper n in {64, 128}, identical task
PTFT_OVER_MTL_FACTOR = 10.0  # PT+FT below MTL on the identical task at paper n >= 64 (paper: ~50x)
PARTIAL_FACTOR = 10.0  # MTL and PT+FT below STL at paper n = 256 with partial overlap
LP_PTFT_MIN = 0.1  # PT+FT (LP) stays above this when new features are needed
LP_STL_MIN = 0.5  # STL (LP) stays above this at the largest n
# no_overlap_costs (Fig 2a)
NOT_BETTER_FACTOR = 1.0  # MTL and PT+FT relative losses >= STL's / this at paper n in {128, 256}
MONOTONE_SLACK = 2.0  # "loss increases with k": each step in k may drop by at most this factor (seed noise)
K_GROWTH_MIN = 10.0  # loss at the largest k over loss at the smallest k
# nested_feature_selection (Fig 3b, 3c)
MTL_SPARSITY_BENEFIT = 2.0  # MTL loss(k_max) / loss(k_min) at paper n in {32, 64} (paper: ~3x and ~9x)
PTFT_INSENSITIVE_MAX = 2.0  # un-rescaled PT+FT loss(k_max) / loss(k_min) at paper n in {32, 64}
RESCALED_GROWTH_MIN = 1e3  # rescaled PT+FT loss(k_max) / loss(k_min) at paper n = 64 (paper: >= 1e4, no floor)
RESCALED_BEATS_FACTOR = 15.0  # rescaled PT+FT below un-rescaled PT+FT and MTL, k_min, paper n = 32
RESCALING_HURTS_FACTOR = 10.0  # k = k_aux, paper n = 64: rescaled loss over un-rescaled loss
# rescaling_and_new_features (Supp. Fig 9a)
OVERLAP_HELPS_FACTOR = 1.0  # no-overlap loss / overlap loss >= this at every n >= paper 32, every method
NEW_FEATURES_FACTOR = 10.0  # no-overlap loss at paper n = 64: c = 1 over the smallest c (paper: ~90x)


def position(paper_n: int, n_grid: int) -> int:
    """Index in the config's n grid standing for the paper's n."""
    i = PAPER_N.index(paper_n)
    if i >= n_grid:
        raise ValueError(f"the n grid has {n_grid} points; paper n = {paper_n} needs at least {i + 1}")
    return i


def clip(values: Array) -> Array:
    return np.maximum(np.asarray(values, dtype=float), FLOOR)


def relative_curves(single: Mapping[str, Array], mtl: Mapping[str, Array], variant: str) -> dict[str, Array]:
    """Mean over seeds of loss / STL(smallest n), per method, arrays (teachers, n); variant 'min' or 'final'."""
    base = single["stl/final"][:, :, :1]
    names = ["stl"] + [f"ptft_c{i}" for i in range(single["c"].size)] + ["lp_ptft", "lp_stl"]
    out = {m: np.mean(single[f"{m}/{variant}"] / base, axis=0) for m in names}
    out["mtl"] = np.mean(mtl[f"mtl/{variant}"] / base, axis=0)
    return out


def relative_samples(single: Mapping[str, Array], mtl: Mapping[str, Array], variant: str) -> dict[str, Array]:
    """Per-seed relative losses (seeds, teachers, n), for mean +- 2 SEM bands."""
    base = single["stl/final"][:, :, :1]
    names = ["stl"] + [f"ptft_c{i}" for i in range(single["c"].size)] + ["lp_ptft", "lp_stl"]
    out = {m: single[f"{m}/{variant}"] / base for m in names}
    out["mtl"] = mtl[f"mtl/{variant}"] / base
    return out


def split_seed_samples(r: Mapping[str, Array], variant: str) -> dict[str, Array]:
    """Per-seed relative losses of one simulation holding single-task arrays (seeds, teachers, n) and MTL
    arrays on only its first seeds (the nested experiment); each MTL seed uses its own STL baseline."""
    placeholder = {f"mtl/{variant}": r[f"stl/{variant}"]}
    out = relative_samples(r, placeholder, variant)
    s = r[f"mtl/{variant}"].shape[0]
    out["mtl"] = r[f"mtl/{variant}"] / r["stl/final"][:s, :, :1]
    return out


def split_seed_curves(r: Mapping[str, Array], variant: str) -> dict[str, Array]:
    """Means over seeds of `split_seed_samples` (each method over the seeds it was run on)."""
    return {m: np.mean(v, axis=0) for m, v in split_seed_samples(r, variant).items()}


def _ratio(a: Array, b: Array) -> Array:
    return np.asarray(clip(a) / clip(b))


def shared_features_verdict(
    curves: Mapping[str, Array], overlap_rows: NDArray[np.int64], overlaps: NDArray[np.int64], k_aux: int
) -> Assessment:
    """Fig 2c/2e. ``overlap_rows``: teacher rows of the overlap experiment, ``overlaps`` their shared counts."""
    n_grid = curves["stl"].shape[1]
    ident = overlap_rows[overlaps == k_aux]
    partial = overlap_rows[overlaps < k_aux]
    if ident.size != 1 or partial.size < 2:
        raise ValueError("need the identical task and at least two partial overlaps")
    i = int(ident[0])
    stl, mtl, ft = curves["stl"], curves["mtl"], curves["ptft_c0"]
    pos_ident = [position(64, n_grid), position(128, n_grid)]
    gain_ident = {
        "mtl": [float(v) for v in _ratio(stl[i, pos_ident], mtl[i, pos_ident])],
        "ptft": [float(v) for v in _ratio(stl[i, pos_ident], ft[i, pos_ident])],
    }
    later = np.arange(position(64, n_grid), n_grid)
    resolvable = later[mtl[i, later] >= 10 * FLOOR]
    ft_vs_mtl = [float(v) for v in _ratio(mtl[i, resolvable], ft[i, resolvable])]
    p = position(256, n_grid)
    order = np.argsort(overlaps[overlaps < k_aux])
    rows = partial[order]
    gain_partial = {m: [float(v) for v in _ratio(stl[rows, p], c[rows, p])] for m, c in (("mtl", mtl), ("ptft", ft))}
    lp_ptft_min = float(np.min(curves["lp_ptft"][partial]))
    lp_stl_last = float(np.min(curves["lp_stl"][overlap_rows, -1]))
    measured = {
        "identical_gain_over_stl_at_paper_n_64_128": gain_ident,
        "identical_mtl_over_ptft_where_resolvable": ft_vs_mtl,
        "partial_overlaps": [int(o) for o in np.sort(overlaps[overlaps < k_aux])],
        "partial_gain_over_stl_at_paper_n_256": gain_partial,
        "lp_ptft_min_relative_loss_partial": lp_ptft_min,
        "lp_stl_min_relative_loss_at_largest_n": lp_stl_last,
    }
    checks = {
        "identical_mtl_beats_stl": min(gain_ident["mtl"]) >= IDENTICAL_FACTOR,
        "identical_ptft_beats_stl": min(gain_ident["ptft"]) >= IDENTICAL_FACTOR,
        "identical_ptft_beats_mtl": bool(ft_vs_mtl) and min(ft_vs_mtl) >= PTFT_OVER_MTL_FACTOR,
        "partial_mtl_beats_stl": min(gain_partial["mtl"]) >= PARTIAL_FACTOR,
        "partial_ptft_beats_stl": min(gain_partial["ptft"]) >= PARTIAL_FACTOR,
        "partial_gain_increases_with_overlap": all(bool(np.all(np.diff(g) > 0)) for g in gain_partial.values()),
        "lp_ptft_fails_on_new_features": lp_ptft_min > LP_PTFT_MIN,
        "lp_stl_never_learns": lp_stl_last > LP_STL_MIN,
    }
    thresholds = {
        "identical_factor": IDENTICAL_FACTOR,
        "ptft_over_mtl_factor": PTFT_OVER_MTL_FACTOR,
        "partial_factor": PARTIAL_FACTOR,
        "lp_ptft_min": LP_PTFT_MIN,
        "lp_stl_min": LP_STL_MIN,
        "floor": FLOOR,
    }
    return Assessment(measured, thresholds, checks)


def _grows_with_k(values: Array) -> tuple[bool, float]:
    """(monotone up to MONOTONE_SLACK, overall growth) of clipped losses ordered by k."""
    v = clip(values)
    return bool(np.all(v[1:] * MONOTONE_SLACK >= v[:-1])), float(v[-1] / v[0])


def no_overlap_verdict(curves: Mapping[str, Array], rows_by_k: NDArray[np.int64]) -> Assessment:
    """Fig 2a. ``rows_by_k``: teacher rows of the disjoint-support sparse teachers, in increasing k."""
    n_grid = curves["stl"].shape[1]
    pos = [position(128, n_grid), position(256, n_grid)]
    measured: dict = {"worse_than_stl_factor": {}, "growth_with_k": {}}
    checks: dict[str, bool] = {}
    for m in ("mtl", "ptft_c0"):
        ratio = _ratio(curves[m][rows_by_k][:, pos], curves["stl"][rows_by_k][:, pos])
        measured["worse_than_stl_factor"][m] = ratio.tolist()
        checks[f"{m}_does_not_beat_stl"] = bool(np.all(ratio >= NOT_BETTER_FACTOR))
    for m in ("stl", "mtl", "ptft_c0"):
        res = [_grows_with_k(curves[m][rows_by_k, p]) for p in pos]
        measured["growth_with_k"][m] = [g for _, g in res]
        checks[f"{m}_loss_grows_with_k"] = all(ok and g >= K_GROWTH_MIN for ok, g in res)
    thresholds = {
        "not_better_factor": NOT_BETTER_FACTOR,
        "monotone_slack": MONOTONE_SLACK,
        "k_growth_min": K_GROWTH_MIN,
        "paper_n": [128, 256],
        "floor": FLOOR,
    }
    return Assessment(measured, thresholds, checks)


def nested_verdict(curves: Mapping[str, Array], rows_by_k: NDArray[np.int64], c: Array) -> Assessment:
    """Fig 3b/3c. ``rows_by_k``: sparse teachers inside the aux support, increasing k; ``c`` the rescalings."""
    n_grid = curves["stl"].shape[1]
    p32, p64 = position(32, n_grid), position(64, n_grid)
    lo, hi = int(rows_by_k[0]), int(rows_by_k[-1])
    rescaled = [f"ptft_c{i}" for i in range(c.size) if c[i] <= 0.1]
    mtl_benefit = [float(_ratio(curves["mtl"][hi, p], curves["mtl"][lo, p])) for p in (p32, p64)]
    ft_growth = [float(_ratio(curves["ptft_c0"][hi, p], curves["ptft_c0"][lo, p])) for p in (p32, p64)]
    label = {f"ptft_c{i}": f"c={c[i]:g}" for i in range(c.size)}
    resc_growth = {label[m]: float(_ratio(curves[m][hi, p64], curves[m][lo, p64])) for m in rescaled}
    beats = {
        label[m]: {
            "over_ptft_c=1": float(_ratio(curves["ptft_c0"][lo, p32], curves[m][lo, p32])),
            "over_mtl": float(_ratio(curves["mtl"][lo, p32], curves[m][lo, p32])),
        }
        for m in rescaled
    }
    hurts = {label[m]: float(_ratio(curves[m][hi, p64], curves["ptft_c0"][hi, p64])) for m in rescaled}
    measured = {
        "mtl_kmax_over_kmin_at_paper_n_32_64": mtl_benefit,
        "ptft_c=1_kmax_over_kmin_at_paper_n_32_64": ft_growth,
        "rescaled_kmax_over_kmin_at_paper_n_64": resc_growth,
        "rescaled_gain_at_kmin_paper_n_32": beats,
        "rescaled_over_c=1_at_kmax_paper_n_64": hurts,
        "rescalings": [float(x) for x in c],
    }
    checks = {
        "mtl_benefits_from_sparsity": min(mtl_benefit) >= MTL_SPARSITY_BENEFIT,
        "ptft_c1_nearly_insensitive": max(ft_growth) <= PTFT_INSENSITIVE_MAX,
        "rescaled_selects_sparse_subset": bool(rescaled) and min(resc_growth.values()) >= RESCALED_GROWTH_MIN,
        "rescaled_beats_both_at_kmin": bool(rescaled)
        and all(min(b.values()) >= RESCALED_BEATS_FACTOR for b in beats.values()),
        "rescaling_hurts_at_kmax": bool(rescaled) and min(hurts.values()) >= RESCALING_HURTS_FACTOR,
    }
    thresholds = {
        "mtl_sparsity_benefit": MTL_SPARSITY_BENEFIT,
        "ptft_insensitive_max": PTFT_INSENSITIVE_MAX,
        "rescaled_growth_min": RESCALED_GROWTH_MIN,
        "rescaled_beats_factor": RESCALED_BEATS_FACTOR,
        "rescaling_hurts_factor": RESCALING_HURTS_FACTOR,
        "floor": FLOOR,
    }
    return Assessment(measured, thresholds, checks)


def rescaling_verdict(curves: Mapping[str, Array], row_yes: int, row_no: int, c: Array) -> Assessment:
    """Supp. Fig 9a at k_min: overlap helps every method; small c learns new features sooner; the overlap
    benefit shrinks with c at paper n >= 64 (non-increasing as c decreases, strictly from c = 1 to the smallest
    c), wherever the c = 1 no-overlap loss is resolvable (>= 10 FLOOR)."""
    n_grid = curves["stl"].shape[1]
    p32, p64 = position(32, n_grid), position(64, n_grid)
    methods = ["mtl"] + [f"ptft_c{i}" for i in range(c.size)]
    cols = np.arange(p32, n_grid)
    helps = {m: _ratio(curves[m][row_no, cols], curves[m][row_yes, cols]).tolist() for m in methods}
    ft = [f"ptft_c{i}" for i in np.argsort(-c)]  # c decreasing
    new_gain = float(_ratio(curves[ft[0]][row_no, p64], curves[ft[-1]][row_no, p64]))
    later = np.arange(p64, n_grid)
    benefit = {m: _ratio(curves[m][row_no, later], curves[m][row_yes, later]) for m in ft}
    resolvable = [j for j in range(later.size) if curves[ft[0]][row_no, later[j]] >= 10 * FLOOR]
    shrinks = bool(resolvable) and all(
        all(benefit[ft[a + 1]][j] <= benefit[ft[a]][j] for a in range(len(ft) - 1))
        and benefit[ft[-1]][j] < benefit[ft[0]][j]
        for j in resolvable
    )
    measured = {
        "no_overlap_over_overlap_from_paper_n_32": helps,
        "new_feature_gain_c1_over_cmin_at_paper_n_64": new_gain,
        "overlap_benefit_from_paper_n_64_by_c": {f"c={c[int(m[6:])]:g}": benefit[m].tolist() for m in ft},
        "benefit_compared_at_positions": [int(later[j]) for j in resolvable],
    }
    checks = {
        "overlap_helps_every_method": all(min(v) >= OVERLAP_HELPS_FACTOR for v in helps.values()),
        "smaller_c_learns_new_features_sooner": new_gain >= NEW_FEATURES_FACTOR,
        "overlap_benefit_shrinks_with_c": shrinks,
    }
    thresholds = {
        "overlap_helps_factor": OVERLAP_HELPS_FACTOR,
        "new_features_factor": NEW_FEATURES_FACTOR,
        "benefit_compared_where_c1_no_overlap_loss_above": 10 * FLOOR,
        "floor": FLOOR,
    }
    return Assessment(measured, thresholds, checks)
