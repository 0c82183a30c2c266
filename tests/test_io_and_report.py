"""Atomic, deterministic result files and the claims table."""

from __future__ import annotations

import json

import numpy as np
import pytest

from dln import io
from dln.report import claims_markdown, failing_claims, summary_lines


def test_npz_bytes_are_deterministic_and_round_trip(tmp_path) -> None:
    arrays = {"b": np.arange(5.0), "a/x": np.eye(2), "status": np.array([0, 2], dtype=np.int8)}
    io.save_npz(tmp_path / "one.npz", arrays)
    io.save_npz(tmp_path / "two.npz", dict(reversed(list(arrays.items()))))
    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()
    back = io.load_npz(tmp_path / "one.npz")
    assert set(back) == set(arrays)
    np.testing.assert_array_equal(back["a/x"], np.eye(2))


def test_failed_write_leaves_no_file(tmp_path) -> None:
    target = tmp_path / "out.json"
    with pytest.raises(RuntimeError), io.atomic_path(target) as tmp:
        tmp.write_text("partial")
        raise RuntimeError("killed mid-write")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_json_is_strict_with_non_finite_numbers(tmp_path) -> None:
    io.write_json(tmp_path / "v.json", {"x": float("nan"), "y": np.array([1.0, np.inf])})
    assert json.loads((tmp_path / "v.json").read_text()) == {"x": None, "y": [1.0, None]}


def _check(name: str, passed: bool, measured: float | None = 0.5) -> dict:
    return {"name": name, "measured": measured, "comparison": "<=", "threshold": 1.0, "passed": passed}


def test_claims_table_and_failures() -> None:
    verdicts = [
        {"id": "a", "source": "X", "statement": "S", "holds": True, "checks": [_check("c", True)]},
        {"id": "b", "source": "X", "statement": "T", "holds": False, "checks": [_check("c", False, None)]},
    ]
    table = claims_markdown(verdicts)
    assert "1 of 2 claims hold" in table and "**does not hold**" in table
    assert "✓ c: 0.5 <= 1" in table and "✗ c: n/a <= 1" in table
    assert failing_claims(verdicts) == ["b"]
    assert any("failed checks: c" in line for line in summary_lines(verdicts))


def test_known_deviations_are_reported_but_tolerated_only_for_their_checks() -> None:
    base = {"source": "X", "statement": "S", "holds": False, "known_deviations": {"mtl": "does not reproduce"}}
    only_known = dict(base, id="k", checks=[_check("mtl", False), _check("ft", True)])
    also_other = dict(base, id="o", checks=[_check("mtl", False), _check("ft", False)])
    no_checks = dict(base, id="n", checks=[])
    assert failing_claims([only_known, also_other, no_checks]) == ["o", "n"]
    table = claims_markdown([only_known])
    assert "known deviation: mtl: does not reproduce" in table
    assert any("mtl [known deviation]" in line for line in summary_lines([only_known]))
