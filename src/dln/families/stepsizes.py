"""Claim family: large stepsizes, exact implicit regularisation and edge of stability (Even et al. 2023)."""

from dln.registry import Family

FAMILY = Family(
    name="stepsizes",
    title="Large stepsizes, exact implicit regularisation and edge of stability",
    paper="Even, Pesme, Gunasekar, Flammarion 2023",
)
