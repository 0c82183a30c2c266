"""Verdict functions of the stepsizes family on crafted inputs: some must pass, the others must fail."""

import numpy as np
import pytest

from dln.stepsizes import claims as V


# ----------------------------------------------------------------------------------------- exact implicit
def _exact(err, score=0.1, resolved=True):
    m = np.array(["gd", "gd", "sgd_b1", "sgd_b1"])
    e = np.full(4, 1e-12)
    e[0] = err
    return V.exact_implicit_verdict(m, e, np.zeros(4), np.full(4, score), np.full(4, resolved), ("gd", "sgd_b1"))


def test_exact_implicit_passes_and_fails():
    assert _exact(1e-9).holds
    assert not _exact(2e-6).holds  # one run off the predicted solution
    assert not _exact(2e-6).check("exact_every_method").passed
    assert not _exact(1e-9, score=3.0).holds  # tracked and recovered gains disagree beyond round-off
    assert not _exact(1e-9, score=3.0).check("gain_identity_every_method").passed
    # the prediction comes from the tracked gains, so runs whose alpha_inf is not readable off the iterate are
    # judged too (before, they were excluded and a method without readable runs failed)
    assert _exact(1e-9, resolved=False).holds
    assert not _exact(2e-6, resolved=False).holds
    missing = V.exact_implicit_verdict(
        np.array(["gd"]), np.zeros(1), np.zeros(1), np.zeros(1), np.ones(1, bool), ("gd", "sgd_b1")
    )
    assert not missing.holds


# ----------------------------------------------------------------------------------------- SGD helped
SEEDS6 = np.arange(6)


def _help(low, high, seeds=SEEDS6):
    """SGD runs at 0.2 and in [0.7, 1] gamma_max; ``low``/``high`` give each seed's test error (scalars or per seed)."""
    frac = np.repeat([0.2, 0.7, 0.9, 1.0], seeds.size)
    data = np.tile(seeds, 4)
    lo = np.broadcast_to(low, seeds.shape)[data]
    hi = np.broadcast_to(high, seeds.shape)[data]
    return V.help_sgd_verdict(frac, np.where(frac == 0.2, lo, hi), data)


def test_help_sgd():
    assert _help(1e-2, 1e-3).holds
    assert not _help(1e-2, 3e-3).holds  # only 3.3x better
    weak = _help(1e-2, 3e-3)
    assert not weak.check("improvement_at_least_factor").passed and weak.check("most_seeds_improve").passed
    frac = np.repeat([0.7, 0.9, 1.0], 3)
    assert not V.help_sgd_verdict(frac, np.full(9, 1e-3), np.tile([0, 1, 2], 3)).holds  # no runs at 0.2


def test_help_sgd_is_decided_per_seed():
    # every seed improves 10x, but the seeds' scales differ by 100 and their numbers of converged runs differ:
    # the pooled medians compare a small-scale seed's low-gamma error with a large-scale seed's high-gamma one
    frac = np.array([0.2] * 9 + [1.0] * 15)
    data = np.array([0, 0, 1, 1, 2, 2, 3, 4, 5] + [0, 1, 2] + [3] * 4 + [4] * 4 + [5] * 4)
    scale = np.where(data < 3, 1e-4, 1e-2)
    a = V.help_sgd_verdict(frac, np.where(frac == 0.2, scale, scale / 10), data)
    assert a.holds and a.measured["median_improvement_factor"] == pytest.approx(10)
    assert a.measured["pooled_improvement_factor"] < 1
    # a large median factor carried by a few seeds while the others get worse: the sign test fails
    mixed = _help(1e-2, np.array([1e-4, 1e-4, 1e-4, 1e-4, 2e-2, 2e-2]))
    assert mixed.check("improvement_at_least_factor").passed
    assert not mixed.check("most_seeds_improve").passed
    assert not _help(1e-2, 1e-3, np.arange(4)).check("most_seeds_improve").passed  # 4 of 4 is a coin flip at 6 %


def test_sign_test():
    assert V.sign_test_pvalue(7, 8) == 9 / 256
    assert V.sign_test_pvalue(6, 8) > 0.05
    assert V.sign_test_pvalue(0, 0) == 1.0


