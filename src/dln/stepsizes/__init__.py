"""Tools for the large-stepsize family (Even et al. 2023): gamma_max search, sharpness, gain, sweeps, verdicts."""
