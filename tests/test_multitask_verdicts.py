"""Verdicts of the learning-curve claims on crafted mean relative-loss curves: paper-like inputs pass, inputs
that break one statement fail."""

import numpy as np
import pytest

from dln.multitask import claims as V
from dln.multitask.relative import position

N = 6  # positions of the paper's n = 16 ... 512
C = np.array([1.0, 0.1, 0.01])
OVERLAP_ROWS, OVERLAPS, K_AUX = np.array([0, 1, 2]), np.array([10, 15, 20]), 20
YES, NO = np.array([3, 5, 7]), np.array([4, 6, 8])  # sparse teachers k = 3, 10, 20


def curve(*values):
    return np.array(values, dtype=float)


@pytest.fixture
def curves():
    """Paper-like curves (mean relative losses, teachers x n)."""
    c = {m: np.ones((9, N)) for m in ("stl", "mtl", "ptft_c0", "ptft_c1", "ptft_c2", "lp_ptft", "lp_stl")}
    c["lp_stl"][:] = 0.9
    # overlap experiment: rows 0, 1 partial (10, 15 of 20), row 2 identical
    c["stl"][:3] = curve(1, 1, 0.9, 0.8, 0.1, 1e-3)
    c["mtl"][0], c["mtl"][1], c["mtl"][2] = (
        curve(1, 1, 0.8, 0.3, 5e-3, 1e-5),
        curve(1, 0.9, 0.5, 0.1, 1e-3, 1e-6),
        curve(1, 0.3, 1e-3, 1e-4, 1e-5, 1e-6),
    )
    c["ptft_c0"][0], c["ptft_c0"][1], c["ptft_c0"][2] = (
        curve(1, 1, 0.8, 0.2, 1e-3, 1e-7),
        curve(1, 0.9, 0.4, 0.05, 1e-4, 1e-8),
        curve(1, 0.3, 1e-5, 1e-8, 1e-9, 1e-9),
    )
    c["lp_ptft"][:2] = 0.5
    c["lp_ptft"][2] = curve(1, 0.3, 1e-5, 1e-8, 1e-9, 1e-9)
    # sparse, disjoint supports (k = 3, 10, 20): STL learns, transfer methods are worse
    for row, scale in zip(NO, (1e-4, 1e-2, 1.0), strict=True):
        c["stl"][row] = curve(1, 1, 0.5, scale, scale * 1e-2, scale * 1e-4)
        for m in ("mtl", "ptft_c0"):
            c[m][row] = curve(1, 1, 1, min(1, 10 * scale), min(1, 10 * scale * 1e-2), 1e-6)
        c["ptft_c1"][row] = curve(1, 1, 0.5, 1e-2 * scale, 1e-4, 1e-6)
        c["ptft_c2"][row] = curve(1, 1, 0.2, 1e-4 * scale, 1e-6, 1e-8)
    c["ptft_c1"][NO[0]] = curve(1, 1, 5e-3, 1e-6, 1e-8, 1e-8)
    c["ptft_c2"][NO[0]] = curve(1, 1, 1e-3, 1e-8, 1e-9, 1e-9)
    # sparse, inside the aux support
    for row, k_loss in zip(YES, (1e-3, 1e-2, 1e-1), strict=True):
        c["stl"][row] = curve(1, 1, 0.5, 0.1, 1e-3, 1e-5)
        c["mtl"][row] = curve(1, min(1.0, 30 * k_loss), k_loss, 1e-5, 1e-6, 1e-6)
        c["ptft_c0"][row] = curve(1, 0.3, 1e-4, 1e-8, 1e-9, 1e-9)
    c["ptft_c1"][YES[0]] = curve(1, 1e-3, 1e-8, 1e-9, 1e-9, 1e-9)
    c["ptft_c2"][YES[0]] = curve(1, 1e-4, 1e-9, 1e-9, 1e-9, 1e-9)
    c["ptft_c1"][YES[1]], c["ptft_c2"][YES[1]] = (
        curve(1, 0.5, 1e-3, 1e-8, 1e-9, 1e-9),
        curve(1, 0.6, 1e-2, 1e-7, 1e-9, 1e-9),
    )
    c["ptft_c1"][YES[2]], c["ptft_c2"][YES[2]] = (
        curve(1, 0.8, 1e-1, 1e-6, 1e-9, 1e-9),
        curve(1, 0.9, 0.5, 1e-4, 1e-9, 1e-9),
    )
    return c


def test_paper_like_curves_pass(curves):
    assert V.shared_features_verdict(curves, OVERLAP_ROWS, OVERLAPS, K_AUX).holds
    assert V.no_overlap_verdict(curves, NO).holds
    assert V.nested_verdict(curves, YES, C).holds
    assert V.rescaling_verdict(curves, int(YES[0]), int(NO[0]), C).holds


def test_shared_features_fails_when_mtl_does_not_transfer(curves):
    curves["mtl"][2] = curves["stl"][2]
    a = V.shared_features_verdict(curves, OVERLAP_ROWS, OVERLAPS, K_AUX)
    assert not a.holds and not a.check("identical_mtl_beats_stl").passed


def test_shared_features_fails_when_lp_learns_new_features(curves):
    curves["lp_ptft"][0] = curves["ptft_c0"][0]
    a = V.shared_features_verdict(curves, OVERLAP_ROWS, OVERLAPS, K_AUX)
    assert not a.check("lp_ptft_fails_on_new_features").passed


def test_no_overlap_fails_when_transfer_beats_stl(curves):
    curves["ptft_c0"][NO] = curves["stl"][NO] / 10
    a = V.no_overlap_verdict(curves, NO)
    assert not a.holds and not a.check("ptft_c0_does_not_beat_stl").passed


def test_no_overlap_fails_without_growth_in_k(curves):
    curves["stl"][NO] = curves["stl"][NO[0]]
    assert not V.no_overlap_verdict(curves, NO).check("stl_loss_grows_with_k").passed


def test_nested_fails_without_mtl_sparsity_benefit(curves):
    curves["mtl"][YES] = curves["mtl"][YES[::-1]]
    a = V.nested_verdict(curves, YES, C)
    assert not a.holds and not a.check("mtl_benefits_from_sparsity").passed


def test_nested_fails_when_rescaling_does_not_select(curves):
    curves["ptft_c1"][YES] = curves["ptft_c0"][YES]
    curves["ptft_c2"][YES] = curves["ptft_c0"][YES]
    a = V.nested_verdict(curves, YES, C)
    assert not a.check("rescaled_selects_sparse_subset").passed and not a.check("rescaled_beats_both_at_kmin").passed


def test_rescaling_fails_when_overlap_hurts(curves):
    curves["mtl"][NO[0]] = 1e-3 * curves["mtl"][YES[0]]
    a = V.rescaling_verdict(curves, int(YES[0]), int(NO[0]), C)
    assert not a.holds and not a.check("overlap_helps_every_method").passed


def test_rescaling_fails_when_small_c_does_not_help_new_features(curves):
    curves["ptft_c2"][NO[0]] = curves["ptft_c0"][NO[0]]
    curves["ptft_c1"][NO[0]] = curves["ptft_c0"][NO[0]]
    a = V.rescaling_verdict(curves, int(YES[0]), int(NO[0]), C)
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
