"""Claim family: High-dimensional limit of SGD (Garcia Malaxechebarria, Paquette, Fazel, Drusvyatskiy 2025)."""

from dln.registry import Family

FAMILY = Family(
    name="highdim",
    title="High-dimensional limit of SGD",
    paper="Garcia Malaxechebarria, Paquette, Fazel, Drusvyatskiy 2025",
)