# ----------------------------------------------------------------------------------------- GD hurt
def _hurt(gd_scale, window_scale, sgd_top, base=1e-2):
    """3 seeds; GD at 0.1 has error ``base`` (per seed), ``gd_scale`` times that above; SGD ``sgd_top`` at the top."""
    fr = np.tile([0.1, 0.5, 0.9, 1.0], 3)
    data = np.repeat([0, 1, 2], 4)
    b = np.broadcast_to(base, (3,))[data]
    gd = b * np.where(fr > 0.2, gd_scale, 1.0)
    win = np.broadcast_to(base, (3,)) * window_scale
    sfr = np.tile([0.2, 0.9, 1.0], 3)
    sdata = np.repeat([0, 1, 2], 3)
    sgd = np.where(sfr > 0.5, np.broadcast_to(sgd_top, (3,))[sdata], 1e-2)
    return V.hurt_gd_verdict(fr, gd, data, win, np.arange(3), sfr, sgd, sdata, seeds=3)


def test_hurt_gd():
    assert _hurt(2.0, 20.0, 1e-4).holds
    assert not _hurt(0.5, 20.0, 1e-4).holds  # GD improves with gamma
    assert not _hurt(2.0, 5.0, 1e-4).holds  # window jump below 10x
    assert not _hurt(2.0, 20.0, 5e-3).holds  # GD only 4x worse than SGD at the top


def test_hurt_gd_is_paired_per_seed():
    # GD is 20x worse than SGD at the top on every seed, but the seeds' scales differ by 1e4 and SGD has more
    # converged runs on the large-scale seed: pooled medians compare one seed's GD with another seed's SGD
    base = np.array([1e-4, 1e-2, 1.0])
    fr = np.tile([0.1, 0.5, 0.9, 1.0], 3)
    data = np.repeat([0, 1, 2], 4)
    gd = base[data] * np.where(fr > 0.2, 2.0, 1.0)
    sdata = np.array([0, 1, 2, 2, 2, 2])
    a = V.hurt_gd_verdict(fr, gd, data, 20 * base, np.arange(3), np.ones(6), 0.1 * base[sdata], sdata, seeds=3)
    assert a.check("gd_over_sgd_at_top").passed and a.measured["median_gd_over_sgd_top"] == pytest.approx(20)
    assert a.measured["pooled_gd_over_sgd_top"] < 10
    # the smallest fraction's ratio is 1 by construction: not judged
    assert len(a.check("gd_does_not_improve").measured) == 3


# ----------------------------------------------------------------------------------------- gain shape
def _shape(gd, sgd):
    gd, sgd = np.asarray(gd, float), np.asarray(sgd, float)
    return V.gain_shape_verdict(gd, np.arange(gd.size) % 3, sgd, np.arange(sgd.size) % 3)


def test_gain_shape():
    assert _shape([6.0, 8.0, 7.0], [1.2, 1.5, 2.0]).holds
    assert not _shape([3.0, 4.0, 4.5], [1.2, 1.5, 2.0]).holds
    assert not _shape([6.0, 8.0, 7.0], [3.5, 4.0, 2.0]).holds
    assert not _shape([], [1.0]).holds


def test_gain_shape_weighs_seeds_not_runs():
    # seed 0 has many runs with a low ratio; per seed, two of three seeds are clearly concentrated
    gd = np.array([2.0] * 7 + [8.0, 9.0])
    data = np.array([0] * 7 + [1, 2])
    a = V.gain_shape_verdict(gd, data, np.array([1.0, 1.0, 1.0]), np.arange(3))
    assert a.check("gd_gain_on_support").passed and a.measured["pooled_median_ratio_gd"] < 5


# ----------------------------------------------------------------------------------------- edge of stability
def _oscillating(k, start, length):
    loss = np.geomspace(1.0, 1e-8, k)
    loss[start : start + length : 2] *= 3.0
    return loss


