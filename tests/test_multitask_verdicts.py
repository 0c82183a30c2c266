"""Verdicts of the learning-curve claims on crafted relative-loss curves (one data seed unless said): paper-like
inputs pass, inputs that break one statement fail."""

import numpy as np
import pytest
from multitask_curves import IDENTICAL, NO, OVERLAPS, PARTIAL, YES, C, as_samples, paper_like_curves

from dln.multitask import claims as V
from dln.multitask.relative import position


@pytest.fixture
def curves():
    return paper_like_curves()


def shared(curves, seeds=1):
    return V.shared_features_verdict(as_samples(curves, seeds), IDENTICAL, PARTIAL, OVERLAPS[:2])


def no_overlap(curves):
    return V.no_overlap_verdict(as_samples(curves), NO)


def nested(curves):
    return V.nested_verdict(as_samples(curves), YES, C)


def rescaling(curves):
    return V.rescaling_verdict(as_samples(curves), int(YES[0]), int(NO[0]), C)


def test_paper_like_curves_pass(curves):
    assert shared(curves).holds
    assert no_overlap(curves).holds
    assert nested(curves).holds
    assert rescaling(curves).holds


def test_shared_features_fails_when_mtl_does_not_transfer(curves):
    curves["mtl"][2] = curves["stl"][2]
    a = shared(curves)
    assert not a.holds and not a.check("identical_mtl_beats_stl").passed


def test_shared_features_fails_when_lp_learns_new_features(curves):
    curves["lp_ptft"][0] = curves["ptft_c0"][0]
    a = shared(curves)
    assert not a.check("lp_ptft_fails_on_new_features").passed


def test_no_overlap_fails_when_transfer_beats_stl(curves):
    curves["ptft_c0"][NO] = curves["stl"][NO] / 10
    a = no_overlap(curves)
    assert not a.holds and not a.check("ptft_c0_does_not_beat_stl").passed


def test_no_overlap_fails_without_growth_in_k(curves):
    curves["stl"][NO] = curves["stl"][NO[0]]
    assert not no_overlap(curves).check("stl_loss_grows_with_k").passed


def test_nested_fails_without_mtl_sparsity_benefit(curves):
    curves["mtl"][YES] = curves["mtl"][YES[::-1]]
    a = nested(curves)
    assert not a.holds and not a.check("mtl_benefits_from_sparsity").passed


def test_nested_fails_when_rescaling_does_not_select(curves):
    curves["ptft_c1"][YES] = curves["ptft_c0"][YES]
    curves["ptft_c2"][YES] = curves["ptft_c0"][YES]
    a = nested(curves)
    assert not a.check("rescaled_selects_sparse_subset").passed and not a.check("rescaled_beats_both_at_kmin").passed


def test_rescaling_fails_when_overlap_hurts(curves):
    curves["mtl"][NO[0]] = 1e-3 * curves["mtl"][YES[0]]
    a = rescaling(curves)
    assert not a.holds and not a.check("overlap_helps_every_method").passed


def test_rescaling_fails_when_small_c_does_not_help_new_features(curves):
    curves["ptft_c2"][NO[0]] = curves["ptft_c0"][NO[0]]
    curves["ptft_c1"][NO[0]] = curves["ptft_c0"][NO[0]]
    a = rescaling(curves)
    assert not a.check("smaller_c_learns_new_features_sooner").passed


def test_prediction_verdict_fails_on_disagreement():
    rel = np.array([0.5, 1e-2, 1e-4, 1e-8])
    ok = V.prediction_matches_training_verdict(rel, rel * 1.1, np.full(4, 1e-3), np.full(4, 0.2), np.zeros(4, int))
    assert ok.holds
    bad = V.prediction_matches_training_verdict(rel, rel * 1.5, np.full(4, 1e-3), np.full(4, 0.2), np.zeros(4, int))
    assert not bad.holds and not bad.check("relative_losses_agree").passed
    far = V.prediction_matches_training_verdict(rel, rel, np.full(4, 0.1), np.full(4, 0.2), np.zeros(4, int))
    assert not far.check("betas_agree").passed
    # below the floor only: nothing to compare
    tiny = V.prediction_matches_training_verdict(rel * 1e-9, rel * 1e-8, np.zeros(4), np.ones(4), np.zeros(4, int))
    assert not tiny.check("enough_configurations_above_floor").passed


def test_position_maps_paper_n_and_rejects_short_grids():
    assert position(64, 6) == 2
    with pytest.raises(ValueError):
        position(256, 4)


