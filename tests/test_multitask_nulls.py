"""Every multitask claim rejects each of its null models (issue 13) on small inputs: the closed-form penalties,
a synthetic GD-vs-prediction sample, and synthetic simulation arrays built from paper-like curves."""

from __future__ import annotations

import numpy as np
import pytest
from multitask_curves import paper_like_curves, synthetic_results

from dln.contract import Claim
from dln.multitask.claims import FAMILY
from dln.multitask.simulations import simulate_penalties
from dln.verdict import assess_claim, falsify, views

PENALTY_SPEC = {
    "gamma": 1e-3,
    "fd_step": 1e-3,
    "beta_log10_range": [-2, 2],
    "aux_magnitudes": [1e-3, 1.0, 1e3],
    "order_aux_log10_range": [-4, 2],
    "points": 81,
}


def validation_sample() -> dict[str, np.ndarray]:
    """Twelve GD-vs-prediction configurations that agree (as on the small run)."""
    rng = np.random.default_rng(5)
    pred = 10.0 ** rng.uniform(-5, 0, 12)
    method = np.repeat([0, 1, 1], 4)
    return {
        "seed": np.zeros(12, dtype=np.int64),
        "method": method,
        "method_names": np.array(["stl", "ptft"]),
        "c": np.where(method == 0, 0.0, np.repeat([0.0, 1.0, 0.1], 4)),
        "overlap": np.tile([5, 5, 0, 0], 3),
        "n": np.tile([16, 32], 6),
        "pred": pred,
        "gd": pred * rng.uniform(0.95, 1.05, 12),
        "gd_min": pred,
        "baseline": np.ones(12),
        "max_beta_gap": np.full(12, 1e-3),
        "teacher_max": np.full(12, 0.2),
        "steps": np.full(12, 1000, dtype=np.int64),
        "status": np.zeros(12, dtype=np.int64),
    }


def inputs(claim: Claim) -> dict[str, dict[str, np.ndarray]]:
    if claim.simulations == ("penalties",):
        return {"penalties": simulate_penalties(PENALTY_SPEC, 0)}
    if claim.simulations == ("validation",):
        return {"validation": validation_sample()}
    return {s: a for s, a in synthetic_results(paper_like_curves(), seeds=3).items() if s in claim.simulations}


CLAIMS = [c for c in FAMILY.claims.values() if c.id != "nested_feature_selection"]


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_every_null_is_rejected(claim: Claim) -> None:
    arrays = inputs(claim)
    verdict = assess_claim(FAMILY, claim, arrays, {})
    assert verdict.holds, [c.text() for c in verdict.checks if not c.passed]
    outcomes = falsify(FAMILY, claim, arrays, {})
    assert len(outcomes) >= 3
    paper_scale_only = {n.name for n in claim.nulls if n.optional}  # their checks are made at paper scale only
    accepted = [o.name for o in outcomes if not o.rejected and not (o.name in paper_scale_only and not o.informative)]
    assert not accepted, accepted


def test_nested_nulls_are_rejected_where_the_paper_like_data_hold() -> None:
    """On paper-like curves every check holds (MTL benefits from sparsity there), so every null is informative."""
    claim = FAMILY.claims["nested_feature_selection"]
    arrays = inputs(claim)
    verdict = assess_claim(FAMILY, claim, arrays, {})
    assert verdict.holds
    outcomes = falsify(FAMILY, claim, arrays, {})
    optional = {n.name for n in claim.nulls if n.optional}
    assert all(o.rejected or o.name in optional for o in outcomes), [(o.name, o.failed_checks) for o in outcomes]


def test_a_null_keeps_keys_shapes_and_dtypes() -> None:
    claim = FAMILY.claims["shared_features_help"]
    arrays = inputs(claim)
    base = views(FAMILY, claim, arrays)
    for null in claim.nulls:
        for sim, updates in null.transform(base, {}).items():
            for key, value in updates.items():
                assert value.shape == arrays[sim][key].shape and value.dtype == arrays[sim][key].dtype, key
