"""Claims of the implicit-bias family (Pesme, Pillaud-Vivien, Flammarion 2021): thresholds, assessments, registry.

Every number a verdict of this family is held to is in `Thresholds` below; statements quote them by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from dln import checks as C
from dln.contract import Assessment, Claim, Family, Null, Paper, Results, Spec, claim_table, from_paper
from dln.implicit_bias.simulations import SIMULATIONS
from dln.interpolation import alpha_from_loss_integral, effective_alpha, interpolator, predicted_solution
from dln.layout import View
from dln.status import Status

PAPER = Paper(
    "Pesme, Pillaud-Vivien, Flammarion",
    2021,
    "Implicit bias of SGD for diagonal linear networks: a provable benefit of stochasticity",
    "NeurIPS",
    "https://arxiv.org/abs/2106.09524",
)


@dataclass(frozen=True)
class Thresholds:
    """Floors from the paper's claims and tolerances of our solvers (never tuned to the data)."""

    formula_tol: float = 1e-2  # sup-norm, SGF beta vs the interpolator with paper A's loss-integral alpha_inf
    gd_from_alpha_inf_tol: float = 1e-2  # sup-norm, GD from alpha_inf vs the SGD solution, median over seeds
    shrink_formula_factor: float = 2.0  # SGD's log(alpha_inf/alpha) over the formula's, in [1/f, f] on every seed
    restart_gap_fraction_max: float = 0.5  # median over seeds of the GD-SGD gap fraction the restart leaves
    sgf_sgd_factor: float = 1.5  # SGF models SGD: median per-seed SGF/SGD test-error ratio within [1/f, f]
    spearman_alpha_max: float = -0.9  # alpha_inf / alpha against gamma * int L, over runs
    spearman_test_max: float = -0.5  # test error against gamma * int L, per data seed (median over seeds)


T = Thresholds()


# ----------------------------------------------------------------------------------------------- sgd_beats_gd
def _converged(runs: View) -> NDArray[np.bool_]:
    return np.asarray(runs.status == Status.CONVERGED)


def final_test_errors(runs: View) -> NDArray:
    """Final test error of every run of one method, NaN where the run did not converge."""
    return np.where(_converged(runs), runs.test_trace[:, -1], np.nan)


def assess_sgd_beats_gd(results: Results, specs: Mapping[str, Spec]) -> Assessment:
    r = results["sgd_vs_gd"]
    return compare_final_errors({m: final_test_errors(r[m]) for m in ("gd", "sgd", "sgf")})


def _paired(num: NDArray, den: NDArray) -> NDArray:
    """Per data seed ratio num / den where both runs converged (runs i of both methods share data seed i)."""
    ok = np.isfinite(num) & np.isfinite(den)
    return np.asarray(num[ok] / den[ok])


def _median_or_nan(a: NDArray) -> float:
    return float(np.median(a)) if a.size else float("nan")


