"""Claim family: large stepsizes, exact implicit regularisation and edge of stability (Even et al. 2023).

Modules: `simulations` (config slice -> arrays: the one sweep), `claims` (thresholds, assessments, null models,
``FAMILY``), `figures` (the notebooks' plotting helpers); the family's numerics: `sweep` (the plan and the runs),
`gamma_max` (largest convergent stepsize), `sharpness` (S(w) and gamma_EoS), `gain` (tracked and recovered gain),
`tables` (the sweep's runs as one table, per-run derived quantities).
"""
