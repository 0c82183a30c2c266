"""Seed derivation: every random stream comes from the run's identity, never from global state.

A run is identified by (claim, point, repeat): the integer id of the claim or simulation, a stable integer
for the point of a sweep (derived from the point's parameters, so it does not change when a sweep grows)
and the repeat index. ``SeedSequence(seed, spawn_key=(claim, point, repeat))`` turns that into a stream.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import numpy as np


def point_key(params: Mapping[str, Any]) -> int:
    """Stable 32-bit integer for a sweep point, from the canonical JSON of its parameters."""
    text = json.dumps(dict(params), sort_keys=True, default=float)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")


def run_seed_sequence(seed: int, claim: int, point: int, repeat: int) -> np.random.SeedSequence:
    """The SeedSequence of one run."""
    return np.random.SeedSequence(seed, spawn_key=(claim, point, repeat))


def run_rng(seed: int, claim: int, point: Mapping[str, Any] | int, repeat: int) -> np.random.Generator:
    """A fresh Generator for one run; ``point`` is a parameter mapping or an already derived integer."""
    key = point if isinstance(point, int) else point_key(point)
    return np.random.default_rng(run_seed_sequence(seed, claim, key, repeat))
