"""Bad input: Snakemake (dry-run) refuses bad configs with an error that names the bad key or value.

Each case is config.small.yaml with one defect, written to a temporary file and passed with ``--configfile``
to ``snakemake -n`` in a copy of the repository (only the implicit_bias family is a target, so the test does
not depend on the other families' progress). A valid config must pass, so a failure is due to the defect.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from workflow_helpers import copy_repo, full_config, run_snakemake, setter, tiny_config, write_config

pytestmark = pytest.mark.slow  # ~40 Snakemake dry runs, about 1.3 CPU-seconds each

TARGET = ("results/claims/sgd_beats_gd.json",)
Config = dict[str, Any]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("repo"))


def dry_run(workdir: Path, configfile: Path) -> tuple[int, str]:
    proc = run_snakemake(workdir, configfile, TARGET, "-n", timeout=120, check=False)
    return proc.returncode, proc.stdout


def both(*mutations: Callable[[Config], None]) -> Callable[[Config], None]:
    def mutate(cfg: Config) -> None:
        for m in mutations:
            m(cfg)

    return mutate


IB = "implicit_bias"
# (id, mutation, substrings the error must contain: the offending value and the key or constraint)
BAD_CONFIGS: list[tuple[str, Callable[[Config], None], tuple[str, ...]]] = [
    ("seed_string", setter("seed", "abc"), ("'abc' is not of type 'integer'", "['seed']")),
    ("seed_negative", setter("seed", -1), ("-1 is less than the minimum of 0", "['seed']")),
    ("strict_not_bool", setter("strict", "sometimes"), ("'sometimes' is not of type 'boolean'", "['strict']")),
    ("unknown_top_level_key", setter("seeds", 3), ("unknown top-level key(s) ['seeds']",)),
    ("misspelt_family", setter("implicit_bais", {"common": {}}), ("unknown top-level key(s) ['implicit_bais']",)),
    ("family_section_null", setter(IB, None), ("None is not of type 'object'", "['implicit_bias']")),
    ("unknown_family_key", setter(f"{IB}.extra", {"n": 3}), ("'extra' was unexpected",)),
    ("unknown_common_key", setter(f"{IB}.common.stepsize", 0.1), ("'stepsize' was unexpected",)),
    ("typo_in_sim_key", setter(f"{IB}.sgd_vs_gd.step", 100), ("'step' was unexpected",)),
    ("n_string", setter(f"{IB}.common.n", "forty"), ("'forty' is not of type 'integer'", "['common']['n']")),
    ("n_too_small", setter(f"{IB}.common.n", 1), ("1 is less than the minimum of 2", "['common']['n']")),
    ("d_negative", setter(f"{IB}.common.d", -100), ("-100 is less than the minimum of 2", "['common']['d']")),
    ("s_zero", setter(f"{IB}.common.s", 0), ("0 is less than the minimum of 1", "['common']['s']")),
    ("alpha_zero", setter(f"{IB}.common.alpha", 0), ("0 is less than or equal to the minimum of 0", "['alpha']")),
    ("alpha_huge", setter(f"{IB}.common.alpha", 100.0), ("100.0 is greater than the maximum of 10", "['alpha']")),
    ("seeds_zero", setter(f"{IB}.common.seeds", 0), ("0 is less than the minimum of 1", "['common']['seeds']")),
    ("seeds_too_many", setter(f"{IB}.common.seeds", 5000), ("5000 is greater than the maximum", "['seeds']")),
    ("stop_loss_negative", setter(f"{IB}.common.stop_loss", -1e-20), ("is less than or equal to", "['stop_loss']")),
    ("stepsize_zero", setter(f"{IB}.sgd_vs_gd.stepsize", 0), ("0 is less than or equal to", "['stepsize']")),
    (
        "stepsize_above_divergence",
        setter(f"{IB}.sgd_vs_gd.stepsize", 2.0),
        ("2.0 is greater than the maximum of 0.5", "['sgd_vs_gd']['stepsize']"),
    ),
    ("steps_negative", setter(f"{IB}.sgd_vs_gd.steps", -5), ("-5 is less than the minimum of 1", "['steps']")),
    ("steps_float", setter(f"{IB}.sgd_vs_gd.steps", 1500.5), ("1500.5 is not of type 'integer'", "['steps']")),
    ("substep_above_one", setter(f"{IB}.sgd_vs_gd.sgf_substep_fraction", 2), ("2 is greater than the maximum of 1",)),
    ("sweep_empty", setter(f"{IB}.stepsize_sweep.stepsizes", []), ("[] is too short", "['stepsizes']")),
    ("sweep_not_list", setter(f"{IB}.stepsize_sweep.stepsizes", "0.01,0.02"), ("is not of type 'array'",)),
    ("sweep_negative_item", setter(f"{IB}.stepsize_sweep.stepsizes", [0.01, -0.02, 0.03]), ("-0.02 is less than",)),
    (
        "sweep_above_divergence",
        setter(f"{IB}.stepsize_sweep.stepsizes", [0.01, 0.02, 3.0]),
        ("3.0 is greater than the maximum of 0.5", "['stepsizes'][2]"),
    ),
    ("sweep_duplicates", setter(f"{IB}.stepsize_sweep.stepsizes", [0.01, 0.02, 0.02]), ("non-unique elements",)),
    ("spreads_empty", setter(f"{IB}.stepsize_sweep.row_spreads", []), ("[] should be non-empty", "['row_spreads']")),
    ("spread_below_one", setter(f"{IB}.stepsize_sweep.row_spreads", [0.5]), ("0.5 is less than the minimum of 1",)),
    (
        "highdim_runs_list_item_too_small",
        setter("highdim.dimension_sweep.runs", [64, 1, 16, 16]),
        ("is not valid under any of the given schemas", "['runs']"),
    ),
    ("horizon_zero", setter(f"{IB}.stepsize_sweep.horizon", 0), ("0 is less than or equal to", "['horizon']")),
    (
        "two_defects_first_named",
        both(setter(f"{IB}.common.n", "x"), setter(f"{IB}.common.d", "y")),
        ("is not of type 'integer'",),
    ),
]

# Constraints between keys cannot be written in JSON Schema; they need a check in code (see the report).
CROSS_KEY: list[tuple[str, Callable[[Config], None], tuple[str, ...]]] = [
    ("d_below_n", both(setter(f"{IB}.common.n", 40), setter(f"{IB}.common.d", 20)), ("d", "n", "20", "40")),
    ("s_above_d", both(setter(f"{IB}.common.s", 150), setter(f"{IB}.common.d", 100)), ("s", "d", "150", "100")),
    (
        "highdim_runs_per_d_wrong_length",
        setter("highdim.dimension_sweep.runs", [64, 16]),
        ("config section 'highdim'", "dimension_sweep.runs=[64, 16]", "dims"),
    ),
]


def test_valid_configs_pass(workdir: Path, tmp_path: Path) -> None:
    for name, cfg in (("small", full_config({})), ("tiny", tiny_config())):
        code, out = dry_run(workdir, write_config(tmp_path / f"{name}.yaml", cfg))
        assert code == 0, f"the valid {name} config was rejected:\n{out[-3000:]}"


def _rejected_output(workdir: Path, tmp_path: Path, mutate: Callable[[Config], None]) -> str:
    """Dry-run the small config changed by ``mutate``; it must be rejected. Returns Snakemake's output."""
    cfg = full_config({})
    mutate(cfg)
    code, out = dry_run(workdir, write_config(tmp_path / "bad.yaml", cfg))
    assert code != 0, f"bad config accepted:\n{out[-2000:]}"
    return out


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in BAD_CONFIGS], ids=[c[0] for c in BAD_CONFIGS])
def test_bad_config_is_rejected(
    workdir: Path, tmp_path: Path, mutate: Callable[[Config], None], expected: tuple[str, ...]
) -> None:
    out = _rejected_output(workdir, tmp_path, mutate)
    assert "Error validating config file" in out, out[-3000:]
    for text in expected:
        assert text in out, f"error message does not mention {text!r}:\n{out[-3000:]}"


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CROSS_KEY], ids=[c[0] for c in CROSS_KEY])
def test_cross_key_constraint_is_rejected(
    workdir: Path, tmp_path: Path, mutate: Callable[[Config], None], expected: tuple[str, ...]
) -> None:
    out = _rejected_output(workdir, tmp_path, mutate)
    assert "Schema file is not valid" not in out, "a schema file is broken"
    error = out[out.find("Error") :]  # the message, not the banner
    for text in expected:
        assert text in error, f"error message does not mention {text!r}:\n{error[-2000:]}"


@pytest.mark.parametrize(
    "text",
    [
        "seed: 1\nimplicit_bias: {common: [\n",  # unclosed flow collection
        "seed: 1\n\tstrict: true\n",  # tab indentation
        "seed: [1, 2\nstrict: true\n",  # unclosed list
    ],
    ids=["unclosed_mapping", "tab_indent", "unclosed_list"],
)
def test_malformed_yaml_is_rejected(workdir: Path, tmp_path: Path, text: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    code, out = dry_run(workdir, bad)
    assert code != 0
    assert "not valid JSON or YAML" in out, out[-2000:]


def test_top_level_must_be_a_mapping(workdir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- seed\n- 1\n")
    code, out = dry_run(workdir, bad)
    assert code != 0
    assert "keys at top level" in out, out[-2000:]
