"""The two limit solvers against each other and the lazy limit against the least-squares Volterra equation."""

from __future__ import annotations

import numpy as np

from dln.highdim.conventions import Units, from_c1, to_c1
from dln.highdim.limit_fokker_planck import Grid, initial_density, run_fokker_planck, sg_coefficients
from dln.highdim.limit_particles import run_particles
from dln.highdim.model import coordinate_types, covariance, make_problem
from dln.highdim.predictions import late_rate, lazy_volterra_risk, noise_floor
from dln.highdim.recording import time_grid


def test_particles_and_finite_volumes_agree() -> None:
    problem = make_problem({"rho": 0.1, "alpha": 0.1, "gamma": 0.5, "sigma": 0.1}, 1000)
    types = coordinate_types(problem)
    times = time_grid(6.0, 7)
    fv = run_fokker_planck(types, 0.5, 0.1, 1, Grid(-4.0, 8.0, 0.005), 0.01, times)
    pa = run_particles(types, 0.5, 0.1, 1, 20_000, 0.005, times, np.random.default_rng(0))
    np.testing.assert_allclose(fv["fv/risk"], pa["particles/risk"], rtol=0.02)
    np.testing.assert_allclose(fv["fv/curvature"], pa["particles/curvature"], rtol=0.02)
    np.testing.assert_allclose(fv["fv/log_delta_ratio"], pa["particles/log_delta_ratio"], rtol=0.02)


def test_finite_volume_conserves_mass_and_upwinds_without_diffusion() -> None:
    grid = Grid(-1.0, 1.0, 0.01)
    q = initial_density(grid, np.array([0.0, 0.5]), 0.05)
    np.testing.assert_allclose(q.sum(axis=1) * grid.dz, 1.0)
    A, C = sg_coefficients(np.array([2.0, -2.0]), np.array([0.0, 0.0]), 0.01)
    np.testing.assert_allclose(A, [2.0, 0.0])
    np.testing.assert_allclose(C, [0.0, 2.0])


def test_lazy_limit_matches_volterra_equation() -> None:
    """Large alpha: s stays ~ Delta0, the risk solves the least-squares Volterra equation with H = diag(lam s)."""
    gamma, sigma, alpha = 0.03, 0.1, 3.0
    problem = make_problem({"rho": 0.2, "alpha": alpha, "gamma": gamma, "sigma": sigma, "covariance": "two_level"}, 100)
    types = coordinate_types(problem)
    times = time_grid(8.0, 801)
    pa = run_particles(types, gamma, sigma, 1, 2000, 0.01, times, np.random.default_rng(3))
    s0 = np.abs(types.delta0)
    vol = lazy_volterra_risk(types.weight, types.lam, s0, -types.bstar, gamma, sigma, times)
    np.testing.assert_allclose(pa["particles/risk"], vol, rtol=0.02)


def test_predictions() -> None:
    w, lam, bstar = np.array([0.9, 0.1]), np.ones(2), np.array([0.0, 1.0])
    delta = np.array([0.02, 0.02])
    r = late_rate(w, lam, bstar, delta, 0.5)
    s = np.sqrt(delta**2 + 4 * bstar**2)
    np.testing.assert_allclose(0.25 * np.sum(w * s**2 / (s - r)), 1.0, rtol=1e-8)
    assert 0 < r < 2 * 0.5 * 0.02
    np.testing.assert_allclose(noise_floor(0.1, 0.5, 0.2), 0.005 / 0.95)
    assert np.isinf(noise_floor(0.1, 20.0, 0.2))


def test_conventions_round_trip_and_covariances() -> None:
    for conv in ("C1", "C2", "C3"):
        units = from_c1(0.5, 0.1, 400, conv)
        np.testing.assert_allclose(to_c1(units, 400, conv), (0.5, 0.1))
    assert from_c1(0.5, 0.1, 400, "C2") == Units(0.5 / 400, 0.1 * 20, 400.0)
    for kind in ("isotropic", "two_level", "power_law"):
        np.testing.assert_allclose(covariance(1000, kind).mean(), 1.0)
    p = make_problem({"rho": 0.1, "alpha": 0.1, "gamma": 0.5, "covariance": "power_law"}, 1000)
    t = coordinate_types(p, 8)
    np.testing.assert_allclose(np.sum(t.weight * t.lam), 1.0)
    np.testing.assert_allclose(np.sum(t.weight * t.lam * t.bstar**2), np.mean(p.lam * p.bstar**2))
