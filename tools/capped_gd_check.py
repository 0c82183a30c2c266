"""Train single-task cells by GD at the authors' step cap and compare with the exact gradient-flow limit.

With ``gd_steps_sparse: 0`` `single_task` and `nested` compute STL and PT+FT through the exact limit
(`dln.multitask.exact`), which is what GD reaches when it converges. The authors train by full-batch GD at lr 0.1
until the train MSE is below 1e-10 or a step cap (1e5 in their sparse and rescaling experiments): where GD is still
moving at the cap, their loss is above the limit. This script measures by how much, cell by cell, on the
workflow's own data draws (`seed_draw` of the config's root seed), so the README's statement about those cells can
be rerun; the paper config now trains them by GD (``gd_steps_sparse: 100000``), keeping the limit beside it.

Cells are ``method:k:overlap:n`` with method ``stl`` or ``ptft<c>`` (e.g. ``ptft1``); teachers are those of the
sparse experiment (magnitude 1/k, main support inside the auxiliary one when overlap = k, disjoint when 0).
PT+FT reads the seed's pretrained first layer from ``--pretrain`` (a `pretrain.npz` of the same config and root
seed) or, without it, pretrains here (the config's protocol: minutes per seed at the authors' 1e6 steps).
All cells of one data seed train as one batch (one BLAS product per sample size per step).

Example (the README's table, paper config, data seeds 0 and 1):
  .venv/bin/python tools/capped_gd_check.py --seeds 0 1 --cap 100000 \
      stl:20:0:512 stl:30:0:512 stl:40:0:512 stl:20:20:512 stl:5:0:256 stl:5:5:256 stl:10:0:256 stl:5:0:128
Prints one JSON line per cell (limit, GD's minimum over its 50-step checkpoints, their ratio, steps, status,
train MSE) and the CPU seconds per seed.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import yaml
from threadpoolctl import threadpool_limits

from dln.multitask import exact
from dln.multitask.experiments import SharedLayers, pretrained_init, seed_draw, single_task_weights
from dln.multitask.metrics import population_loss
from dln.multitask.teachers import main_magnitude, main_teacher
from dln.multitask.training import PoolTask, train_gd
from dln.status import Status


def parse_cell(text: str) -> tuple[str, int, int, int]:
    """``method:k:overlap:n`` -> (method, k, overlap, n); method is stl or ptft<c>."""
    method, k, overlap, n = text.split(":")
    if method != "stl" and not method.startswith("ptft"):
        raise argparse.ArgumentTypeError(f"cell {text!r}: method must be stl or ptft<c>, e.g. ptft1")
    return method, int(k), int(overlap), int(n)


def cell_init(method: str, first, spec: dict) -> exact.Init:
    if method == "stl":
        return exact.stl_init(int(spec["d"]), float(spec["alpha"]))
    return pretrained_init(first, spec, float(method.removeprefix("ptft")))


def check_seed(spec: dict, root: int, s: int, cells: list, cap: int, shared: SharedLayers) -> list[dict]:
    """GD at ``cap`` vs the exact limit for every cell of data seed ``s`` (one batched GD run)."""
    d = int(spec["d"])
    dr = seed_draw(spec, root, s)
    first = shared.get(dr, spec, root, s) if any(m != "stl" for m, *_ in cells) else None
    betas = np.stack([main_teacher(dr, d, k, o, main_magnitude(k, "linear")) for _, k, o, _ in cells])
    inits = [cell_init(m, first, spec) for m, *_ in cells]
    weights = single_task_weights(inits)
    task = PoolTask(dr.X_main, np.array([n for *_, n in cells]), betas)
    res = train_gd([task], weights, float(spec["lr"]), cap, float(spec["threshold"]), 0)
    rows = []
    for i, (m, k, o, n) in enumerate(cells):
        X = dr.X_main[:n]
        limit = population_loss(exact.gradient_flow_limit(X, X @ betas[i], inits[i]), betas[i])
        rows.append(
            {
                "seed": s,
                "cell": f"{m}:{k}:{o}:{n}",
                "cap": cap,
                "limit": float(limit),
                "gd_min": float(res.min_eval_loss[i]),
                "gd_over_limit": round(float(res.min_eval_loss[i] / limit), 3),
                "steps": int(res.steps[i]),
                "status": Status(int(res.status[i])).name,
                "train_mse": float(res.train_mse[i]),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cells", nargs="+", type=parse_cell, help="method:k:overlap:n, e.g. stl:20:0:512")
    ap.add_argument("--config", default="config.yaml", help="the workflow config (its multitask section)")
    ap.add_argument("--simulation", default="single_task", help="the multitask section whose spec to use")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0], help="data seeds (repeats of the draw)")
    ap.add_argument("--cap", type=int, default=100_000, help="GD step cap (the authors' sparse experiment: 1e5)")
    ap.add_argument("--pretrain", type=Path, help="pretrain.npz of the same config (PT+FT cells)")
    args = ap.parse_args(argv)
    config = yaml.safe_load(Path(args.config).read_text())
    family = config["multitask"]
    spec = {**family["common"], **(family.get(args.simulation) or {})}
    shared = SharedLayers(dict(np.load(args.pretrain)) if args.pretrain else None)
    with threadpool_limits(limits=1, user_api="blas"):  # one core, as in a workflow job
        for s in args.seeds:
            start = time.process_time()
            for row in check_seed(spec, int(config["seed"]), s, args.cells, args.cap, shared):
                print(json.dumps(row), flush=True)
            print(json.dumps({"seed": s, "cpu_s": round(time.process_time() - start, 1)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
