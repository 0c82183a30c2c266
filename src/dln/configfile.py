"""Config files that Snakemake cannot read, reported as ``file:line:column: problem``.

Snakemake 9 (``snakemake.common.configfile._load_configfile``) turns every YAML error into "Config file is
not valid JSON or YAML", without the file or the position. The Snakefile calls `yaml_problem` on its default
config file before its ``configfile:`` line, so a typo in ``config.yaml`` is reported with its line and
column before anything runs. Files given with ``--configfile`` are read by Snakemake's command line before
the Snakefile starts, so no workflow code can see them first: ``python -m dln check-config FILE`` reports
those (README, "Changing the configuration").
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml


def yaml_problem(path: str | Path) -> str | None:
    """``path:line:column: problem`` if Snakemake's loader would reject the file's syntax, else None.

    Parses the way Snakemake does (JSON first, then YAML with PyYAML's FullLoader); a missing file is left to
    Snakemake, which names it. Lines and columns count from 1.
    """
    file = Path(path)
    if not file.is_file():
        return None
    text = file.read_text(encoding="utf-8")
    try:
        json.loads(text)
        return None
    except ValueError:
        pass
    try:
        yaml.load(text, Loader=yaml.FullLoader)
        return None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = err.problem or err.context or "not valid YAML"
        if err.context and err.context_mark is not None and err.problem:
            problem += f" ({err.context} at line {err.context_mark.line + 1}, column {err.context_mark.column + 1})"
        return f"{where}: {problem}"
    except yaml.YAMLError as err:
        return f"{path}: {err}"


TOP_LEVEL_KEYS = ("strict", "seed", "results_dir", "robustness_seeds")


def unknown_sections(config: dict, families: list[str]) -> str | None:
    """A message naming the top-level keys that are neither run settings nor a registered family's section."""
    unknown = sorted(set(config) - set(TOP_LEVEL_KEYS) - set(families))
    if not unknown:
        return None
    return (
        f"unknown top-level key(s) {unknown}: a config holds {', '.join(TOP_LEVEL_KEYS)} and one section per "
        f"registered family ({', '.join(sorted(families))})"
    )
