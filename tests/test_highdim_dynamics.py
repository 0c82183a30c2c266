"""Streaming SGD and HSGD of the highdim family: Delta law per step, stream reproduction, SDE coefficients."""

from __future__ import annotations

import numpy as np
import pytest

from dln.highdim import observables as obs
from dln.highdim.hsgd import run_hsgd_raw, run_hsgd_reduced
from dln.highdim.model import coordinate_types, make_problem, reduced_coordinates
from dln.highdim.recording import time_grid
from dln.highdim.sgd import reference_sgd, run_sgd, sgd_update

SPEC = {"rho": 0.1, "alpha": 0.3, "gamma": 0.5, "sigma": 0.1, "covariance": "two_level"}


def test_delta_law_holds_exactly_per_step() -> None:
    rng = np.random.default_rng(0)
    u, v, g = rng.normal(size=(3, 1000))
    u1, v1 = sgd_update(u, v, g)
    np.testing.assert_allclose(u1**2 - v1**2, (1.0 - g**2) * (u**2 - v**2), rtol=1e-12, atol=1e-12)


def test_sgd_reproduces_plain_loop_and_delta_law() -> None:
    d = 40
    problem = make_problem(SPEC, d)
    types = coordinate_types(problem)
    times = np.array([0.0, 3.0])
    out = run_sgd(problem, types, [np.random.default_rng(7)], times, block=16)
    u, v, gs = reference_sgd(problem, np.random.default_rng(7), 3 * d)
    np.testing.assert_allclose(out["sgd/u"][0], u, rtol=1e-12)
    np.testing.assert_allclose(out["sgd/v"][0], v, rtol=1e-12)
    delta0 = problem.u0**2 - problem.v0**2
    np.testing.assert_allclose(u**2 - v**2, delta0 * np.prod([1.0 - g**2 for g in gs], axis=0), rtol=1e-10)
    np.testing.assert_allclose(out["sgd/risk"][0, -1], obs.risk(obs.from_uv(u, v, problem.lam, problem.bstar), 0.1))


@pytest.mark.parametrize("batch", [1, 3])
def test_sgd_matches_oracle_for_many_runs_and_records(batch: int) -> None:
    """Several runs, records and snapshots between blocks, mini-batches: every run ends where the oracle does,
    and the risk integral is the sum of the per-step risks."""
    d, runs = 50, 3
    problem = make_problem(SPEC, d, batch=batch, gamma=0.3)
    types = coordinate_types(problem)
    times = time_grid(4.0, 7)
    out = run_sgd(problem, types, [np.random.default_rng(i) for i in range(runs)], times, np.array([1.5]), block=9)
    assert out["sgd/zeta_snapshots"].shape == (1, runs, d)
    for i in range(runs):
        u, v, _ = reference_sgd(problem, np.random.default_rng(i), 4 * d)
        np.testing.assert_allclose(out["sgd/u"][i], u, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(out["sgd/v"][i], v, rtol=1e-12, atol=1e-14)
    assert np.all(np.diff(out["sgd/int_risk"], axis=1) > 0)
    assert np.all(out["sgd/status"] == 0)


def test_sde_coefficients_match_one_step_sgd_moments() -> None:
    """Mean and covariance of one SGD increment of (u_i, v_i), times d, against the HSGD drift and diffusion."""
    d, M = 50, 200_000
    rng = np.random.default_rng(1)
    lam = np.where(np.arange(d) < d // 2, 0.5, 1.5)
    bstar = (np.arange(d) % 5 == 0).astype(float)
    u, v = rng.normal(0.8, 0.3, d), rng.normal(0.4, 0.3, d)
    gamma, sigma = 0.5, 0.2
    e = u * v - bstar
    R = 0.5 * np.mean(lam * e * e) + 0.5 * sigma**2
    du_sum = np.zeros(d)
    dv_sum = np.zeros(d)
    moments = np.zeros((3, d))
    for _ in range(M // 20_000):
        x = rng.standard_normal((20_000, d)) * np.sqrt(lam / d)
        r = x @ e - sigma * rng.standard_normal(20_000)
        g = gamma * r[:, None] * x
        du, dv = -g * v, -g * u
        du_sum += du.sum(0)
        dv_sum += dv.sum(0)
        moments += np.stack([(du * du).sum(0), (du * dv).sum(0), (dv * dv).sum(0)])
    mean_u, mean_v = du_sum / M * d, dv_sum / M * d
    np.testing.assert_allclose(mean_u, -gamma * lam * v * e, atol=0.05 * np.max(np.abs(gamma * lam * v * e)) + 0.02)
    np.testing.assert_allclose(mean_v, -gamma * lam * u * e, atol=0.05 * np.max(np.abs(gamma * lam * u * e)) + 0.02)
    # second moments per unit time: 2 gamma^2 lam R [v^2, uv, u^2] + O(1/d) (rank-one Wick term, exact below)
    wick = 2.0 * R * lam + 2.0 * lam**2 * e**2 / d
    pred = gamma**2 * wick * np.stack([v * v, u * v, u * u])
    np.testing.assert_allclose(moments / M * d, pred, rtol=0.03, atol=1e-4)
    hsgd = 2.0 * gamma**2 * lam * R * np.stack([v * v, u * v, u * u])  # HSGD keeps the d -> infinity part
    assert np.all(np.abs(pred - hsgd) <= np.abs(pred) * np.max(lam * e**2 / (d * R)) + 1e-15)


def test_hsgd_raw_and_reduced_agree_in_distribution() -> None:
    problem = make_problem({**SPEC, "covariance": "isotropic", "alpha": 0.1}, 400)
    types = coordinate_types(problem)
    times = time_grid(4.0, 5)
    rngs = [np.random.default_rng(i) for i in range(8)]
    red = np.median(run_hsgd_reduced(problem, types, rngs, times, 0.01)["hsgd/risk"], axis=0)
    rngs = [np.random.default_rng(100 + i) for i in range(8)]
    raw = np.median(run_hsgd_raw(problem, types, rngs, times, 0.01)["hsgd_raw/risk"], axis=0)
    np.testing.assert_allclose(red, raw, rtol=0.03)


def test_reduced_coordinates_round_trip() -> None:
    rng = np.random.default_rng(2)
    u, v = rng.normal(size=(2, 100))
    delta, zeta = reduced_coordinates(u, v)
    st = obs.from_reduced(delta, zeta, np.full(100, 0.01), np.ones(100), np.zeros(100))
    np.testing.assert_allclose(st.beta, u * v, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(st.s, u * u + v * v, rtol=1e-10)


def test_noise_streams_do_not_depend_on_block_size() -> None:
    problem = make_problem({**SPEC, "covariance": "isotropic"}, 60)
    types = coordinate_types(problem)
    times = time_grid(2.0, 3)
    outs = [
        run_hsgd_raw(problem, types, [np.random.default_rng(i) for i in range(3)], times, 0.01, block=b)
        for b in (256, 7)
    ]
    np.testing.assert_array_equal(outs[0]["hsgd_raw/risk"], outs[1]["hsgd_raw/risk"])
    sgd = [run_sgd(problem, types, [np.random.default_rng(5)], times, block=b)["sgd/u"] for b in (64, 5)]
    np.testing.assert_array_equal(sgd[0], sgd[1])
