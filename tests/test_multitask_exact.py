"""Exact single-task limits and closed-form pretraining against GD with the paper's protocol (small sizes)."""

import numpy as np
import pytest

from dln.multitask import exact, teachers
from dln.multitask.training import GramTask, PoolTask, Weights, train_gd
from dln.status import Status

D, K_AUX, N_AUX, N = 60, 6, 80, 20
ALPHA = 1e-3


@pytest.fixture(scope="module")
def problem():
    dr = teachers.draw(np.random.default_rng(3), D, K_AUX, N_AUX, N)
    beta_aux = teachers.aux_teacher(dr, D)
    beta_main = teachers.main_teacher(dr, D, 3, 2, teachers.main_magnitude(3, "linear"))
    return dr, beta_aux, beta_main


def single(init: exact.Init) -> Weights:
    return Weights(
        init.w_pos[None].copy(), init.w_neg[None].copy(), init.v_pos[None, None].copy(), init.v_neg[None, None].copy()
    )


def test_data_is_row_normalised_and_teachers_share_signs(problem):
    dr, beta_aux, beta_main = problem
    np.testing.assert_allclose(np.sum(dr.X_aux**2, axis=1), D)
    shared = dr.perm[:2]
    np.testing.assert_array_equal(np.sign(beta_main[shared]), np.sign(beta_aux[shared]))
    assert np.count_nonzero(beta_main) == 3 and np.linalg.norm(beta_aux) == pytest.approx(1.0)


def test_stl_coefficients_reduce_to_alpha_squared():
    a, b = exact.coefficients(exact.stl_init(5, 0.3))
    np.testing.assert_allclose(a, 0.09)
    np.testing.assert_allclose(b, 0.09)


def test_analytic_pretrained_weights_match_gd_pretraining(problem):
    dr, beta_aux, _ = problem
    a = np.full((1, D), ALPHA)
    init = Weights(a.copy(), a.copy(), a[None].copy(), a[None].copy())
    res = train_gd([GramTask(dr.X_aux.T @ dr.X_aux, beta_aux[None], N_AUX)], init, 0.5, 40000, 1e-10, 0)
    w_pos, w_neg = teachers.pretrained_weights(beta_aux, ALPHA)
    np.testing.assert_allclose(w_pos * w_pos - w_neg * w_neg, beta_aux, atol=1e-12)
    np.testing.assert_allclose(w_pos * w_neg, ALPHA**2, rtol=1e-9)
    assert np.max(np.abs(res.weights.w_pos[0] - w_pos)) < 1e-2
    assert np.max(np.abs(res.weights.w_neg[0] - w_neg)) < 1e-2
    assert np.max(np.abs(res.weights.v_pos[0, 0] - w_pos)) < 1e-2


@pytest.mark.parametrize("method,c", [("stl", 1.0), ("ptft", 1.0), ("ptft", 0.1)])
def test_gradient_flow_limit_matches_gd(problem, method, c):
    dr, beta_aux, beta_main = problem
    if method == "stl":
        init = exact.stl_init(D, ALPHA)
    else:
        w_pos, w_neg = teachers.pretrained_weights(beta_aux, ALPHA)
        init = exact.ptft_init(w_pos, w_neg, c, c * ALPHA)
    X = dr.X_main[:N]
    pred = exact.gradient_flow_limit(X, X @ beta_main, init)
    np.testing.assert_allclose(X @ pred, X @ beta_main, atol=1e-8)
    res = train_gd([PoolTask(dr.X_main, np.array([N]), beta_main[None])], single(init), 0.1, 100000, 1e-10, 0)
    assert res.status[0] != Status.DIVERGED and res.train_mse[0] < 1e-6
    gap = np.max(np.abs(res.weights.betas()[0, 0] - pred))
    assert gap < 0.02 * np.max(np.abs(beta_main)), gap


def test_linear_probe_closed_form_equals_gd_iterate(problem):
    dr, beta_aux, beta_main = problem
    w_pos, w_neg = teachers.pretrained_weights(beta_aux, ALPHA)
    init = exact.ptft_init(w_pos, w_neg, 1.0, ALPHA)
    X = dr.X_main[:N]
    for cap in (37, 5000):
        probe = exact.linear_probe(X, X @ beta_main, init, 0.1, cap, 1e-10)
        res = train_gd(
            [PoolTask(dr.X_main, np.array([N]), beta_main[None])],
            single(init),
            0.1,
            cap,
            1e-10,
            0,
            train_first_layer=False,
        )
        assert probe.steps == res.steps[0]
        np.testing.assert_allclose(probe.beta, res.weights.betas()[0, 0], atol=1e-12)


