"""The `python -m dln` command line: list, simulate, verdict, collect and the strict check."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from dln import io
from dln.cli import main
from dln.registry import families

TINY = {
    "n": 10,
    "d": 20,
    "s": 2,
    "alpha": 0.1,
    "seeds": 2,
    "records": 8,
    "stop_loss": 1e-24,
    "converged_loss": 1e-10,
    "stepsize": 0.05,
    "steps": 2000,
    "sgf_steps": 2000,
    "sgf_substep_fraction": 0.5,
}


def test_module_help_lists_commands() -> None:
    out = subprocess.run([sys.executable, "-m", "dln", "--help"], capture_output=True, text=True, check=True)
    for command in (
        "list",
        "layout",
        "simulate",
        "merge",
        "verdict",
        "falsify",
        "collect",
        "check",
        "robustness",
        "environment",
        "compare",
    ):
        assert command in out.stdout


def test_list_names_every_claim(capsys) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for fam in families().values():
        for claim in fam.claims:
            assert f"claim {claim}" in out
    assert out.count("    source: ") == sum(len(f.claims) for f in families().values())


def test_simulate_verdict_collect_check(tmp_path: Path) -> None:
    npz = tmp_path / "sims" / "implicit_bias" / "sim.npz"
    assert (
        main(["simulate", "implicit_bias", "sgd_vs_gd", "--spec", json.dumps(TINY), "--seed", "3", "--out", str(npz)])
        == 0
    )
    first = npz.read_bytes()
    sidecar = io.read_json(npz.with_suffix(".json"))
    assert sidecar["spec"] == TINY and sidecar["seed"]["entropy"] == 3
    assert {"numpy", "scipy", "git_revision", "environment"} <= set(sidecar["provenance"])
    recorded = sidecar["provenance"]["environment"]
    assert recorded["lock"] == "requirements.lock.txt" and recorded["packages"]["numpy"] == np.__version__
    arrays = io.load_npz(npz)
    assert arrays["sgd/u"].shape == (2, 20) and arrays["X"].shape == (2, 10, 20)
    assert set(np.unique(arrays["gd/status"])) <= {0, 1, 2}
    # same config and seed: byte-identical .npz
    main(["simulate", "implicit_bias", "sgd_vs_gd", "--spec", json.dumps(TINY), "--seed", "3", "--out", str(npz)])
    assert npz.read_bytes() == first

    verdict, caption = tmp_path / "claims" / "v.json", tmp_path / "claims" / "v.rst"
    assert (
        main(["verdict", "sgd_beats_gd", "--inputs", str(npz), "--out", str(verdict), "--caption", str(caption)]) == 0
    )
    record = io.read_json(verdict)
    expected = {"id", "family", "paper", "source", "statement", "holds", "checks", "measured", "thresholds"}
    assert expected <= set(record) and record["parameters"]["seed"] == 3
    assert all(set(c) == {"name", "measured", "comparison", "threshold", "passed"} for c in record["checks"])
    assert "**Source.**" in caption.read_text()

    nulls = tmp_path / "f.json"
    assert main(["falsify", "sgd_beats_gd", "--inputs", str(npz), "--out", str(nulls)]) == 0
    assert {n["name"] for n in io.read_json(nulls)["nulls"]} == {"sgd_like_gd", "sgf_like_gd", "sgf_twice_better"}

    table, ftable = tmp_path / "claims.md", tmp_path / "falsification.md"
    args = ["collect", str(verdict), "--falsification", str(nulls), "--out", str(table)]
    assert main([*args, "--falsification-out", str(ftable)]) == 0
    assert "`sgd_beats_gd`" in table.read_text() and "`sgf_twice_better`" in ftable.read_text()
    # the versions the simulations ran with, from the sidecars in sims/ beside claims/
    assert "## Environment" in table.read_text() and f"numpy {np.__version__}" in table.read_text()

    failing = dict(record, holds=False, checks=[dict(record["checks"][0], passed=False)])
    io.write_json(verdict, failing)
    assert main(["check", str(verdict), "--strict", "--out", str(tmp_path / "ok")]) == 1
    assert not (tmp_path / "ok").exists()
    assert main(["check", str(verdict), "--out", str(tmp_path / "ok")]) == 0
    assert "not holding: sgd_beats_gd" in (tmp_path / "ok").read_text()


def test_a_file_that_does_not_match_its_layout_is_rejected(tmp_path: Path) -> None:
    import pytest

    from dln.layout import LayoutError

    npz = tmp_path / "sim.npz"
    main(["simulate", "implicit_bias", "sgd_vs_gd", "--spec", json.dumps(TINY), "--seed", "3", "--out", str(npz)])
    arrays = io.load_npz(npz)
    arrays["gd/status"] = arrays["gd/status"].astype(np.int64)
    io.save_npz(npz, arrays)
    with pytest.raises(LayoutError, match="'gd/status' has dtype int64, declared int8"):
        main(["verdict", "sgd_beats_gd", "--inputs", str(npz), "--out", str(tmp_path / "v.json")])


def test_layout_command_describes_a_simulation(capsys) -> None:
    assert main(["layout", "implicit_bias", "stepsize_sweep"]) == 0
    out = capsys.readouterr().out
    assert "spread{}/" in out and "loss_integral" in out


def test_unknown_names_are_reported_clearly(capsys) -> None:
    import pytest

    with pytest.raises(KeyError, match="unknown simulation 'nope'"):
        main(["simulate", "implicit_bias", "nope", "--spec", "{}", "--seed", "1", "--out", "x.npz"])
    with pytest.raises(KeyError, match="unknown claim 'nope'"):
        main(["verdict", "nope", "--inputs", "x.npz", "--out", "v.json"])


def test_snapshot_config_writes_sorted_json(tmp_path: Path) -> None:
    """results/config.json: same config, same bytes, whatever the key order it came in."""
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    assert main(["snapshot-config", json.dumps({"seed": 1, "a": {"y": [1, 2], "x": 0.5}}), "--out", str(one)]) == 0
    assert main(["snapshot-config", json.dumps({"a": {"x": 0.5, "y": [1, 2]}, "seed": 1}), "--out", str(two)]) == 0
    assert one.read_bytes() == two.read_bytes()
    assert json.loads(one.read_text()) == {"a": {"x": 0.5, "y": [1, 2]}, "seed": 1}
