"""The benchmark script runs end to end at a tiny size (no timing is asserted)."""

from __future__ import annotations

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
