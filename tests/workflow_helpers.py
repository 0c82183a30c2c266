"""Helpers for the workflow tests: a throw-away copy of the repository, test configs, Snakemake runs.

Workflow tests never run inside the checkout: they copy the tracked and untracked (not ignored) files into a
temporary directory and run Snakemake there with ``--nolock``, so they never lock or overwrite the
checkout's ``results/``. ``PYTHONPATH`` points at the copy's ``src`` so that a run uses the copied package.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
TESTS_DATA = REPO / "tests" / "data"
PYTHON = Path(sys.executable)
SNAKEMAKE = PYTHON.parent / "snakemake"
# Only the implicit_bias family's claims are targets: the other families may be incomplete while in progress.
TINY_TARGETS = ("results/claims/sgd_beats_gd.json", "results/claims/slower_is_sparser.json")


def repo_files(repo: Path = REPO) -> list[str]:
    """Tracked files plus untracked files that git does not ignore (what a fresh checkout would hold)."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout
    return sorted({name for name in out.decode().split("\0") if name and (repo / name).is_file()})


def copy_repo(dest: Path, repo: Path = REPO) -> Path:
    """Copy the working tree (not results/, .snakemake/, .venv/) into ``dest``."""
    for name in repo_files(repo):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / name, target)
    return dest


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def full_config(overlay: Mapping[str, Any], base: Path = REPO / "config.small.yaml") -> dict[str, Any]:
    """``base`` (every top-level section) with the top-level sections of ``overlay`` replaced."""
    cfg = copy.deepcopy(load_yaml(base))
    cfg.update(copy.deepcopy(dict(overlay)))
    return cfg


def tiny_config() -> dict[str, Any]:
    """The small config with the tiny implicit_bias section of tests/data/config.tiny.yaml."""
    return full_config(load_yaml(TESTS_DATA / "config.tiny.yaml"))


def setter(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A config mutation: set the dotted key ``path`` (e.g. ``implicit_bias.common.n``) to ``value``."""

    def mutate(cfg: dict[str, Any]) -> None:
        *parents, leaf = path.split(".")
        node = cfg
        for key in parents:
            node = node[key]
        node[leaf] = value

    return mutate


def write_config(path: Path, config: Mapping[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(dict(config), sort_keys=False))
    return path


def snakemake_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(workdir / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    return env


def snakemake_cmd(configfile: Path, targets: Sequence[str], *extra: str, cores: int = 1) -> list[str]:
    """A Snakemake command line; targets come before ``--configfile`` (which takes several values)."""
    return [str(SNAKEMAKE), *targets, "--cores", str(cores), "--nolock", *extra, "--configfile", str(configfile)]


def run_snakemake(
    workdir: Path, configfile: Path, targets: Sequence[str], *extra: str, timeout: float = 300, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run Snakemake in ``workdir`` and return the completed process (stdout and stderr merged)."""
    proc = subprocess.run(
        snakemake_cmd(configfile, targets, *extra),
        cwd=workdir,
        env=snakemake_env(workdir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake failed ({proc.returncode}):\n{proc.stdout[-6000:]}")
    return proc


def result_files(workdir: Path) -> dict[str, bytes]:
    """Bytes of every result that must be reproducible: simulations, verdicts, figures, claims table.

    The `.json` sidecars of simulations are left out on purpose: they record provenance (git revision).
    """
    root = workdir / "results"
    patterns = ("sims/**/*.npz", "claims/*.json", "figures/*.pdf", "figures/*.png", "claims.md")
    return {str(p.relative_to(workdir)): p.read_bytes() for pat in patterns for p in sorted(root.glob(pat))}
