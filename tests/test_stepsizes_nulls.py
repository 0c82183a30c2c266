"""Null models of the stepsizes family: on a synthetic sweep where the claims hold, every null is rejected by
one of its target checks (exact_implicit_problem's nulls: on the tiny trained sweep, test_stepsizes_family)."""

from __future__ import annotations

import numpy as np
import pytest
from stepsizes_world import synthetic_sweep

from dln.registry import families
from dln.verdict import assess_claim, falsify

FAMILY = families()["stepsizes"]
SYNTHETIC = sorted(c for c in FAMILY.claims if c != "exact_implicit_problem")


@pytest.fixture(scope="module")
def world() -> dict[str, dict[str, np.ndarray]]:
    return {"sweep": synthetic_sweep()}


@pytest.mark.parametrize("cid", SYNTHETIC)
def test_claim_holds_on_the_synthetic_sweep_and_rejects_each_null(world, cid) -> None:
    claim = FAMILY.claims[cid]
    verdict = assess_claim(FAMILY, claim, world, {"sweep": {}})
    assert verdict.holds, [c.text() for c in verdict.checks if not c.passed]
    outcomes = falsify(FAMILY, claim, world, {"sweep": {}})
    assert [o.name for o in outcomes] == [n.name for n in claim.nulls] and len(outcomes) >= 2
    for o in outcomes:
        assert o.informative and o.rejected, (o.name, o.failed_checks)


def test_every_claim_has_a_null_per_sub_statement() -> None:
    for cid, claim in FAMILY.claims.items():
        targets = {t for n in claim.nulls for t in n.targets}
        assert len(claim.nulls) >= 2 and len(targets) >= 2, cid
        assert len({n.name for n in claim.nulls}) == len(claim.nulls), cid


def test_nulls_change_only_what_they_remove(world) -> None:
    """Each null replaces a few arrays of the sweep (same keys, shapes, dtypes) and leaves the rest alone."""
    from dln.verdict import views

    for claim in FAMILY.claims.values():
        base = views(FAMILY, claim, world)
        for null in claim.nulls:
            if claim.id == "exact_implicit_problem":
                continue
            updates = null.transform(base, {"sweep": {}})["sweep"]
            assert updates and set(updates) <= set(world["sweep"]), null.name
            assert any(not np.array_equal(world["sweep"][k], v) for k, v in updates.items()), null.name
