"""Claim family: implicit bias of SGD on diagonal linear networks (Pesme, Pillaud-Vivien, Flammarion 2021).

Modules: `simulations` (config slice -> arrays), `claims` (thresholds, assessments, null models, ``FAMILY``),
`figures` (the notebooks' plotting helpers).

This package's name is also the stable home of the interpolator API (see the conventions):
``dln.implicit_bias.interpolator`` and ``dln.implicit_bias.effective_alpha`` are the functions of
`dln.interpolation`, re-exported here under their documented names.
"""

from dln.interpolation import effective_alpha, interpolator

__all__ = ["effective_alpha", "interpolator"]
