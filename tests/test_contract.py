"""The claim contract: check records, result layouts and views, families, verdicts on null models, tables."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dln import checks as C
from dln.contract import Assessment, Claim, Family, Null, Paper, Simulation, claim_table, derived, simulation_table
from dln.layout import Group, Layout, LayoutError, f64, i8, i64, replaced
from dln.report import claims_markdown, failing_claims, falsification_markdown, null_summary, robustness_markdown
from dln.status import Status, status_counts
from dln.verdict import assess_claim, falsify


# ------------------------------------------------------------------------------------------------- checks
def test_comparisons_decide_their_own_outcome() -> None:
    assert C.at_least("a", 2.0, 2.0).passed and not C.above("a", 2.0, 2.0).passed  # ties: strict fails
    assert C.at_most("a", 2.0, 2.0).passed and not C.below("a", 2.0, 2.0).passed
    assert C.within("a", 1.5, 1.0, 2.0).passed and not C.within("a", 2.5, 1.0, 2.0).passed
    for nonfinite in (float("nan"), None, float("inf"), "x"):
        assert not C.at_least("a", nonfinite, 0.0).passed or nonfinite == float("inf")
        assert not C.at_most("a", nonfinite, 0.0).passed


def test_each_checks_need_every_value_and_fail_when_empty() -> None:
    assert C.each_at_least("a", [3, 4], 3).passed and not C.each_above("a", [3, 4], 3).passed
    assert not C.each_at_most("a", [], 1.0).passed
    assert not C.each_below("a", [0.5, np.nan], 1.0).passed
    assert C.each_within("a", np.array([1.0, 1.5]), 1.0, 2.0).passed
    assert C.each_at_least("a", np.array([1, 2]), 1).measured == [1, 2]  # numpy values become plain JSON


def test_check_records_serialise_and_reject_duplicate_names() -> None:
    c = C.true("monotone", True, {"spread=1": True}, "strictly decreasing")
    assert c.to_json() == {
        "name": "monotone",
        "measured": {"spread=1": True},
        "comparison": "is true",
        "threshold": "strictly decreasing",
        "passed": True,
    }
    with pytest.raises(ValueError, match="duplicate"):
        Assessment([c, c])
    assert not Assessment([]).holds  # no check: nothing was shown


def test_status_enum_values_are_the_documented_codes() -> None:
    assert [int(s) for s in Status] == [0, 1, 2]
    assert status_counts(np.array([0, 2, 2, 1], dtype=np.int8)) == {"converged": 1, "stalled": 1, "diverged": 2}


# ------------------------------------------------------------------------------------------------- layouts
LAYOUT = Layout(
    f64("times", "T"),
    i64("dims", "D"),
    Group("per_d", "d{}", Layout(f64("sgd/risk", "runs T"), f64("bstar", "d"), i8("sgd/status", "runs"))),
)


def _arrays(ds=(4, 8)) -> dict:
    out = {"times": np.linspace(0, 1, 5), "dims": np.asarray(ds)}
    for d in ds:
        out[f"d{d}/sgd/risk"] = np.ones((3, 5))
        out[f"d{d}/bstar"] = np.zeros(d)
        out[f"d{d}/sgd/status"] = np.zeros(3, dtype=np.int8)
    return out


def test_layout_view_reads_by_name_and_groups_by_index() -> None:
    r = LAYOUT.view(_arrays())
    assert list(r.per_d) == [4, 8]
    assert r.per_d[8].bstar.shape == (8,)  # 'd' is bound per group instance
    assert r.per_d[4].sgd.risk.shape == (3, 5) and r["per_d"][4]["sgd"]["status"].dtype == np.int8
    assert r.per_d[4].sgd.key("risk") == "d4/sgd/risk"
    with pytest.raises(AttributeError, match="no array or group"):
        r.risk  # noqa: B018


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda a: a.pop("times"), "missing 'times'"),
        (lambda a: a.update(extra=np.zeros(2)), "undeclared keys"),
        (lambda a: a.update(dims=np.asarray([4.0, 8.0])), "dtype float64, declared int64"),
        (lambda a: a.update({"d4/sgd/risk": np.ones((3, 6))}), "dimension T is 6 here but 5"),
        (lambda a: a.update({"d8/sgd/status": np.zeros((3, 1), dtype=np.int8)}), "declared dims"),
    ],
)
def test_layout_check_names_every_problem(mutate, message: str) -> None:
    arrays = _arrays()
    mutate(arrays)
    with pytest.raises(LayoutError, match=message):
        LAYOUT.check(arrays, "test/sim")


def test_optional_arrays_and_membership() -> None:
    layout = Layout(f64("times", "T"), f64("raw/risk", "runs T", optional=True))
    r = layout.view({"times": np.zeros(3)})
    assert "times" in r and "raw" not in r and "raw/risk" not in r
    with pytest.raises(KeyError, match="optional array 'raw/risk' is absent"):
        r.raw.risk  # noqa: B018
    assert "raw" in layout.view({"times": np.zeros(3), "raw/risk": np.zeros((2, 3))})


def test_replaced_keeps_shapes_and_dtypes() -> None:
    arrays = _arrays()
    out = replaced(arrays, {"d4/sgd/status": np.full(3, 2)})
    assert out["d4/sgd/status"].dtype == np.int8 and arrays["d4/sgd/status"][0] == 0  # a copy
    with pytest.raises(LayoutError, match="shape"):
        replaced(arrays, {"times": np.zeros(4)})
    with pytest.raises(KeyError):
        replaced(arrays, {"nope": np.zeros(1)})
    with pytest.raises(TypeError):
        replaced(arrays, {"dims": np.asarray([1.5, 2.5])})  # float into int: not the same kind


def test_under_moves_fields_and_describe_lists_them() -> None:
    sub = Layout(f64("u", "runs d"), i8("status", "runs")).under("sgd")
    assert [f.key for f in sub.fields] == ["sgd/u", "sgd/status"]
    text = "\n".join(LAYOUT.describe())
    assert "d{}/" in text and "sgd/risk" in text


# ------------------------------------------------------------------------------------------------- families
@dataclasses.dataclass(frozen=True)
class _T:
    gain_min: float = 2.0


SIM_LAYOUT = Layout(f64("a", "S"), f64("b", "S"))


def _assess(results, specs) -> Assessment:
    r = results["toy"]
    return Assessment([C.each_at_least("b_over_a", r.b / r.a, _T().gain_min)], {"ratio": (r.b / r.a).tolist()})


def _null_no_gain(results, specs) -> dict:
    r = results["toy"]
    return {"toy": {r.key("b"): r.a}}


def _family(**claim_kw) -> Family:
    sim = Simulation("toy", 1, lambda spec, seed: {"a": np.ones(3), "b": np.full(3, 3.0)}, SIM_LAYOUT, "toy")
    claim = Claim(
        "toy_claim",
        "b exceeds a by a factor {gain_min:g}",
        derived("a test"),
        ("toy",),
        _assess,
        nulls=(Null("no_gain", "the gain", _null_no_gain, ("b_over_a",)),),
        **claim_kw,
    )
    return Family("toy", "Toy", Paper("A", 2000, "T", "V"), _T(), simulation_table(sim), claim_table(claim))


def test_statement_is_formatted_from_thresholds_and_unknown_names_are_rejected() -> None:
    fam = _family()
    assert fam.statement("toy_claim") == "b exceeds a by a factor 2"
    bad = Claim("x", "needs {missing}", derived("x"), ("toy",), _assess)
    with pytest.raises(ValueError, match="unknown thresholds"):
        Family("toy", "Toy", Paper("A", 2000, "T", "V"), _T(), fam.simulations, claim_table(bad))


def test_verdict_and_falsification_records() -> None:
    fam = _family()
    claim = fam.claims["toy_claim"]
    arrays = {"toy": {"a": np.ones(3), "b": np.full(3, 3.0)}}
    v = assess_claim(fam, claim, arrays, {"toy": {}}, seed=7)
    record = v.to_json()
    assert record["holds"] and record["source_kind"] == "derived" and record["parameters"]["seed"] == 7
    assert record["thresholds"] == {"b_over_a": 2.0}
    (outcome,) = falsify(fam, claim, arrays, {"toy": {}})
    assert outcome.rejected and outcome.caught_by == ("b_over_a",)
    weak = {"toy": {"a": np.ones(3), "b": np.full(3, 1.5)}}
    (idle,) = falsify(fam, claim, weak, {"toy": {}})  # the target already fails on the data
    assert not idle.informative and not idle.rejected
    with pytest.raises(LayoutError):
        assess_claim(fam, claim, {"toy": {"a": np.ones(3)}}, {"toy": {}})


def test_an_optional_null_whose_checks_are_not_made_is_reported_not_applicable() -> None:
    """A null of a check made at some sizes only (the published agreement at paper scale) is neither rejected nor
    accepted where that check is not made, and the tables say so instead of calling it not discriminating."""
    elsewhere = Null("only_at_scale", "a check made elsewhere", _null_no_gain, ("not_made_here",), optional=True)
    fam = _family()
    claim = dataclasses.replace(fam.claims["toy_claim"], nulls=(*fam.claims["toy_claim"].nulls, elsewhere))
    arrays = {"toy": {"a": np.ones(3), "b": np.full(3, 3.0)}}
    real, idle = falsify(fam, claim, arrays, {"toy": {}})
    assert real.rejected and not idle.applicable and not idle.informative and not idle.rejected
    record = {"id": "toy_claim", "nulls": [real.to_json(), idle.to_json()]}
    assert "1 not applicable" in null_summary(record) and "not discriminating" not in null_summary(record)
    assert "not applicable" in falsification_markdown([record])


def _record(cid: str, passed: bool, known: dict | None = None) -> dict:
    return {
        "id": cid,
        "source": "derived in this project (x)",
        "statement": "s",
        "holds": passed,
        "checks": [{"name": "c", "measured": 1.0, "comparison": ">=", "threshold": 2.0, "passed": passed}],
        "known_deviations": known or {},
    }


def test_strict_mode_fails_on_unexpected_failures_and_accepted_nulls() -> None:
    ok, bad, known = _record("ok", True), _record("bad", False), _record("known", False, {"c": "finding"})
    accepted = {"ok": {"id": "ok", "nulls": [{"name": "n", "informative": True, "rejected": False}]}}
    assert failing_claims([ok, bad, known]) == ["bad"]
    assert failing_claims([ok], accepted) == ["ok"]
    table = claims_markdown([ok, known], accepted)
    assert "0 / 1 rejected" in table and "known deviation: c: finding" in table


def test_falsification_and_robustness_tables() -> None:
    null = {"name": "n", "removes": "r", "targets": ["c"], "failed_checks": ["c"], "caught_by": ["c"]}
    text = falsification_markdown([{"id": "x", "nulls": [null | {"informative": True, "rejected": True}]}])
    assert "| `x` | `n` | r | rejected | c (targets: c) | none |" in text
    rob = robustness_markdown({1: [_record("x", True)], 2: [_record("x", False)]})
    assert "| `x` | 1 / 2 | **fragile** |" in rob
