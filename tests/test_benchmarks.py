"""The benchmark script runs end to end at a tiny size (no timing is asserted)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_script_runs_tiny(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    # benchmarks 2-4 time other modules (their own tests cover them); compiling from scratch takes seconds
    cmd = [
        sys.executable,
        str(ROOT / "benchmarks" / "run.py"),
        "--quick",
        "--steps",
        "300",
        "--repeats",
        "1",
        "--only-sweep",
    ]
    proc = subprocess.run([*cmd, "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert "| 1 sweep, SGD b=1 |" in text and "| 1 sweep, GD |" in text
    assert "| 2 streaming SGD |" in text and "skipped" in text  # benchmarks 2-4 keep a row, marked
    assert text.strip() in proc.stdout


def test_mtl_benchmark_measures_both_baselines_and_checks_the_oracle() -> None:
    spec = importlib.util.spec_from_file_location("dln_benchmarks", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses resolve their module while the script loads
    spec.loader.exec_module(bench)
    report = bench.Report()
    bench.bench_multitask(bench.Sizes.quick(), 1, report)
    rows = [r for r in report.rows if r.benchmark == "4 MTL training"]
    assert [r.baseline for r in rows] == ["train_gd, one configuration at a time", "plain per-step loop, one at a time"]
    assert all(r.baseline_s > 0 and r.fast_s > 0 for r in rows)
    diff = float(re.search(r"max abs diff vs oracle (\S+)", rows[1].check).group(1))
    assert diff < 1e-12
