"""No config value can inject a shell command.

Config values reach shell commands in two ways only: the simulation spec as one JSON argument quoted by
Snakemake (``{params.spec:q}``), and a few values the schema pins to integers, booleans or wildcards with
constraints. These tests check (1) that hostile strings are refused by the schema before anything runs,
(2) that Snakemake's quoting hands even hostile JSON to the command as one inert argument, (3) that the
spec in the real shell command is exactly the JSON of the config slice, and (4) that every rule file
quotes what it interpolates, apart from a short list of values that cannot hold text.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from snakemake.utils import format as smk_format
from workflow_helpers import REPO, copy_repo, full_config, run_snakemake, setter, write_config

HOSTILE = [
    "$(touch {canary})",
    "`touch {canary}`",
    "1; touch {canary}",
    "1 && touch {canary} #",
    "'; touch {canary}; echo '",
    '"; touch {canary}; echo "',
    "1\ntouch {canary}",
    "1 | touch {canary}",
]
# Interpolations that may appear unquoted in a shell command, and why they cannot carry text.
UNQUOTED_OK = {
    "params.seed": "the schema makes `seed` a non-negative integer",
    "params.strict": "either '--strict' or '' (from the boolean `strict`)",
    "wildcards.family": "constrained to the registered family names",
    "wildcards.sim": "constrained to [a-z0-9_]+",
    "wildcards.cid": "constrained to the registered claim ids",
    "params.cid": "a registered claim id",
    "params.code": "a hexadecimal code digest (dln.codedeps)",
    "params.seeds": "integers: the root seed plus 0..K-1",
    "params.folders": "results folders: the schema restricts results_dir to [A-Za-z0-9_.-] and '/'",
    "PYTHON:q": "quoted",
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("repo"))


PLACES = [
    "seed",
    "results_dir",
    "strict",
    "implicit_bias.common.n",
    "implicit_bias.common.alpha",
    "implicit_bias.sgd_vs_gd.stepsize",
    "implicit_bias.stepsize_sweep.horizon",
]


@pytest.mark.slow
@pytest.mark.parametrize(("place", "payload"), [(p, HOSTILE[i % 4]) for i, p in enumerate(PLACES)], ids=PLACES)
def test_hostile_value_is_rejected_by_schema(workdir: Path, tmp_path: Path, place: str, payload: str) -> None:
    canary = tmp_path / "pwned"
    value = payload.format(canary=canary)
    cfg = full_config({})
    setter(place, value)(cfg)
    proc = run_snakemake(
        workdir, write_config(tmp_path / "bad.yaml", cfg), ["results/claims/sgd_beats_gd.json"], check=False
    )
    assert proc.returncode != 0, "a hostile config was accepted"
    refused = "is not of type" in proc.stdout or "does not match" in proc.stdout  # results_dir: a path pattern
    assert refused and f"['{place.split('.')[-1]}']" in proc.stdout, proc.stdout[-2000:]
    assert not canary.exists(), "a config value was executed by a shell"


@pytest.mark.slow
@pytest.mark.parametrize("where", ["top_level", "family", "common"])
def test_hostile_key_is_rejected_by_schema(workdir: Path, tmp_path: Path, where: str) -> None:
    canary = tmp_path / "pwned"
    key = f"$(touch {canary})"
    cfg = full_config({})
    {"top_level": cfg, "family": cfg["implicit_bias"], "common": cfg["implicit_bias"]["common"]}[where][key] = 1
    proc = run_snakemake(
        workdir, write_config(tmp_path / "bad.yaml", cfg), ["results/claims/sgd_beats_gd.json"], check=False
    )
    assert proc.returncode != 0
    if where == "top_level":
        assert "unknown top-level key(s)" in proc.stdout and key in proc.stdout
    else:
        assert "Additional properties are not allowed" in proc.stdout and "was unexpected" in proc.stdout
    assert not canary.exists()


@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_quoted_json_reaches_the_command_as_one_inert_argument(tmp_path: Path, payload: str) -> None:
    """The mechanism of the simulate rule (`--spec {params.spec:q}`) with hostile text inside the JSON."""
    canary = tmp_path / "pwned"
    spec = json.dumps({"label": payload.format(canary=canary), "n": 3}, sort_keys=True)
    command = smk_format("printf '%s' {spec:q}", spec=spec)
    out = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=True).stdout
    assert out == spec
    assert json.loads(out)["label"] == payload.format(canary=canary)
    assert not canary.exists()


@pytest.mark.slow
def test_simulate_command_passes_the_spec_as_json(workdir: Path, tmp_path: Path) -> None:
    cfg = full_config({})
    proc = run_snakemake(
        workdir,
        write_config(tmp_path / "ok.yaml", cfg),
        ["results/sims/implicit_bias/sgd_vs_gd.npz"],
        "-n",
        "-p",
        "--forceall",
    )
    line = next(ln for ln in proc.stdout.splitlines() if " -m dln simulate " in ln)
    argv = shlex.split(line.split("Shell command:", 1)[-1])
    spec = json.loads(argv[argv.index("--spec") + 1])
    section = cfg["implicit_bias"]
    assert spec == {**section.get("common", {}), **section["sgd_vs_gd"]}


def _shell_interpolations(text: str) -> list[str]:
    """The `{...}` fields of every `shell:` string of a rule file (single braces, not `{{`)."""
    fields = []
    shell_block = r"^[ \t]*shell:[ \t]*\n((?:[ \t]+(?:\".*\"|'.*')[ \t]*(?:\n|$))+)"
    for block in re.findall(shell_block, text, flags=re.MULTILINE):
        fields += re.findall(r"(?<!\{)\{([^{}]+)\}(?!\})", block)
    return fields


def test_rule_files_quote_what_they_interpolate() -> None:
    files = [REPO / "Snakefile", *sorted((REPO / "workflow" / "rules").glob("*.smk"))]
    unquoted = []
    for path in files:
        for field in _shell_interpolations(path.read_text()):
            if not field.endswith(":q") and field not in UNQUOTED_OK:
                unquoted.append(f"{path.relative_to(REPO)}: {{{field}}}")
    assert not unquoted, "shell interpolations without :q (config text could reach the shell): " + ", ".join(unquoted)


def test_the_scan_sees_the_simulate_rule() -> None:
    fields = _shell_interpolations((REPO / "workflow" / "rules" / "simulations.smk").read_text())
    assert "params.spec:q" in fields and "params.seed" in fields and "params.code" in fields
