"""Claim family: Multi-task learning and finetuning (Lippl & Lindsey 2024)."""

from dln.registry import Family

FAMILY = Family(name="multitask", title="Multi-task learning and finetuning", paper="Lippl & Lindsey 2024")
