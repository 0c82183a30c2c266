"""The highdim config sections respect what the simulations assume: ``runs`` per d of the dimension sweep."""

from pathlib import Path

import pytest
import yaml

from dln.highdim.claims import FAMILY
from dln.highdim.simulations import runs_per_dim

ROOT = Path(__file__).resolve().parents[1]


def _section(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text())["highdim"]


@pytest.mark.parametrize("name", ["config.yaml", "config.small.yaml"])
def test_highdim_section_is_consistent(name: str) -> None:
    section = _section(name)
    assert FAMILY.config_problems(section) == []
    sweep = section["dimension_sweep"]
    assert len(runs_per_dim(sweep)) == len(sweep["dims"])


def test_runs_list_of_the_wrong_length_names_the_key() -> None:
    section = _section("config.small.yaml")
    dims = section["dimension_sweep"]["dims"]
    bad = section | {"dimension_sweep": section["dimension_sweep"] | {"runs": [16] * (len(dims) - 1)}}
    problems = FAMILY.config_problems(bad)
    assert len(problems) == 1 and "dimension_sweep.runs" in problems[0] and "dims" in problems[0], problems
    with pytest.raises(ValueError, match="dimension_sweep.runs"):
        runs_per_dim(bad["dimension_sweep"])


def test_runs_list_only_for_the_dimension_sweep() -> None:
    section = _section("config.small.yaml")
    bad = section | {"two_level": section["two_level"] | {"runs": [8, 8]}}
    assert any("two_level.runs" in p for p in FAMILY.config_problems(bad))
    two_level = {k: v for k, v in section["two_level"].items() if k != "runs"}  # inherits common.runs
    inherited = section | {"common": section["common"] | {"runs": [8, 8]}, "two_level": two_level}
    assert any(p.startswith("common.runs") and "two_level" in p for p in FAMILY.config_problems(inherited))


def test_one_integer_means_every_d() -> None:
    assert runs_per_dim({"dims": [250, 500, 1000], "runs": 12}) == [12, 12, 12]
    assert runs_per_dim({"dims": [250, 500, 1000], "runs": [64, 32, 16]}) == [64, 32, 16]
