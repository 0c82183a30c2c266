"""Verdict functions of the implicit-bias family on crafted inputs (some must hold, some must fail), and its null
models on a tiny simulation (every one must be rejected)."""

from __future__ import annotations

import numpy as np
import pytest

from dln.implicit_bias.claims import (
    FAMILY,
    compare_final_errors,
    effective_initialisation_verdict,
    slower_is_sparser_verdict,
)
from dln.implicit_bias.simulations import simulate_sgd_vs_gd, simulate_stepsize_sweep
from dln.verdict import falsify


def _errors(rng, scale, size=10):
    return scale * np.exp(0.3 * rng.standard_normal(size))


def _per_seed(rng, gd_scale, sgd_factor, sgf_factor, size=10):
    """Paired per-seed errors: a seed's difficulty is shared by the three methods, as in the simulation."""
    base = gd_scale * np.exp(rng.standard_normal(size))
    return {
        "gd": base,
        "sgd": sgd_factor * base * _errors(rng, 1.0, size),
        "sgf": sgf_factor * base * _errors(rng, 1.0, size),
    }


def test_sgd_beats_gd_holds_when_sgd_and_sgf_are_better_and_alike() -> None:
    a = compare_final_errors(_per_seed(np.random.default_rng(0), 1.0, 0.4, 0.4))
    assert a.holds, a.checks


def test_sgd_beats_gd_fails_when_gd_is_better() -> None:
    a = compare_final_errors(_per_seed(np.random.default_rng(1), 1.0, 1.6, 0.4))
    assert not a.holds
    assert not a.check("sgd_median_below_gd").passed


def test_sgd_beats_gd_is_paired_per_seed() -> None:
    """An SGF twice better than SGD on every seed, with errors spread over two decades across seeds, passes an
    unpaired test but not the paired one."""
    rng = np.random.default_rng(2)
    tests = _per_seed(rng, 1.0, 0.4, 0.4)
    tests["sgf"] = 0.5 * tests["sgd"]
    a = compare_final_errors(tests)
    assert a.measured["ks_pvalue_sgd_vs_sgf"] > 0.05  # the old, unpaired check would have accepted it
    assert not a.check("sgf_matches_sgd_paired").passed
    assert not a.holds


def test_sgd_beats_gd_needs_sgf_below_gd_on_every_seed() -> None:
    tests = _per_seed(np.random.default_rng(4), 1.0, 0.4, 0.4)
    tests["sgf"][3] = 1.2 * tests["gd"][3]
    a = compare_final_errors(tests)
    assert a.check("sgf_median_below_gd").passed and not a.check("sgf_below_gd_every_seed").passed


def test_sgd_beats_gd_fails_when_runs_did_not_converge() -> None:
    tests = _per_seed(np.random.default_rng(3), 1.0, 0.4, 0.4)
    tests["sgd"][2:] = np.nan
    a = compare_final_errors(tests)
    assert not a.check("most_runs_converged").passed
    assert not a.holds


def _init_errs(shrink=1.0, formula=1e-3, gd_gap=1e-3, runs=5, gap_alpha=0.1):
    errs = {
        m: {"exact": np.full(runs, 1e-12), "formula": np.full(runs, formula), "shrink": np.full(runs, shrink)}
        for m in ("gd", "sgd", "sgf")
    }
    return effective_initialisation_verdict(errs, np.full(runs, gd_gap), np.full(runs, gap_alpha), runs)


def test_effective_initialisation_thresholds() -> None:
    assert _init_errs().holds
    assert not _init_errs(shrink=0.02).check("sgd_shrinkage_matches_formula").passed  # GD-like: no shrinkage
    assert not _init_errs(shrink=3.0).check("sgd_shrinkage_matches_formula").passed
    assert not _init_errs(formula=5e-2).check("loss_integral_formula_sgf").passed
    assert not _init_errs(gd_gap=0.2).check("gd_from_alpha_inf_lands_on_sgd").passed
    assert not _init_errs(gd_gap=0.009, gap_alpha=0.01).check("restart_closes_the_gap").passed
    errs = {
        m: {"exact": np.full(3, 1e-9), "formula": np.full(3, 1e-3), "shrink": np.ones(3)} for m in ("gd", "sgd", "sgf")
    }
    assert not effective_initialisation_verdict(errs, np.full(3, 1e-3), np.full(3, 0.1), 5).holds  # 2 unconverged


