"""The one run-status enum of every engine (finite-data training, streaming SGD, MTL training).

Saved in every simulation's ``status`` arrays as its integer value, so that a reader without this package
knows what the codes mean: 0 converged, 1 stalled or capped (the budget ran out before convergence), 2 diverged.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numpy.typing import ArrayLike


class Status(IntEnum):
    """Outcome of one run."""

    CONVERGED = 0
    STALLED = 1  # stalled, or stopped by a step cap before reaching the convergence threshold
    DIVERGED = 2


STATUS_NAMES = tuple(s.name.lower() for s in Status)


def status_counts(status: ArrayLike) -> dict[str, int]:
    """{'converged': n, 'stalled': m, 'diverged': k} over a set of runs."""
    codes = np.asarray(status).ravel()
    return {s.name.lower(): int(np.sum(codes == s)) for s in Status}
