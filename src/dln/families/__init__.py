"""Claim families: one module per paper, each exporting ``FAMILY`` (see `dln.registry`)."""