def _sweep(alpha_ratio, test_error):
    x = np.array([0.1, 0.2, 0.4, 0.8, 0.15, 0.3, 0.6, 1.2])
    pts = {
        "spread": np.repeat([1.0, 2.0], 4),
        "stepsize": np.tile([0.01, 0.02, 0.04, 0.08], 2),
        "gamma_int_loss": x,
        "alpha_ratio": alpha_ratio(x),
        "test_error": test_error(x),
        "converged": np.full(8, 5),
        "diverged": np.zeros(8),
    }
    seeds = np.repeat(np.arange(3), 8)
    xr = np.tile(x, 3) * (1 + 0.1 * seeds)
    runs = {
        "seed": seeds,
        "spread": np.tile(pts["spread"], 3),
        "gamma_int_loss": xr,
        "alpha_ratio": alpha_ratio(xr),
        "test": test_error(xr) * (1 + seeds),
    }
    return pts, runs


def test_slower_is_sparser_holds_for_decreasing_curves() -> None:
    a = slower_is_sparser_verdict(*_sweep(lambda x: np.exp(-x), lambda x: 1.0 / (1.0 + x)))
    assert a.holds, a.checks


def test_slower_is_sparser_fails_when_alpha_ratio_is_not_monotone() -> None:
    a = slower_is_sparser_verdict(*_sweep(lambda x: np.exp(-x) + 0.5 * (x == 0.4), lambda x: 1.0 / (1.0 + x)))
    assert not a.check("alpha_ratio_monotone_within_each_scaling").passed
    assert not a.holds


def test_slower_is_sparser_fails_when_test_error_grows() -> None:
    a = slower_is_sparser_verdict(*_sweep(lambda x: np.exp(-x), lambda x: 1.0 + x))
    assert not a.check("test_error_decreases").passed
    assert not a.holds


TINY = {
    "n": 12,
    "d": 30,
    "s": 2,
    "alpha": 0.05,
    "seeds": 4,
    "records": 10,
    "stop_loss": 1e-24,
    "converged_loss": 1e-8,
}


@pytest.fixture(scope="module")
def tiny_results() -> dict:
    sgd_vs_gd = TINY | {"stepsize": 0.05, "steps": 30000, "sgf_steps": 30000, "sgf_substep_fraction": 0.2}
    sweep = TINY | {"stepsizes": [0.02, 0.04, 0.08], "horizon": 2000.0, "row_spreads": [1.0, 2.0]}
    return {
        "arrays": {"sgd_vs_gd": simulate_sgd_vs_gd(sgd_vs_gd, 5), "stepsize_sweep": simulate_stepsize_sweep(sweep, 5)},
        "specs": {"sgd_vs_gd": sgd_vs_gd, "stepsize_sweep": sweep},
    }


@pytest.mark.parametrize("claim_id", sorted(FAMILY.claims))
def test_every_informative_null_is_rejected(tiny_results, claim_id: str) -> None:
    claim = FAMILY.claims[claim_id]
    assert len(claim.nulls) >= 2  # one per sub-statement
    arrays = {s: tiny_results["arrays"][s] for s in claim.simulations}
    specs = {s: tiny_results["specs"][s] for s in claim.simulations}
    outcomes = falsify(FAMILY, claim, arrays, specs)
    assert any(o.informative for o in outcomes)  # at this size some targets may already fail on the data
    for outcome in outcomes:
        assert outcome.rejected or not outcome.informative, (claim_id, outcome)


def test_sgd_vs_gd_layout_holds_when_sgf_keeps_fewer_records_than_gd() -> None:
    """SGF runs its own number of steps, so its record grid can differ in size from GD's (58 vs 57 records at
    paper scale); the declared layout gives each method its own records dimension."""
    from dln.implicit_bias.simulations import SGD_VS_GD, simulate_sgd_vs_gd

    spec = {"n": 10, "d": 20, "s": 2, "alpha": 0.1, "seeds": 2, "stop_loss": 1e-24, "converged_loss": 1e-10}
    spec |= {"records": 40, "stepsize": 0.05, "steps": 20000, "sgf_steps": 300, "sgf_substep_fraction": 0.1}
    arrays = simulate_sgd_vs_gd(spec, 3)
    assert arrays["sgf/record_steps"].size != arrays["gd/record_steps"].size
    SGD_VS_GD.check(arrays, what="implicit_bias/sgd_vs_gd")
    from dln.registry import families
    from dln.verdict import falsify

    fam = families()["implicit_bias"]
    outcomes = falsify(fam, fam.claims["sgd_beats_gd"], {"sgd_vs_gd": arrays}, {"sgd_vs_gd": spec})
    assert [o.name for o in outcomes] == ["sgd_like_gd", "sgf_like_gd", "sgf_twice_better"]  # nulls keep shapes