def compare_final_errors(tests: Mapping[str, NDArray]) -> Assessment:
    """Per data seed (the three methods share their data): SGD and SGF below GD (median ratio < 1; SGF on every
    seed, the theorem's 'always'), and SGF models SGD (median SGF/SGD ratio near 1). ``tests[m]``: final test
    error per data seed, NaN where the run did not converge."""
    n_runs = int(tests["gd"].size)
    need = max(3, n_runs // 2)
    counts = {m: int(np.sum(np.isfinite(v))) for m, v in tests.items()}
    sgd_gd, sgf_gd, sgf_sgd = (_paired(tests[a], tests[b]) for a, b in (("sgd", "gd"), ("sgf", "gd"), ("sgf", "sgd")))
    med = {m: float(np.nanmedian(v)) if counts[m] else float("nan") for m, v in tests.items()}
    conv = {m: v[np.isfinite(v)] for m, v in tests.items()}
    ks = stats.ks_2samp(conv["sgd"], conv["sgf"]) if min(counts.values()) >= need else None
    f = T.sgf_sgd_factor
    checks = [
        C.at_least("most_runs_converged", min(counts.values()), need),
        C.below("sgd_median_below_gd", _median_or_nan(sgd_gd), 1.0),
        C.below("sgf_median_below_gd", _median_or_nan(sgf_gd), 1.0),
        C.each_below("sgf_below_gd_every_seed", sgf_gd, 1.0),
        C.within("sgf_matches_sgd_paired", _median_or_nan(sgf_sgd), 1.0 / f, f),
    ]
    measured = {
        "median_test_error": med,
        "converged_runs": counts,
        "runs": n_runs,
        "per_seed_ratio_sgd_over_gd": sgd_gd.tolist(),
        "per_seed_ratio_sgf_over_gd": sgf_gd.tolist(),
        "per_seed_ratio_sgf_over_sgd": sgf_sgd.tolist(),
        "ratio_gd_over_sgd": med["gd"] / med["sgd"],
        "ratio_gd_over_sgf": med["gd"] / med["sgf"],
        "ks_pvalue_sgd_vs_sgf": float(ks.pvalue) if ks is not None else float("nan"),
    }
    notes = (
        "Runs of the three methods share their data seed, so every comparison is paired per seed. The unpaired KS "
        "test of earlier versions (reported, not checked) accepted an SGF twice better than SGD on every seed; the "
        "SGF-SGD agreement is now checked on the paired per-seed ratios."
    )
    return Assessment(checks, measured, notes)


# ------------------------------------------------------------------------------------ effective_initialisation
def implicit_errors(r: View, method: str) -> dict[str, NDArray]:
    """Per converged run: sup-norm gap to the exact prediction and to paper A's loss-integral prediction, and the
    median over coordinates of the measured shrinkage log(alpha_inf / alpha) over the formula's."""
    runs = r[method]
    ok = np.flatnonzero(_converged(runs))
    X, y = r.X, r.y
    exact, formula, shrink = [], [], []
    alpha, gamma = float(r.alpha), float(r.stepsize)
    for i in ok:  # runs train on data set i (rows = data seeds)
        beta = runs.u[i] * runs.v[i]
        pred = predicted_solution(X[i], y[i], runs.u[i], runs.v[i], runs.increment_sum[i])
        exact.append(np.max(np.abs(pred - beta)))
        a_formula = alpha_from_loss_integral(alpha, gamma, X[i], float(runs.loss_integral[i]))
        formula.append(np.max(np.abs(interpolator(X[i], y[i], a_formula) - beta)))
        measured = np.log(effective_alpha(runs.u[i], runs.v[i]) / alpha)
        shrink.append(np.median(measured / np.log(a_formula / alpha)))
    return {"exact": np.asarray(exact), "formula": np.asarray(formula), "shrink": np.asarray(shrink)}


def assess_effective_initialisation(results: Results, specs: Mapping[str, Spec]) -> Assessment:
    r = results["sgd_vs_gd"]
    errs = {m: implicit_errors(r, m) for m in ("gd", "sgd", "sgf")}
    both = _converged(r.sgd) & _converged(r.gd_from_alpha_inf) & _converged(r.gd)
    beta = {m: r[m].u * r[m].v for m in ("sgd", "gd", "gd_from_alpha_inf")}
    gap_inf = np.max(np.abs(beta["gd_from_alpha_inf"] - beta["sgd"]), axis=1)[both]
    gap_alpha = np.max(np.abs(beta["gd"] - beta["sgd"]), axis=1)[both]
    return effective_initialisation_verdict(errs, gap_inf, gap_alpha, n_runs=int(r.sgd.status.size))


def _worst(a: NDArray) -> float:
    return float(np.max(a)) if a.size else float("inf")


def _median(a: NDArray) -> float:
    return float(np.median(a)) if a.size else float("nan")


def effective_initialisation_verdict(
    errs: Mapping[str, Mapping[str, NDArray]], gap_inf: NDArray, gap_alpha: NDArray, n_runs: int
) -> Assessment:
    """The stochastic effect and its prediction: SGD's effective initialisation alpha_inf is smaller than alpha by
    what paper A's loss-integral formula predicts (on every seed, within a factor); the formula's alpha_inf gives
    the SGF solution; GD restarted from SGD's alpha_inf lands on the SGD solution and closes most of the GD-SGD
    gap. The exact identity (the trained beta is argmin D_{psi_alpha_inf}(., beta~0) with alpha_inf and beta~0
    read off the final weights) is reported, not checked: it is an algebraic identity of any converged run's
    (u, v, sum of increments), GD's included, so it cannot tell SGD's world from any other."""
    ratio = gap_inf / np.maximum(gap_alpha, 1e-300)
    f = T.shrink_formula_factor
    counts = {m: int(e["exact"].size) for m, e in errs.items() if m != "gd"} | {"gd_pairs": int(gap_inf.size)}
    checks = [
        C.at_least("all_runs_converged", min(counts.values()), n_runs),
        C.each_within("sgd_shrinkage_matches_formula", errs["sgd"]["shrink"], 1.0 / f, f),
        C.at_most("loss_integral_formula_sgf", _worst(errs["sgf"]["formula"]), T.formula_tol),
        C.at_most("gd_from_alpha_inf_lands_on_sgd", _median(gap_inf), T.gd_from_alpha_inf_tol),
        C.at_most("restart_closes_the_gap", _median(ratio), T.restart_gap_fraction_max),
    ]
    measured = {
        "max_exact_error": {m: _worst(e["exact"]) for m, e in errs.items()},
        "max_formula_error": {m: _worst(e["formula"]) for m, e in errs.items()},
        "median_formula_error": {m: _median(e["formula"]) for m, e in errs.items()},
        "shrinkage_measured_over_formula": {m: e["shrink"].tolist() for m, e in errs.items()},
        "max_gap_gd_from_alpha_inf_to_sgd": _worst(gap_inf),
        "median_gap_gd_from_alpha_inf_to_sgd": _median(gap_inf),
        "gap_fraction_left_per_seed": ratio.tolist(),
        "median_gap_gd_from_alpha_to_sgd": _median(gap_alpha),
        "max_gap_ratio_alpha_inf_over_alpha": _worst(ratio),
        "converged_runs": counts,
        "runs": n_runs,
    }
    notes = (
        "The exact identity beta = argmin D_{psi_alpha_inf}(., beta~0) is reported (max_exact_error), not checked: "
        "with alpha_inf and beta~0 read off the final weights it holds for ANY converged run's (u, v, Z) (GD's too, "
        "and weights rebalanced at alpha: a null model built that way was accepted), so it validates our solver, "
        "not the claim (the stepsizes family's exact_implicit_problem states it as Even et al.'s theorem). The "
        "claim is decided by the shrinkage (SGD's log alpha_inf/alpha against paper A's formula, per seed; GD's "
        "shrinkage is ~1 % of the formula's), by the formula's SGF solution and by the restart from alpha_inf. "
        "Paper A's formula is a small-step (SGF) result: its solution is checked on SGF, its shrinkage on SGD "
        "within a factor. The restart is judged on medians over data seeds (the max is reported): where GD from "
        "alpha already lands within a few 1e-3 of SGD, the remaining O(beta~0) difference makes per-seed ratios "
        "noise (seen at 1 of 40 runs over 5 root seeds)."
    )
    return Assessment(checks, measured, notes)


# ------------------------------------------------------------------------------------------ slower_is_sparser
def sweep_points(r: View) -> dict[str, NDArray]:
    """Per (spread, stepsize) point: mean gamma * int L, mean alpha_inf / alpha, median test error."""
    alpha = float(r.alpha)
    rows: dict[str, list] = {
        "spread": [],
        "stepsize": [],
        "gamma_int_loss": [],
        "alpha_ratio": [],
        "test_error": [],
        "converged": [],
        "diverged": [],
    }
    for k, block in r.spread.items():
        ok = block.status == Status.CONVERGED
        ratio = np.mean(effective_alpha(block.u, block.v), axis=1) / alpha
        gil = block.stepsize * block.loss_integral
        test = block.test_trace[:, -1]
        for g in r.stepsizes:
            at = block.stepsize == g
            sel = ok & at
            rows["spread"].append(float(r.row_spreads[k]))
            rows["stepsize"].append(float(g))
            rows["converged"].append(int(sel.sum()))
            rows["diverged"].append(int(np.sum(at & (block.status == Status.DIVERGED))))
            rows["gamma_int_loss"].append(float(np.mean(gil[sel])) if sel.any() else np.nan)
            rows["alpha_ratio"].append(float(np.mean(ratio[sel])) if sel.any() else np.nan)
            rows["test_error"].append(float(np.median(test[sel])) if sel.any() else np.nan)
    return {k: np.asarray(v) for k, v in rows.items()}


def run_points(r: View) -> dict[str, NDArray]:
    """Per converged run: data seed (within its spread), spread, gamma * int L, mean alpha_inf / alpha, test error."""
    alpha = float(r.alpha)
    cols: dict[str, list[NDArray]] = {k: [] for k in ("seed", "spread", "gamma_int_loss", "alpha_ratio", "test")}
    for k, block in r.spread.items():
        ok = block.status == Status.CONVERGED
        cols["seed"].append(block.data_index[ok])
        cols["spread"].append(np.full(int(ok.sum()), float(r.row_spreads[k])))
        cols["gamma_int_loss"].append((block.stepsize * block.loss_integral)[ok])
        cols["alpha_ratio"].append(np.mean(effective_alpha(block.u, block.v), axis=1)[ok] / alpha)
        cols["test"].append(block.test_trace[:, -1][ok])
    return {k: np.concatenate(v) if v else np.zeros(0) for k, v in cols.items()}


def assess_slower_is_sparser(results: Results, specs: Mapping[str, Spec]) -> Assessment:
    r = results["stepsize_sweep"]
    return slower_is_sparser_verdict(sweep_points(r), run_points(r))


def _spearman(x: NDArray, y: NDArray) -> float:
    return float(stats.spearmanr(x, y).statistic) if x.size >= 3 else float("nan")


def slower_is_sparser_verdict(pts: Mapping[str, NDArray], runs: Mapping[str, NDArray]) -> Assessment:
    """alpha_inf/alpha decreases monotonically in gamma int L: the seed-averaged points within each data scaling,
    and run by run over every converged run (Spearman); the test error decreases with gamma int L within each data
    seed (the seed's stepsizes and scalings; median over seeds of the Spearman correlation)."""
    valid = np.isfinite(pts["gamma_int_loss"])
    x, a = pts["gamma_int_loss"][valid], pts["alpha_ratio"][valid]
    monotone = {}
    for spread in np.unique(pts["spread"][valid]):
        sel = pts["spread"][valid] == spread
        order = np.argsort(x[sel])
        monotone[f"spread={spread:g}"] = bool(np.all(np.diff(a[sel][order]) < 0))
    rho_runs = _spearman(runs["gamma_int_loss"], runs["alpha_ratio"])
    per_seed = {
        int(s): _spearman(runs["gamma_int_loss"][runs["seed"] == s], runs["test"][runs["seed"] == s])
        for s in np.unique(runs["seed"])
    }
    rho_test = _median_or_nan(np.asarray([v for v in per_seed.values() if np.isfinite(v)]))
    checks = [
        C.at_least("all_points_have_converged_runs", int(valid.sum()), int(valid.size)),
        C.true(
            "alpha_ratio_monotone_within_each_scaling",
            bool(monotone) and all(monotone.values()),
            monotone,
            "strictly decreasing within each row-scale spread",
        ),
        C.at_most("alpha_ratio_decreases_overall", rho_runs, T.spearman_alpha_max),
        C.at_most("test_error_decreases", rho_test, T.spearman_test_max),
    ]
    t = pts["test_error"][valid]
    measured = {
        "spearman_alpha_ratio_vs_gamma_int_loss_over_runs": rho_runs,
        "spearman_alpha_ratio_vs_gamma_int_loss_over_points": _spearman(x, a),
        "spearman_test_error_per_seed": per_seed,
        "runs": int(runs["seed"].size),
        "monotone": monotone,
        "gamma_int_loss_range": [float(x.min()), float(x.max())] if x.size else [],
        "alpha_ratio_range": [float(a.min()), float(a.max())] if a.size else [],
        "test_error_at_min_and_max_gamma_int_loss": [float(t[np.argmin(x)]), float(t[np.argmax(x)])] if x.size else [],
        "points": {k: v.tolist() for k, v in pts.items()},
    }
    notes = (
        "Decided run by run and per data seed rather than on a handful of pooled seed-averaged points (whose "
        "Spearman correlation over 6-10 points was fragile across root seeds); the per-point means are reported."
    )
    return Assessment(checks, measured, notes)


# ----------------------------------------------------------------------------------------------- null models
# Each null removes one claimed effect from the claim's own arrays (same keys, shapes and dtypes); the verdict
# must reject it through the targeted checks (`dln.verdict.falsify`, results/falsification.md).
def null_sgd_like_gd(results: Results, specs: Mapping[str, Spec]) -> dict:
    """SGD generalises exactly as GD does: SGD's test errors replaced by GD's, seed by seed."""
    r = results["sgd_vs_gd"]
    return {"sgd_vs_gd": {r.sgd.key("test_trace"): r.gd.test_trace}}


def _sgf_trace_ending_at(r: View, final: NDArray) -> NDArray:
    """SGF's test-error traces rescaled per seed so that each ends at ``final`` (SGF keeps its own record grid,
    which may differ in length from GD's and SGD's)."""
    trace = r.sgf.test_trace
    return np.asarray(trace * (final / trace[:, -1])[:, None])


def null_sgf_like_gd(results: Results, specs: Mapping[str, Spec]) -> dict:
    """The SDE has no benefit: SGF ends at GD's test error, seed by seed."""
    r = results["sgd_vs_gd"]
    return {"sgd_vs_gd": {r.sgf.key("test_trace"): _sgf_trace_ending_at(r, r.gd.test_trace[:, -1])}}


def null_sgf_twice_better(results: Results, specs: Mapping[str, Spec]) -> dict:
    """SGF does not model SGD: it ends at half of SGD's test error on every seed (same spread across seeds)."""
    r = results["sgd_vs_gd"]
    return {"sgd_vs_gd": {r.sgf.key("test_trace"): _sgf_trace_ending_at(r, 0.5 * r.sgd.test_trace[:, -1])}}


def null_no_stochastic_shrinkage(results: Results, specs: Mapping[str, Spec]) -> dict:
    """SGD's final weights are GD's: no effective initialisation below alpha beyond GD's own."""
    r = results["sgd_vs_gd"]
    return {"sgd_vs_gd": {r.sgd.key(k): r.gd[k] for k in ("u", "v", "increment_sum")}}


def null_formula_in_other_convention(results: Results, specs: Mapping[str, Spec]) -> dict:
    """Paper A's formula read with the loss off by the factor 2 between the papers' conventions (L_A = L_B / 2):
    SGF's loss integral doubled, the solution unchanged."""
    r = results["sgd_vs_gd"]
    return {"sgd_vs_gd": {r.sgf.key("loss_integral"): 2.0 * r.sgf.loss_integral}}


def null_restart_from_alpha(results: Results, specs: Mapping[str, Spec]) -> dict:
    """Restarting GD from alpha_inf does not reproduce SGD: the restart's weights are GD's from alpha."""
    r = results["sgd_vs_gd"]
    return {"sgd_vs_gd": {r.gd_from_alpha_inf.key(k): r.gd[k] for k in ("u", "v")}}


def _rolled_within_blocks(r: View, field: str) -> dict:
    """``field`` of every run of each spread block moved to the run half the block away (a fixed derangement)."""
    return {block.key(field): np.roll(block[field], block[field].shape[0] // 2, axis=0) for block in r.spread.values()}


def null_alpha_unrelated_to_speed(results: Results, specs: Mapping[str, Spec]) -> dict:
    """The effective initialisation does not follow the loss integral: each run's loss integral moved to another
    run of its block."""
    return {"stepsize_sweep": _rolled_within_blocks(results["stepsize_sweep"], "loss_integral")}


def null_test_error_unrelated_to_speed(results: Results, specs: Mapping[str, Spec]) -> dict:
    """Sparser effective initialisations do not generalise better: within each data seed, the test-error traces
    of its stepsizes in reverse order."""
    r = results["stepsize_sweep"]
    out = {}
    G = int(r.stepsizes.size)
    for block in r.spread.values():
        S = block.test_trace.shape[0] // G
        order = np.arange(G * S).reshape(G, S)[::-1].ravel()  # runs are stepsize-major: run = g * S + seed
        out[block.key("test_trace")] = block.test_trace[order]
    return {"stepsize_sweep": out}


# ----------------------------------------------------------------------------------------------- registry
def check_config(section: Mapping[str, object]) -> list[str]:
    """Cross-key constraints: an overparametrised problem (d > n) with s <= d non-zeros."""
    common = section.get("common", {})
    assert isinstance(common, Mapping)
    n, d, s = common.get("n"), common.get("d"), common.get("s")
    problems = []
    if n is not None and d is not None and not d > n:  # type: ignore[operator]
        problems.append(f"common.d={d} must exceed common.n={n} (the problem must be overparametrised, d > n)")
    if s is not None and d is not None and not s <= d:  # type: ignore[operator]
        problems.append(f"common.s={s} must not exceed common.d={d} (beta* has s non-zeros among d coordinates)")
    return problems


FIGURES_RECALLED = "recalled, not checked against the PDF"

FAMILY = Family(
    name="implicit_bias",
    title="Implicit bias of SGD: a provable benefit of stochasticity",
    paper=PAPER,
    thresholds=T,
    simulations=SIMULATIONS,
    check_config=check_config,
    claims=claim_table(
        Claim(
            "sgd_beats_gd",
            "At equal alpha and gamma, per data seed, SGD and the SGF SDE end with a lower test error than GD (median "
            "ratio below 1; SGF on every seed), and SGF models SGD (median SGF/SGD ratio within a factor "
            "{sgf_sgd_factor:g}).",
            from_paper(
                "abstract ('a provable benefit of stochasticity') and Fig. 1 (train loss and test error of GD, SGD "
                "and SGF)",
                f"the abstract was read; the figure panel is {FIGURES_RECALLED}",
            ),
            ("sgd_vs_gd",),
            assess_sgd_beats_gd,
            nulls=(
                Null("sgd_like_gd", "SGD's benefit over GD", null_sgd_like_gd, ("sgd_median_below_gd",)),
                Null(
                    "sgf_like_gd",
                    "SGF's benefit over GD",
                    null_sgf_like_gd,
                    ("sgf_median_below_gd", "sgf_below_gd_every_seed"),
                ),
                Null("sgf_twice_better", "SGF models SGD", null_sgf_twice_better, ("sgf_matches_sgd_paired",)),
            ),
        ),
        Claim(
            "effective_initialisation",
            "SGD's solution is the gradient-flow solution of a smaller, effective initialisation: alpha_inf < alpha "
            "by the amount paper A's loss-integral formula predicts (within a factor {shrink_formula_factor:g} on "
            "every seed); the formula's alpha_inf gives the SGF solution within {formula_tol:g}; GD started from "
            "alpha_inf lands on the SGD solution (median sup-norm gap over seeds <= {gd_from_alpha_inf_tol:g}), "
            "leaving at most {restart_gap_fraction_max:.0%} of the GD-SGD gap (median over seeds).",
            from_paper(
                "main theorem (SGF converges to the interpolator of the potential with alpha_inf < alpha) and Fig. 2 "
                "(GD from alpha_inf)",
                "the theorem is known through its restatement by Lyu et al.; the figure is "
                f"{FIGURES_RECALLED}; the exact discrete identity with beta~0 used for SGD is Even et al. 2023's "
                "characterisation, re-derived and checked in this project",
            ),
            ("sgd_vs_gd",),
            assess_effective_initialisation,
            nulls=(
                Null(
                    "no_stochastic_shrinkage",
                    "alpha_inf < alpha for SGD, by the formula's amount",
                    null_no_stochastic_shrinkage,
                    ("sgd_shrinkage_matches_formula",),
                ),
                Null(
                    "formula_in_other_convention",
                    "the loss-integral formula gives the SGF solution",
                    null_formula_in_other_convention,
                    ("loss_integral_formula_sgf",),
                ),
                Null(
                    "restart_from_alpha",
                    "GD from alpha_inf lands on the SGD solution",
                    null_restart_from_alpha,
                    ("gd_from_alpha_inf_lands_on_sgd", "restart_closes_the_gap"),
                ),
            ),
        ),
        Claim(
            "slower_is_sparser",
            "Across stepsizes and a data rescaling that slows convergence, alpha_inf/alpha decreases monotonically "
            "with gamma * int L (within each scaling; over all runs Spearman <= {spearman_alpha_max:g}), and the test "
            "error decreases with it (median over data seeds of the Spearman correlation <= {spearman_test_max:g}).",
            from_paper(
                "abstract ('the slower the convergence, the better the bias') and Fig. 3",
                f"the abstract was read; the figure panel is {FIGURES_RECALLED}",
            ),
            ("stepsize_sweep",),
            assess_slower_is_sparser,
            nulls=(
                Null(
                    "alpha_unrelated_to_speed",
                    "alpha_inf / alpha decreases with gamma int L",
                    null_alpha_unrelated_to_speed,
                    ("alpha_ratio_monotone_within_each_scaling", "alpha_ratio_decreases_overall"),
                ),
                Null(
                    "test_error_unrelated_to_speed",
                    "the test error decreases with gamma int L",
                    null_test_error_unrelated_to_speed,
                    ("test_error_decreases",),
                ),
            ),
        ),
    ),
)