def test_oscillation_measures():
    assert V.longest_oscillation(np.geomspace(1, 1e-6, 500)) == 0
    assert V.longest_oscillation(_oscillating(1000, 100, 300)) >= 295
    assert V.late_increases(np.r_[1.0, 2.0, np.geomspace(1, 1e-6, 100)]) == 0  # increase inside the transient
    assert V.late_increases(np.r_[np.geomspace(1, 1e-3, 50), 1.0, np.geomspace(1e-3, 1e-6, 50)]) == 1


def test_eos_verdict():
    win = np.stack([_oscillating(1000, 10, 400), _oscillating(1000, 10, 200)])
    below = np.stack([np.geomspace(1, 1e-9, 1000)])
    ok = V.eos_verdict(win, np.array([1.99, 1.999]), np.array([True, True]), below, np.array([1.8]))
    assert ok.holds
    short = np.stack([_oscillating(1000, 10, 50), _oscillating(1000, 10, 200)])
    assert not V.eos_verdict(short, np.array([1.99, 1.999]), np.array([True, True]), below, np.array([1.8])).holds
    assert not V.eos_verdict(win, np.array([1.9, 1.999]), np.array([True, True]), below, np.array([1.8])).holds
    assert not V.eos_verdict(win, np.array([1.99, 2.01]), np.array([True, True]), below, np.array([1.8])).holds
    assert not V.eos_verdict(win, np.array([1.99, 1.999]), np.array([True, False]), below, np.array([1.8])).holds
    bumpy = np.stack([np.r_[np.geomspace(1, 1e-3, 500), 2e-3, np.geomspace(1e-3, 1e-9, 499)]])
    assert not V.eos_verdict(win, np.array([1.99, 1.999]), np.array([True, True]), bumpy, np.array([1.8])).holds
    assert not V.eos_verdict(win, np.array([1.99, 1.999]), np.array([True, True]), below, np.array([2.05])).holds
    # below gamma_EoS at the edge (gamma S = 1.97 < 2 is linearly stable, but it is the window's signature)
    edge = V.eos_verdict(win, np.array([1.99, 1.999]), np.array([True, True]), below, np.array([1.97]))
    assert not edge.check("below_off_the_edge").passed


# ----------------------------------------------------------------------------------------- batch size
def test_batch_gain():
    fr = np.array([0.1, 0.2, 0.5, 0.9, 1.0])
    base = np.array([1.0, 2.0, 5.0, 30.0, 120.0])  # linear in f up to 0.5, then explodes (12x per unit gamma)
    sweep = {1: 4 * base, 2: 3 * base, 20: base}
    common = {1: 4 * base, 2: 2 * base, 20: 0.5 * base}
    assert V.batch_gain_verdict(common, sweep, fr, 20).holds
    assert not V.batch_gain_verdict({1: common[1], 2: 5 * base, 20: common[20]}, sweep, fr, 20).holds  # b=2 > b=1
    flat = {b: v * np.array([1, 1, 1, 0.5, 0.2]) for b, v in sweep.items()}
    assert not V.batch_gain_verdict(common, flat, fr, 20).holds  # gain does not grow with gamma
    linear = {b: v[0] * fr / fr[0] for b, v in sweep.items()}
    assert not V.batch_gain_verdict(common, linear, fr, 20).holds  # no explosion near gamma_max
    early = {b: v * np.array([1, 1, 3, 1, 1]) for b, v in sweep.items()}
    assert not V.batch_gain_verdict(common, early, fr, 20).holds  # explodes already at 0.5 gamma_max
    nan = {1: np.r_[common[1][:-1], np.nan], 2: common[2], 20: common[20]}
    assert not V.batch_gain_verdict(nan, sweep, fr, 20).holds
    # GD explodes, SGD only triples its gain per unit gamma: the SGD check fails alone
    sgd_mild = {b: (v if b == 20 else v[0] * fr / fr[0] * np.array([1, 1, 1, 2, 3])) for b, v in sweep.items()}
    a = V.batch_gain_verdict(common, sgd_mild, fr, 20)
    assert a.check("gd_explodes_near_gamma_max").passed and not a.check("sgd_explodes_near_gamma_max").passed
    # the old factor 2 would have called a tripling an explosion
    assert a.check("sgd_explodes_near_gamma_max").measured == pytest.approx([3.0, 3.0])
