"""Plotting helpers shared by the notebooks: style, bands over repeats, deterministic figure files.

Notebooks only load results and plot; these helpers keep every figure consistent (one style file) and
byte-reproducible (fixed SVG hash salt, no creation dates), and write PDF and PNG atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib as mpl
import numpy as np
from numpy.typing import ArrayLike, NDArray

from dln.io import atomic_path


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
    from dln.training import STATUS_NAMES

    codes = np.asarray(status).ravel()
    return ", ".join(f"{int(np.sum(codes == i))} {name}" for i, name in enumerate(STATUS_NAMES))
