"""Shared fixtures: small seeded problems."""

from __future__ import annotations

import numpy as np
import pytest

from dln.data import Problem, make_problem


@pytest.fixture
def small_problem() -> Problem:
    return make_problem(np.random.default_rng(7), n=20, d=40, s=3)
