"""Code-aware reruns and the README's "Adding a claim" recipe, in throw-away copies of the repository.

* Editing the code of one simulation reruns that simulation and the claims that read it, nothing else.
* Editing one notebook reruns only its claim's rule; editing one assess function only that claim and its nulls.
* Following the README's recipe (a simulation with its layout, config block and schema entry, a claim with a
  null model, a notebook) adds a working claim without any edit under workflow/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from workflow_helpers import TINY_TARGETS, copy_repo, run_snakemake, tiny_config, write_config

pytestmark = pytest.mark.slow

NULLS = tuple(t.replace("/claims/", "/falsification/") for t in TINY_TARGETS)
TARGETS = TINY_TARGETS + NULLS


def _pending_jobs(workdir: Path, cfg: Path, targets=TARGETS) -> dict[str, int]:
    """Rule name -> number of jobs a dry run would execute."""
    text = run_snakemake(workdir, cfg, targets, "-n", "--quiet", "rules").stdout
    return {
        m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+)\s+(\d+)$", text, flags=re.M) if m.group(1) != "total"
    }


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the repository with the tiny implicit_bias claims and their null models computed."""
    workdir = copy_repo(tmp_path_factory.mktemp("reruns"))
    cfg = write_config(workdir / "config.tiny.yaml", tiny_config())
    run_snakemake(workdir, cfg, TARGETS)
    assert _pending_jobs(workdir, cfg) == {}
    return workdir, cfg


def _edit(path: Path, old: str, new: str) -> str:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))
    return text


def test_editing_a_simulation_reruns_it_and_only_the_claims_that_read_it(finished) -> None:
    workdir, cfg = finished
    sims = workdir / "src" / "dln" / "implicit_bias" / "simulations.py"
    original = _edit(
        sims, '    out: dict[str, Any] = {"alpha": alpha, "stepsizes"', '    out: dict[str, Any] = {"stepsizes"'
    )
    _edit(sims, '"row_spreads": spreads}', '"row_spreads": spreads, "alpha": alpha}')  # same arrays, new code
    try:
        assert _pending_jobs(workdir, cfg) == {"simulate": 1, "claim_slower_is_sparser": 1, "falsify": 1}
    finally:
        sims.write_text(original)
    assert _pending_jobs(workdir, cfg) == {}  # reverting the code restores the recorded digest


def test_editing_a_shared_numerics_module_reruns_every_simulation_that_uses_it(finished) -> None:
    workdir, cfg = finished
    kernels = workdir / "src" / "dln" / "training.py"
    original = _edit(kernels, '"""Batched training', '"""Batched (edited) training')
    try:
        pending = _pending_jobs(workdir, cfg)
    finally:
        kernels.write_text(original)
    assert pending == {"simulate": 2, "claim_sgd_beats_gd": 1, "claim_slower_is_sparser": 1, "falsify": 2}


def test_editing_a_notebook_or_an_assess_function_reruns_only_its_claim(finished) -> None:
    workdir, cfg = finished
    nb = workdir / "notebooks" / "sgd_beats_gd.ipynb"
    original = _edit(nb, "fontsize=7", "fontsize=8")
    try:
        assert _pending_jobs(workdir, cfg) == {"claim_sgd_beats_gd": 1}
    finally:
        nb.write_text(original)
    claims = workdir / "src" / "dln" / "implicit_bias" / "claims.py"
    original = _edit(
        claims,
        '    r = results["stepsize_sweep"]\n    return slower',
        "    r = results['stepsize_sweep']\n    return slower",
    )
    try:
        assert _pending_jobs(workdir, cfg) == {"claim_slower_is_sparser": 1, "falsify": 1}
    finally:
        claims.write_text(original)


