"""The stepsizes family end to end on a tiny sweep: registry wiring, output layout, assess functions run."""

import numpy as np
import pytest

from dln.registry import families
from dln.stepsizes.sweep import KINDS, plan_rows
from dln.verdict import assess_claim, falsify

CLAIMS = {
    "exact_implicit_problem",
    "large_steps_help_sgd",
    "large_steps_hurt_gd",
    "gain_shape",
    "edge_of_stability",
    "batch_size_and_gain",
}
TINY = {
    "n": 10,
    "d": 15,
    "s": 2,
    "alpha": 0.1,
    "seeds": 2,
    "batch_sizes": [1, 10],
    "gd_grid": [0.5, 16.0],
    "sgd_grid": [0.3, 8.0],
    "grid_points": 6,
    "bisection_rounds": 1,
    "bisection_points": 1,
    "gd_horizon": 20000,
    "sgd_horizon": 10000,
    "converged_loss": 1e-10,
    "sweep_horizon_factor": 2.0,
    "sweep_converged_loss": 1e-20,
    "stop_loss": 1e-24,
    "fractions": [0.2, 0.5, 0.9, 1.0],
    "sgd_repeats": 1,
    "eos_below": 0.9,
    "eos_window": [0.5],
    "dense_loss_steps": 200,
    "records": 10,
}


def test_family_declares_the_six_claims_on_one_sweep():
    fam = families()["stepsizes"]
    assert set(fam.claims) == CLAIMS
    assert set(fam.simulations) == {"sweep"} and fam.simulations["sweep"].uid in range(300, 400)
    assert all(c.simulations == ("sweep",) for c in fam.claims.values())


def test_plan_rows_kinds_and_windows():
    gmax = np.array([[1.0, 2.0], [4.0, 3.0]])  # (methods b=1, GD) x seeds
    rows = plan_rows(gmax, np.array([1, 10]), 10, np.array([3.0, 3.5]), np.array([0.5, 1.0]), 2, 0.9, np.array([0.5]))
    kinds = [KINDS[k] for k in rows["kind"]]
    assert kinds.count("eos_below") == 2
    assert kinds.count("eos_window") == 1  # seed 1 has gamma_max^GD < gamma_EoS: no window
    win = rows["kind"] == KINDS.index("eos_window")
    assert rows["stepsize"][win][0] == pytest.approx(3.5)
    common = rows["kind"] == KINDS.index("common")
    np.testing.assert_allclose(np.unique(rows["stepsize"][common]), [0.5, 1.0, 2.0])  # f * gamma_max(b=1)


@pytest.fixture(scope="module")
def tiny_results():
    fam = families()["stepsizes"]
    return {"sweep": fam.simulations["sweep"].run(TINY, 5)}


def test_tiny_sweep_layout_and_assessments(tiny_results):
    r = tiny_results["sweep"]
    for key in ("X", "y", "beta_star", "gamma_max", "gamma_eos", "gamma_max_rule", "gd/u", "sgd/gain", "gd/dense_loss"):
        assert key in r
    assert r["gamma_max"].shape == (2, 2)
    assert np.all(np.isfinite(r["gamma_max"]))
    assert np.all(r["gamma_max"][1] > r["gamma_max"][0])  # GD tolerates larger stepsizes than SGD b=1
    fam = families()["stepsizes"]
    fam.simulations["sweep"].layout.check(r)  # every key declared, dims and dtypes as declared
    for cid, claim in fam.claims.items():
        a = assess_claim(fam, claim, tiny_results, {"sweep": TINY})
        assert a.checks, cid
        assert isinstance(a.holds, bool)


def test_exact_implicit_problem_rejects_its_nulls_on_the_tiny_sweep(tiny_results):
    """The prediction from the tracked gains tells the trained solution from gradient flow's and from the problem
    without its reference point (read off the final iterate instead, both would pass: an identity)."""
    fam = families()["stepsizes"]
    claim = fam.claims["exact_implicit_problem"]
    verdict = assess_claim(fam, claim, tiny_results, {"sweep": TINY})
    assert verdict.holds, [c.text() for c in verdict.checks if not c.passed]
    outcomes = falsify(fam, claim, tiny_results, {"sweep": TINY})
    assert {o.name for o in outcomes} == {"gradient_flow_solution", "no_reference_point", "gain_without_the_half"}
    assert all(o.informative and o.rejected for o in outcomes), [(o.name, o.failed_checks) for o in outcomes]
