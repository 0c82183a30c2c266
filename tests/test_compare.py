"""`python -m dln compare A B`: on fabricated results folders (both verdict schemas), and end to end."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest

from dln import compare
from dln.cli import main

CONFIG = {"seed": 1, "strict": False, "implicit_bias": {"sgd_vs_gd": {"stepsize": 0.05, "steps": 1000}}}


def _check(name: str, measured: Any, passed: bool, comparison: str = ">=", threshold: Any = 1.5) -> dict[str, Any]:
    return {"name": name, "measured": measured, "comparison": comparison, "threshold": threshold, "passed": passed}


def _verdict(cid: str, checks: list[dict[str, Any]], holds: bool | None = None, **extra: Any) -> dict[str, Any]:
    """A verdict record in the new schema (checks as a list)."""
    return {
        "id": cid,
        "family": "implicit_bias",
        "paper": "P",
        "source": "Fig. 1 (checked against the paper's text)",
        "statement": f"statement of {cid}",
        "holds": all(c["passed"] for c in checks) if holds is None else holds,
        "checks": checks,
        "measured": {c["name"]: c["measured"] for c in checks},
        "thresholds": {c["name"]: c["threshold"] for c in checks},
        "parameters": {},
        "notes": "",
        "known_deviations": {},
        **extra,
    }


BASE = {
    "alpha": _verdict(
        "alpha",
        [_check("ratio", 2.0, True), _check("curve", [1.0, 2.0, 4.0], True, "<=", [2.0, 3.0, 5.0])],
    ),
    "beta": _verdict("beta", [_check("corr", 0.9, True, ">=", 0.8)]),
}


def _folder(root: Path, verdicts: dict[str, dict[str, Any]], config: dict[str, Any] | None = CONFIG) -> Path:
    (root / "claims").mkdir(parents=True)
    for cid, record in verdicts.items():
        (root / "claims" / f"{cid}.json").write_text(json.dumps(record))
    if config is not None:
        (root / "config.json").write_text(json.dumps(config, sort_keys=True))
    return root


def _pair(tmp_path: Path, b_verdicts: dict[str, dict[str, Any]], b_config: dict[str, Any] | None = CONFIG):
    return _folder(tmp_path / "a", BASE), _folder(tmp_path / "b", b_verdicts, b_config)


def _changed(b: dict[str, Any], cid: str, i: int, **fields: Any) -> dict[str, Any]:
    """A copy of ``b`` with check ``i`` of claim ``cid`` updated (and its claim's holds recomputed)."""
    out = copy.deepcopy(b)
    out[cid]["checks"][i].update(fields)
    out[cid]["holds"] = all(c["passed"] for c in out[cid]["checks"])
    return out


def test_identical_folders_exit_0(tmp_path, capsys) -> None:
    a, b = _pair(tmp_path, BASE)
    diff = compare.compare_folders(a, b)
    assert diff.changes == [] and diff.config == [] and diff.exit_status == 0
    assert main(["compare", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "2 claims, 0 changed" in out and "Verdicts changed: none." in out


def test_a_changed_verdict_exits_1_with_its_check_and_number(tmp_path, capsys) -> None:
    a, b = _pair(tmp_path, _changed(BASE, "beta", 0, measured=0.72, passed=False))
    diff = compare.compare_folders(a, b)
    assert diff.verdicts_changed == ["beta"] and diff.exit_status == 1
    kinds = {(c.kind, c.name): c for c in diff.changes}
    assert kinds[("verdict", "")].old is True and kinds[("verdict", "")].new is False
    assert kinds[("check", "corr")].new is False
    number = kinds[("number", "corr")]
    assert (number.old, number.new) == (0.9, 0.72) and number.relative == pytest.approx(0.2)
    assert main(["compare", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "| beta | verdict | holds | does not hold |" in out
    assert "| beta | measured corr | 0.9 | 0.72 | 20 % |" in out


def test_a_flipped_check_that_leaves_the_verdict_exits_0(tmp_path) -> None:
    """A claim that does not hold in either run (a known deviation) whose other check starts failing."""
    failing = _changed(BASE, "alpha", 0, measured=1.0, passed=False)
    a = _folder(tmp_path / "a", failing)
    b = _folder(tmp_path / "b", _changed(failing, "alpha", 1, measured=[1.0, 2.0, 6.0], passed=False))
    diff = compare.compare_folders(a, b)
    assert diff.exit_status == 0 and diff.verdicts_changed == []
    assert [(c.kind, c.name, c.old, c.new) for c in diff.changes if c.kind == "check"] == [
        ("check", "curve", True, False)
    ]


def test_numbers_are_compared_elementwise_with_a_tolerance(tmp_path) -> None:
    a, b = _pair(tmp_path, _changed(BASE, "alpha", 1, measured=[1.0, 2.0, 5.0]))
    (change,) = compare.compare_folders(a, b).changes
    assert (change.claim, change.kind, change.name) == ("alpha", "number", "curve")
    assert change.relative == pytest.approx(0.25)
    assert compare.compare_folders(a, b, rtol=0.3).changes == []
    assert compare.relative_change(0.0, 1e-9) == math.inf
    assert compare.relative_change([1.0, None], [1.0, None]) == 0.0
    assert compare.relative_change([1.0], [1.0, 2.0]) is None
    assert compare.relative_change(True, False) is None


def test_a_changed_rule_is_reported_as_a_threshold(tmp_path) -> None:
    a, b = _pair(tmp_path, _changed(BASE, "alpha", 0, threshold=2.0))
    (change,) = compare.compare_folders(a, b).changes
    assert (change.kind, change.name, change.old, change.new) == ("threshold", "ratio", ">= 1.5", ">= 2.0")


def test_config_keys_that_differ_are_dotted(tmp_path, capsys) -> None:
    config = copy.deepcopy(CONFIG)
    config["implicit_bias"]["sgd_vs_gd"]["stepsize"] = 0.06
    config["seed"] = 7
    config["new_key"] = True
    a, b = _pair(tmp_path, BASE, config)
    diff = compare.compare_folders(a, b)
    assert diff.exit_status == 0 and diff.config_source == "config.json"
    assert [(k.key, k.old, k.new) for k in diff.config] == [
        ("implicit_bias.sgd_vs_gd.stepsize", 0.05, 0.06),
        ("new_key", compare.MISSING, True),
        ("seed", 1, 7),
    ]
    assert main(["compare", str(a), str(b), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "implicit_bias.sgd_vs_gd.stepsize  0.05" in out and "new_key" in out and "—" in out


def _sidecar(root: Path, family: str, sim: str, spec: dict[str, Any], seed: int, numpy: str = "2.4.6") -> None:
    path = root / "sims" / family / f"{sim}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    provenance = {"numpy": numpy, "git_revision": "abc", "environment": {"packages": {"numpy": numpy}}}
    path.write_text(json.dumps({"spec": spec, "seed": {"entropy": seed}, "provenance": provenance}))


def test_without_config_json_the_sidecar_specs_are_compared(tmp_path) -> None:
    a = _folder(tmp_path / "a", BASE)  # has a config.json, b has not: both fall back to the sidecars
    b = _folder(tmp_path / "b", BASE, config=None)
    _sidecar(a, "implicit_bias", "sgd_vs_gd", {"stepsize": 0.05, "n": 40}, seed=1)
    _sidecar(b, "implicit_bias", "sgd_vs_gd", {"stepsize": 0.06, "n": 40}, seed=1, numpy="2.5.0")
    _sidecar(b, "multitask", "mtl.part0", {"ignored": 1}, seed=9)  # parts repeat their merged simulation
    diff = compare.compare_folders(a, b)
    assert diff.config_source.startswith("sims/")
    assert [(k.key, k.old, k.new) for k in diff.config] == [("implicit_bias.sgd_vs_gd.stepsize", 0.05, 0.06)]
    assert [(k.key, k.old, k.new) for k in diff.versions] == [("numpy", "2.4.6", "2.5.0")]
    assert "Package versions" in compare.render(diff)


def test_versions_from_old_sidecars_compare_on_the_packages_both_recorded(tmp_path) -> None:
    a, b = _folder(tmp_path / "a", BASE), _folder(tmp_path / "b", BASE)
    old = {"spec": {}, "provenance": {"numpy": "2.4.6", "scipy": "1.17.1", "python": "3.11.7", "git_revision": "a"}}
    (a / "sims" / "f").mkdir(parents=True)
    (a / "sims" / "f" / "s.json").write_text(json.dumps(old))
    _sidecar(b, "f", "s", {}, seed=1)  # full environment (numpy only here), git revision "abc", no python
    versions = {k.key: (k.old, k.new) for k in compare.compare_folders(a, b).versions}
    assert versions == {"git_revision": ("a", "abc"), "python": ("3.11.7", "missing")}


def _old_schema(record: dict[str, Any]) -> dict[str, Any]:
    """The same verdict in the schema of today's results folders: checks as a dict name -> bool."""
    out = {k: v for k, v in record.items() if k not in ("family", "source")}
    out["checks"] = {c["name"]: c["passed"] for c in record["checks"]}
    out["measured"] = {"detail": {c["name"]: c["measured"] for c in record["checks"]}}
    return out


def test_old_schema_folders_compare_checks_and_the_flattened_measured(tmp_path) -> None:
    old = {cid: _old_schema(r) for cid, r in BASE.items()}
    new = {cid: _old_schema(r) for cid, r in _changed(BASE, "beta", 0, measured=0.5, passed=False).items()}
    a, b = _folder(tmp_path / "a", old), _folder(tmp_path / "b", new)
    diff = compare.compare_folders(a, b)
    assert diff.exit_status == 1
    assert [(c.kind, c.name) for c in diff.changes] == [("verdict", ""), ("check", "corr"), ("number", "detail.corr")]
    assert compare.compare_folders(a, a).changes == []


def test_mixed_schemas_compare_on_the_measured_dict(tmp_path) -> None:
    a = _folder(tmp_path / "a", {cid: _old_schema(r) for cid, r in BASE.items()})
    b = _folder(tmp_path / "b", {cid: dict(r, measured={"detail": r["measured"]}) for cid, r in BASE.items()})
    assert compare.compare_folders(a, b).changes == []


def test_a_claim_missing_from_one_run_is_a_changed_verdict(tmp_path) -> None:
    a, b = _pair(tmp_path, {"alpha": BASE["alpha"]})
    diff = compare.compare_folders(a, b)
    assert diff.verdicts_changed == ["beta"] and diff.exit_status == 1
    assert "| beta | verdict | holds | — |" in compare.render(diff)


def test_usage_errors_exit_2(tmp_path, capsys) -> None:
    a = _folder(tmp_path / "a", BASE)
    (tmp_path / "empty").mkdir()
    assert main(["compare", str(a), str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["compare", str(a), str(tmp_path / "empty")]) == 2
    assert "not a results folder" in capsys.readouterr().err
    (a / "claims" / "broken.json").write_text("{")
    assert main(["compare", str(a), str(a)]) == 2
    with pytest.raises(SystemExit) as usage:
        main(["compare", str(a)])
    assert usage.value.code == 2


@pytest.mark.slow
def test_two_tiny_runs_that_differ_in_one_key(tmp_path) -> None:
    """End to end on the current workflow: one tiny run, then the same with one key changed.

    After the merge of the configurable results folder, run B with ``--config results_dir=results-b``
    instead of copying results/ aside (the compare call and the assertions stay).
    """
    from workflow_helpers import copy_repo, run_snakemake, setter, tiny_config, write_config

    workdir = copy_repo(tmp_path / "repo")
    config_a = tiny_config()
    config_b = copy.deepcopy(config_a)
    setter("implicit_bias.stepsize_sweep.horizon", 2000)(config_b)
    targets = ("results/claims/slower_is_sparser.json", "results/config.json")
    run_snakemake(workdir, write_config(workdir / "a.yaml", config_a), targets)
    (workdir / "results").rename(workdir / "results-a")
    run_snakemake(workdir, write_config(workdir / "b.yaml", config_b), targets)
    diff = compare.compare_folders(workdir / "results-a", workdir / "results")
    assert [(k.key, k.old, k.new) for k in diff.config] == [("implicit_bias.stepsize_sweep.horizon", 3000, 2000)]
    assert {c.claim for c in diff.changes} <= {"slower_is_sparser"}
    assert main(["compare", str(workdir / "results-a"), str(workdir / "results")]) == diff.exit_status
    assert compare.compare_folders(workdir / "results", workdir / "results").exit_status == 0
