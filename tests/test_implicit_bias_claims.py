"""Verdict functions of the implicit-bias family on crafted inputs: some must hold, some must fail."""

from __future__ import annotations

import numpy as np

from dln.families.implicit_bias import (
    compare_final_errors,
    effective_initialisation_verdict,
    slower_is_sparser_verdict,
)


def _errors(rng, scale, size=10):
    return scale * np.exp(0.3 * rng.standard_normal(size))


def test_sgd_beats_gd_holds_when_sgd_and_sgf_are_better_and_alike() -> None:
    rng = np.random.default_rng(0)
    a = compare_final_errors({"gd": _errors(rng, 1.0), "sgd": _errors(rng, 0.5), "sgf": _errors(rng, 0.5)}, 10)
    assert a.holds, a.checks


def test_sgd_beats_gd_fails_when_gd_is_better() -> None:
    rng = np.random.default_rng(1)
    a = compare_final_errors({"gd": _errors(rng, 0.3), "sgd": _errors(rng, 0.5), "sgf": _errors(rng, 0.5)}, 10)
    assert not a.holds
    assert not a.checks["sgd_median_below_gd"]


def test_sgd_beats_gd_fails_when_sgf_and_sgd_differ_in_distribution() -> None:
    rng = np.random.default_rng(2)
    a = compare_final_errors({"gd": _errors(rng, 1.0), "sgd": _errors(rng, 0.5), "sgf": _errors(rng, 0.05)}, 10)
    assert not a.checks["sgf_sgd_same_distribution"]
    assert not a.holds


def test_sgd_beats_gd_fails_when_runs_did_not_converge() -> None:
    rng = np.random.default_rng(3)
    a = compare_final_errors({"gd": _errors(rng, 1.0, 10), "sgd": _errors(rng, 0.5, 2), "sgf": _errors(rng, 0.5)}, 10)
    assert not a.checks["most_runs_converged"]
    assert not a.holds


def _init_errs(exact, formula, gd_gap, runs=5, gap_alpha=0.1):
    errs = {m: {"exact": np.full(runs, exact), "formula": np.full(runs, formula)} for m in ("sgd", "sgf")}
    return effective_initialisation_verdict(errs, np.full(runs, gd_gap), np.full(runs, gap_alpha), runs)


def test_effective_initialisation_thresholds() -> None:
    assert _init_errs(1e-9, 1e-3, 1e-3).holds
    assert not _init_errs(1e-5, 1e-3, 1e-3).checks["exact_prediction_sgd"]
    assert not _init_errs(1e-9, 5e-2, 1e-3).checks["loss_integral_formula_sgf"]
    assert not _init_errs(1e-9, 1e-3, 0.2).checks["gd_from_alpha_inf_lands_on_sgd"]
    errs = {m: {"exact": np.full(3, 1e-9), "formula": np.full(3, 1e-3)} for m in ("sgd", "sgf")}
    assert not effective_initialisation_verdict(errs, np.full(3, 1e-3), np.full(3, 0.1), 5).holds  # 2 unconverged


def _sweep(alpha_ratio, test_error):
    x = np.array([0.1, 0.2, 0.4, 0.8, 0.15, 0.3, 0.6, 1.2])
    return {
        "spread": np.repeat([1.0, 2.0], 4),
        "stepsize": np.tile([0.01, 0.02, 0.04, 0.08], 2),
        "gamma_int_loss": x,
        "alpha_ratio": alpha_ratio(x),
        "test_error": test_error(x),
        "converged": np.full(8, 5),
    }


def test_slower_is_sparser_holds_for_decreasing_curves() -> None:
    a = slower_is_sparser_verdict(_sweep(lambda x: np.exp(-x), lambda x: 1.0 / (1.0 + x)))
    assert a.holds, a.checks


def test_slower_is_sparser_fails_when_alpha_ratio_is_not_monotone() -> None:
    a = slower_is_sparser_verdict(_sweep(lambda x: np.exp(-x) + 0.5 * (x == 0.4), lambda x: 1.0 / (1.0 + x)))
    assert not a.checks["alpha_ratio_monotone_within_each_scaling"]
    assert not a.holds


def test_slower_is_sparser_fails_when_test_error_grows() -> None:
    a = slower_is_sparser_verdict(_sweep(lambda x: np.exp(-x), lambda x: 1.0 + x))
    assert not a.checks["test_error_decreases"]
    assert not a.holds