def test_linear_probe_minimum_over_checkpoints_equals_gd(problem):
    """The closed-form minimum over the 50-step checkpoints is GD's, on a probe whose test loss dips below both
    its start and its end (5 of 6 features on the pretrained support, 6 samples: min(start, final) is wrong)."""
    dr, beta_aux, _ = problem
    w_pos, w_neg = teachers.pretrained_weights(beta_aux, ALPHA)
    init = exact.ptft_init(w_pos, w_neg, 1.0, ALPHA)
    star = teachers.main_teacher(dr, D, 6, 5, teachers.main_magnitude(6, "sqrt"))
    X = dr.X_main[:6]
    for cap in (37, 5000):  # stopped by the cap, then by the threshold (step 2594)
        probe = exact.linear_probe(X, X @ star, init, 0.1, cap, 1e-10, star, 50)
        task = PoolTask(dr.X_main, np.array([6]), star[None])
        res = train_gd([task], single(init), 0.1, cap, 1e-10, 0, check_every=50, train_first_layer=False)
        assert probe.steps == res.steps[0]
        np.testing.assert_allclose(probe.min_loss, res.min_eval_loss[0], rtol=1e-9)
    start, final = (float(np.sum((b - star) ** 2)) for b in (init.beta, probe.beta))
    assert probe.steps < 5000 and probe.min_loss < 0.6 * min(start, final)
    assert np.isnan(exact.linear_probe(X, X @ star, init, 0.1, 10, 1e-10).min_loss)


def test_mtl_columns_are_independent(problem):
    """A batch of MTL columns (different n and teachers, sharing X_aux) equals the columns run one by one."""
    dr, beta_aux, beta_main = problem
    other = teachers.main_teacher(dr, D, 2, 0, 0.5)
    stars = np.stack([beta_main, other])
    n_rows = np.array([N, N // 2])
    gram = dr.X_aux.T @ dr.X_aux

    def run(idx):
        C = idx.size
        a = np.full((C, D), ALPHA)
        w = Weights(a.copy(), a.copy(), np.full((2, C, D), ALPHA), np.full((2, C, D), ALPHA))
        tasks = [GramTask(gram, np.tile(beta_aux, (C, 1)), N_AUX), PoolTask(dr.X_main, n_rows[idx], stars[idx])]
        return train_gd(tasks, w, 0.1, 3000, 1e-6, eval_task=1, check_every=50)

    both = run(np.arange(2))
    for i in range(2):
        one = run(np.array([i]))
        assert one.steps[0] == both.steps[i]
        np.testing.assert_allclose(one.weights.betas()[:, 0], both.weights.betas()[:, i], rtol=1e-10, atol=1e-14)
        assert one.min_eval_loss[0] == pytest.approx(both.min_eval_loss[i])
    assert np.all(both.min_eval_loss <= both.final_eval_loss + 1e-15)


def test_pretraining_by_gd_approaches_the_closed_form_and_moves_ptft_on_the_way(problem):
    """`pretrain_steps: 0` is the closed form; GD pretraining (the authors' protocol) approaches it slowly (the
    off-support weights stay near alpha, so the last residual directions barely move), ends at its cap short of
    it, and the first layer it leaves moves PT+FT: the longer the pretraining, the closer to the closed form."""
    from dln.multitask.experiments import pretrained_first_layer, pretrained_init

    dr, beta_aux, beta_main = problem
    spec = {"alpha": ALPHA, "d": D, "n_aux": N_AUX, "threshold": 1e-10, "lr_pretrain": 0.5}
    closed = pretrained_first_layer(dr, spec | {"pretrain_steps": 0})
    w_pos, _ = teachers.pretrained_weights(beta_aux, ALPHA)
    np.testing.assert_array_equal(closed.w_pos, w_pos)
    assert closed.steps == 0
    runs = [pretrained_first_layer(dr, spec | {"pretrain_steps": t}) for t in (300, 3000, 30000)]
    assert [r.steps for r in runs] == [300, 3000, 30000]
    assert runs[0].train_mse > runs[1].train_mse > runs[2].train_mse > 1e-10
    gaps = [np.max(np.abs(r.w_pos - w_pos)) for r in runs]
    assert gaps[0] > gaps[1] > gaps[2]
    X = dr.X_main[:N]

    def ptft_loss(first) -> float:
        init = pretrained_init(first, spec, 1.0)
        return float(np.sum((exact.gradient_flow_limit(X, X @ beta_main, init) - beta_main) ** 2))

    losses = [ptft_loss(r) for r in runs]
    assert losses[0] > losses[1] > losses[2] > 1.5 * ptft_loss(closed), losses


def test_linear_probe_iterate_is_gd_with_an_oscillating_fast_mode():
    """A step size where the fastest mode's factor 1 - a lam is negative (0 < a lam < 2): the closed form still
    equals GD's iterate and minimum over checkpoints."""
    rng = np.random.default_rng(5)
    X = rng.standard_normal((4, 10))
    star = np.zeros(10)
    star[:3] = 0.7
    init = exact.stl_init(10, 0.5)
    k = init.w_pos**2 + init.w_neg**2
    lr = 1.5 * 4 / (2 * np.linalg.eigvalsh((X * k) @ X.T).max())  # a lam_max = 1.5
    probe = exact.linear_probe(X, X @ star, init, lr, 300, 1e-30, star, 7)
    res = train_gd(
        [PoolTask(X, np.array([4]), star[None])],
        single(init),
        lr,
        300,
        1e-30,
        0,
        check_every=7,
        train_first_layer=False,
    )
    np.testing.assert_allclose(probe.beta, res.weights.betas()[0, 0], atol=1e-10)
    np.testing.assert_allclose(probe.min_loss, res.min_eval_loss[0], rtol=1e-9)
