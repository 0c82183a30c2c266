"""Penalties of Lippl & Lindsey 2024 against closed forms and finite differences; the conservation law."""

import numpy as np
import pytest

from dln.multitask import penalties as P
from dln.multitask.claims import conservation_law_verdict, penalty_shapes_verdict
from dln.multitask.simulations import PENALTIES, simulate_penalties

SPEC = {
    "gamma": 1e-3,
    "fd_step": 1e-3,
    "beta_log10_range": [-2, 2],
    "aux_magnitudes": [1e-3, 1.0, 1e3],
    "order_aux_log10_range": [-4, 2],
    "points": 81,
}


def test_q_matches_definition_and_limits():
    z = np.array([1e-3, 0.5, 3.0, 50.0])
    naive = 2 - np.sqrt(4 + z**2) + z * np.arcsinh(z / 2)
    np.testing.assert_allclose(P.q(z), naive, rtol=1e-6)
    np.testing.assert_allclose(P.q(1e-4), 1e-8 / 4, rtol=1e-6)
    np.testing.assert_allclose(P.q(-z), P.q(z))


@pytest.mark.parametrize("z", [0.01, 0.7, 4.0, 200.0])
def test_q_prime_finite_difference(z):
    h = 1e-6 * max(1.0, z)
    assert P.q_prime(z) == pytest.approx((P.q(z + h) - P.q(z - h)) / (2 * h), rel=1e-6)


@pytest.mark.parametrize("b,a", [(0.3, 1.0), (2.0, 0.01), (1e-2, 1e3), (5.0, 5.0)])
def test_penalty_derivatives_match_finite_differences(b, a):
    """d P / d b against central differences, for both penalties (gamma = 0 and 1e-3)."""
    h = 1e-6 * b
    d_mtl = (P.p_mtl(b + h, a) - P.p_mtl(b - h, a)) / (2 * h)
    assert d_mtl == pytest.approx(b / np.sqrt(b * b + a * a), rel=1e-6)
    for gamma in (0.0, 1e-3):
        s = a + gamma**2
        d_ft = (P.p_ft(b + h, a, gamma) - P.p_ft(b - h, a, gamma)) / (2 * h)
        assert d_ft == pytest.approx(2 * P.q_prime(2 * b / s), rel=1e-6)


def test_orders_closed_form_and_conservation():
    b, a = np.ones(50), np.logspace(-4, 2, 50)
    for fn, exact in ((P.p_mtl, P.order_mtl), (P.p_ft, P.order_ft)):
        order, dep = P.log_derivatives(fn, b, a, 1e-4)
        np.testing.assert_allclose(order, exact(b, a), atol=1e-6)
        np.testing.assert_allclose(order + dep, 1.0, atol=1e-8)
    # table of the spec: MTL 1 + b/sqrt(1+b^2), PT+FT 1.230 at beta_aux = 1e-2
    assert P.order_ft(1.0, 1e-2) == pytest.approx(1.230, abs=2e-3)
    assert P.order_mtl(1.0, 1.0) == pytest.approx(1 + 1 / np.sqrt(2))


def view(arrays):
    return PENALTIES.view(arrays)


def test_verdicts_hold_on_the_penalties():
    r = view(simulate_penalties(SPEC, 0))
    assert penalty_shapes_verdict(r).holds
    assert conservation_law_verdict(r).holds


def test_penalty_shapes_fails_on_wrong_curves():
    r = dict(simulate_penalties(SPEC, 0))
    r["mtl/slope"] = np.full_like(r["mtl/slope"], 1.5)  # no l1 or l2 limit
    a = penalty_shapes_verdict(view(r))
    assert not a.holds and not a.check("mtl_slope_2_when_aux_dominates").passed
    r = dict(simulate_penalties(SPEC, 0))
    r["ft/penalty_vs_aux"] = r["ft/penalty_vs_aux"][:, ::-1]  # increasing in beta_aux
    assert not penalty_shapes_verdict(view(r)).check("ft_decreases_in_beta_aux").passed


def test_conservation_law_fails_when_broken_or_swapped():
    r = dict(simulate_penalties(SPEC, 0))
    r["ft/dependence"] = r["ft/dependence"] + 0.01
    assert not conservation_law_verdict(view(r)).check("conservation_law").passed
    r = dict(simulate_penalties(SPEC, 0))
    r["mtl/order"], r["ft/order"] = r["ft/order"], r["mtl/order"]
    a = conservation_law_verdict(view(r))
    assert not a.check("ft_order_ge_mtl_order").passed and not a.holds