TOY_SIMULATION = '''

TOY_LAYOUT = Layout(f64("gain", "S", "a made-up per-seed gain"))


def simulate_toy(spec: Spec, seed: int) -> Arrays:
    """A test simulation: per-seed gains 3 +- 0.1."""
    rng = np.random.default_rng(seed)
    return {"gain": 3.0 + 0.1 * rng.standard_normal(int(spec["seeds"]))}
'''
TOY_CLAIM = """        Claim(
            "toy_test_claim",
            "Every gain exceeds {toy_gain_min:g}.",
            derived("a test of the README's recipe"),
            ("toy",),
            lambda results, specs: Assessment([C.each_above("gain", results["toy"].gain, T.toy_gain_min)]),
            nulls=(
                Null("no_gain", "the gain", lambda r, s: {"toy": {r["toy"].key("gain"): 0 * r["toy"].gain}}, ("gain",)),
            ),
        ),
"""


def test_adding_a_claim_by_the_readme_recipe_needs_no_workflow_edit(tmp_path: Path) -> None:
    workdir = copy_repo(tmp_path)
    pkg = workdir / "src" / "dln" / "implicit_bias"
    workflow_before = {p: p.read_bytes() for p in (workdir / "workflow").rglob("*") if p.is_file()}
    # 1. the simulation, its layout and its registration
    sims = pkg / "simulations.py"
    sims.write_text(
        sims.read_text().replace(
            "\nSIMULATIONS = simulation_table(", TOY_SIMULATION + "\nSIMULATIONS = simulation_table(", 1
        )
    )
    _edit(
        sims,
        "SIMULATIONS = simulation_table(\n",
        'SIMULATIONS = simulation_table(\n    Simulation("toy", 199, simulate_toy, TOY_LAYOUT, "test"),\n',
    )
    # 2. its config block (both configs) and schema entry
    schema = yaml.safe_load((pkg / "config.schema.yaml").read_text())
    schema["properties"]["toy"] = {"type": "object", "additionalProperties": False, "properties": {}}
    (pkg / "config.schema.yaml").write_text(yaml.safe_dump(schema, sort_keys=False))
    for name in ("config.yaml", "config.small.yaml"):
        cfg = yaml.safe_load((workdir / name).read_text())
        cfg["implicit_bias"]["toy"] = {}
        write_config(workdir / name, cfg)
    # 3. the claim (a threshold, a null model) in the family's claims module
    claims = pkg / "claims.py"
    _edit(claims, "    spearman_test_max: float", "    toy_gain_min: float = 2.0\n    spearman_test_max: float")
    _edit(claims, "    claims=claim_table(\n", "    claims=claim_table(\n" + TOY_CLAIM)
    _edit(claims, "claim_table, from_paper", "claim_table, derived, from_paper")
    # 4. its notebook
    nb = json.loads((workdir / "notebooks" / "slower_is_sparser.ipynb").read_text())
    nb["cells"] = nb["cells"][:2] + [
        {
            **nb["cells"][2],
            "source": [
                "import matplotlib.pyplot as plt\n\nfrom dln.figures import load_claim, save_figure\n\n",
                "claim = load_claim(sims, verdict_path, style_path)\n",
                "fig, ax = plt.subplots()\nax.plot(claim.results['toy'].gain, 'o')\n",
                "fig.suptitle(claim.title())\nsave_figure(fig, figure_stem)\n",
            ],
        }
    ]
    (workdir / "notebooks" / "toy_test_claim.ipynb").write_text(json.dumps(nb, indent=1))

    tiny = tiny_config()
    tiny["implicit_bias"]["toy"] = {}
    cfg = write_config(workdir / "config.tiny.yaml", tiny)
    targets = ("results/claims/toy_test_claim.json", "results/falsification/toy_test_claim.json")
    run_snakemake(workdir, cfg, targets)
    verdict = json.loads((workdir / targets[0]).read_text())
    nulls = json.loads((workdir / targets[1]).read_text())["nulls"]
    assert verdict["holds"] and verdict["statement"] == "Every gain exceeds 2."
    assert nulls[0]["rejected"] and (workdir / "results" / "figures" / "toy_test_claim.png").exists()
    assert {p: p.read_bytes() for p in (workdir / "workflow").rglob("*") if p.is_file()} == workflow_before