# ------------------------------------------------------------------ strengthened checks (issue 13): pass and fail
def test_no_overlap_ties_at_the_clip_are_not_compared(curves):
    """A cell where both losses sit below the floor is left out; a method equal to STL elsewhere fails."""
    a = no_overlap(curves)
    cells = a.measured["comparable_cells"]["mtl"]
    assert a.check("mtl_does_not_beat_stl").passed and cells == "6 of 6"
    curves["stl"][NO[0], 4] = curves["mtl"][NO[0], 4] = 1e-8  # k_min, paper n = 256: both below the floor
    a = no_overlap(curves)
    assert a.check("mtl_does_not_beat_stl").passed and a.measured["comparable_cells"]["mtl"] == "5 of 6"
    curves["mtl"][NO] = curves["stl"][NO]  # no cost at all: equal losses do not pass (strict)
    assert not no_overlap(curves).check("mtl_does_not_beat_stl").passed


def test_no_overlap_without_comparable_cells_fails(curves):
    for m in ("stl", "mtl"):
        curves[m][NO, 3:5] = 1e-8
    a = no_overlap(curves)
    assert a.measured["comparable_cells"]["mtl"] == "0 of 6" and not a.check("mtl_does_not_beat_stl").passed


def test_no_overlap_monotone_in_k_allows_the_slack_only(curves):
    curves["stl"][NO[1], 3:5] = curves["stl"][NO[0], 3:5] / 1.5  # k = 10 dips 1.5x below k = 3: within 2x
    assert no_overlap(curves).check("stl_loss_monotone_in_k").passed
    curves["stl"][NO[1], 3:5] = curves["stl"][NO[0], 3:5] / 3.0  # 3x dip: fails, growth k_min -> k_max still fine
    a = no_overlap(curves)
    assert not a.check("stl_loss_monotone_in_k").passed and a.check("stl_loss_grows_with_k").passed


def test_partial_gain_must_increase_in_every_seed(curves):
    assert shared(curves, seeds=3).check("partial_gain_increases_with_overlap").passed
    samples = as_samples(curves, 3)
    samples["mtl"][1, PARTIAL[1], 4] = samples["mtl"][1, PARTIAL[0], 4] * 2  # one seed: more overlap, worse MTL
    a = V.shared_features_verdict(samples, IDENTICAL, PARTIAL, OVERLAPS[:2])
    assert not a.check("partial_gain_increases_with_overlap").passed
    assert a.check("partial_mtl_beats_stl").passed  # the median gain over seeds is unchanged


def test_a_single_bad_seed_does_not_decide_a_factor(curves):
    """Factors are medians over seeds of per-seed ratios: one outlier seed neither makes nor breaks them."""
    samples = as_samples(curves, 3)
    samples["stl"][0, PARTIAL, 4] *= 1e4  # STL fails badly on one seed: the mean ratio would jump 1e4-fold
    a = V.shared_features_verdict(samples, IDENTICAL, PARTIAL, OVERLAPS[:2])
    assert a.measured["partial_gain_over_stl_at_paper_n_256"]["mtl"] == pytest.approx([20.0, 100.0])
    assert a.measured["partial_gain_ratio_of_means"]["mtl"][0] > 1e3
    samples = as_samples(curves, 3)
    samples["mtl"][:2, PARTIAL, 4] = samples["stl"][:2, PARTIAL, 4]  # two of three seeds without transfer
    assert (
        not V.shared_features_verdict(samples, IDENTICAL, PARTIAL, OVERLAPS[:2]).check("partial_mtl_beats_stl").passed
    )


def test_overlap_helps_is_strict_and_skips_ties(curves):
    a = rescaling(curves)
    assert a.check("overlap_helps_every_method").passed
    assert a.measured["overlap_helps_comparable_cells"]["ptft_c1"] == "2 of 5"  # the rest: both below the floor
    curves["ptft_c1"][NO[0]] = curves["ptft_c1"][YES[0]]  # overlap does not help PT+FT c = 0.1
    assert not rescaling(curves).check("overlap_helps_every_method").passed


def test_overlap_benefit_must_shrink_step_by_step(curves):
    a = rescaling(curves)
    assert a.check("overlap_benefit_shrinks_with_c").passed and a.check("overlap_benefit_non_increasing_in_c").passed
    curves["ptft_c1"][NO[0], 2] = 1.0  # c = 0.1 gains more from overlap than c = 1 at paper n = 64
    a = rescaling(curves)
    assert a.check("overlap_benefit_shrinks_with_c").passed  # c = 1 vs the smallest c: still shrinking
    assert not a.check("overlap_benefit_non_increasing_in_c").passed
