"""Helpers shared by every notebook: the one load call, style, bands over repeats, titles, figure files.

Notebooks only load results and plot. `load_claim` gives a notebook its simulations (as layout views) and its
verdict record; titles and threshold lines come from the verdict's checks, never from constants in the
notebook. Figures are byte-reproducible (fixed SVG hash salt, no creation dates) and written atomically.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
from numpy.typing import ArrayLike, NDArray

from dln import io
from dln.io import atomic_path
from dln.layout import View
from dln.status import status_counts


@dataclass(frozen=True)
class ClaimInputs:
    """What a claim's notebook draws from: its simulations by name and its verdict record."""

    results: Mapping[str, View]
    verdict: Mapping[str, Any]

    def check(self, name: str) -> Mapping[str, Any]:
        """One check record of the verdict (name, measured, comparison, threshold, passed)."""
        for c in self.verdict["checks"]:
            if c["name"] == name:
                return c
        raise KeyError(f"verdict {self.verdict['id']} has no check {name!r}")

    @property
    def measured(self) -> Mapping[str, Any]:
        return self.verdict["measured"]

    def title(self, *checks: str) -> str:
        """'<id>: holds (3/3 checks) | name measured >= threshold | ...' for the checks named (default: all)."""
        from dln.report import check_line

        v = self.verdict
        names = checks or tuple(c["name"] for c in v["checks"])
        passed = sum(c["passed"] for c in v["checks"])
        head = f"{v['id']}: {'holds' if v['holds'] else 'does not hold'} ({passed}/{len(v['checks'])} checks)"
        return "\n".join([head, *(check_line(self.check(n)) for n in names)])


def load_claim(sims: str, verdict_path: str, style_path: str) -> ClaimInputs:
    """Apply the style, load the claim's simulations (checked against their layouts) and its verdict.

    ``sims`` is the JSON list of `.npz` paths papermill passes (``<root>/sims/<family>/<simulation>.npz``).
    """
    from dln.registry import find_simulation

    use_style(style_path)
    results = {}
    for p in json.loads(sims):
        path = Path(p)
        sim = find_simulation(path.parent.name, path.stem)
        results[sim.name] = sim.layout.view(io.load_npz(path), what=f"{path.parent.name}/{sim.name}")
    return ClaimInputs(results, io.read_json(verdict_path))


def use_style(style_path: str | os.PathLike[str]) -> None:
    """Apply the project's style file and the settings that make figure bytes deterministic."""
    import matplotlib.pyplot as plt

    plt.style.use(str(style_path))
    mpl.rcParams["svg.hashsalt"] = "dln-figures"
    mpl.rcParams["pdf.compression"] = 6


def band(values: ArrayLike, axis: int = 0, lo: float = 10.0, hi: float = 90.0) -> tuple[NDArray, NDArray, NDArray]:
    """(median, lo-percentile, hi-percentile) over ``axis``, ignoring NaNs (diverged runs)."""
    arr = np.asarray(values, dtype=float)
    with np.errstate(all="ignore"):
        q = np.nanpercentile(arr, [50.0, lo, hi], axis=axis)
    return q[0], q[1], q[2]


def plot_band(ax, x: ArrayLike, values: ArrayLike, label: str, color: str | None = None, **kw) -> None:
    """Median line with a shaded 10-90 % band over the first axis of ``values``."""
    med, low, high = band(values, axis=0)
    (line,) = ax.plot(x, med, label=label, color=color, **kw)
    ax.fill_between(x, low, high, color=line.get_color(), alpha=0.2, linewidth=0)


def save_figure(fig, stem: str | os.PathLike[str]) -> None:
    """Write ``stem``.pdf and ``stem``.png with deterministic bytes, atomically."""
    stem = Path(stem)
    for ext, meta in (
        (".pdf", {"CreationDate": None, "ModDate": None, "Producer": "dln-figures"}),
        (".png", {"Software": "dln-figures"}),
    ):
        target = stem.with_suffix(ext)
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=ext[1:], metadata=meta)


def status_summary(status: ArrayLike) -> str:
    """'n converged, m stalled, k diverged' for a set of runs (diverged runs are data, never dropped silently)."""
    return ", ".join(f"{n} {name}" for name, n in status_counts(status).items())
