"""dln: (stochastic) gradient descent on diagonal linear networks, beta = u * v.

The numerics behind the dln-figures workflow, and its claim families. The public API (what notebooks and
users may import from ``dln``) is listed in ``__all__`` and loaded lazily, so that importing one module does not
import the whole package:

* interpolators of the hyperbolic entropy: `interpolator`, `effective_alpha` (stable, also importable as
  ``dln.implicit_bias.interpolator`` / ``dln.implicit_bias.effective_alpha``);
* the training engine: `train` with its `Stopping` and `Tracking` options and `TrainResult`;
* the one run-status enum `Status`;
* the claim contract: `families`, `find_claim`, `find_simulation` (the registry), `Check` and the records of
  `dln.contract` (`Family`, `Claim`, `Simulation`, `Null`, `Assessment`, `Source`, `Paper`), `Layout`;
* loading results: `load_npz`, `load_claim` (what a notebook calls), `assess_claim`, `falsify`.

Everything else (the numba kernels, the family-specific numerics) is importable from its module but is not part
of this promise.
"""

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_PUBLIC = {
    "interpolator": "dln.interpolation",
    "effective_alpha": "dln.interpolation",
    "train": "dln.training",
    "Stopping": "dln.training",
    "Tracking": "dln.training",
    "TrainResult": "dln.training",
    "Status": "dln.status",
    "families": "dln.registry",
    "find_claim": "dln.registry",
    "find_simulation": "dln.registry",
    "Check": "dln.checks",
    "Family": "dln.contract",
    "Claim": "dln.contract",
    "Simulation": "dln.contract",
    "Null": "dln.contract",
    "Assessment": "dln.contract",
    "Source": "dln.contract",
    "Paper": "dln.contract",
    "Layout": "dln.layout",
    "load_npz": "dln.io",
    "load_claim": "dln.figures",
    "assess_claim": "dln.verdict",
    "falsify": "dln.verdict",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'dln' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
