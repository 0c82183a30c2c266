"""The `python -m dln` command line: list, simulate, verdict, collect and the strict check."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from dln import io
from dln.cli import main

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
    for command in ("list", "simulate", "verdict", "collect", "check", "environment"):
        assert command in out.stdout


def test_list_names_every_claim(capsys) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for claim in ("sgd_beats_gd", "effective_initialisation", "slower_is_sparser"):
        assert f"claim {claim}" in out


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

    verdict = tmp_path / "claims" / "v.json"
    assert main(["verdict", "sgd_beats_gd", "--inputs", str(npz), "--out", str(verdict)]) == 0
    record = io.read_json(verdict)
    assert {"id", "paper", "statement", "holds", "measured", "thresholds", "parameters"} <= set(record)

    table = tmp_path / "claims.md"
    assert main(["collect", str(verdict), "--out", str(table)]) == 0
    assert "`sgd_beats_gd`" in table.read_text()
    # the versions the simulations ran with, from the sidecars in sims/ beside claims/
    assert "## Environment" in table.read_text() and f"numpy {np.__version__}" in table.read_text()

    failing = dict(record, holds=False)
    io.write_json(verdict, failing)
    assert main(["check", str(verdict), "--strict", "--out", str(tmp_path / "ok")]) == 1
    assert not (tmp_path / "ok").exists()
    assert main(["check", str(verdict), "--out", str(tmp_path / "ok")]) == 0
    assert "not holding: sgd_beats_gd" in (tmp_path / "ok").read_text()


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
