"""Write the published per-seed results of Lippl & Lindsey (2024) as a small CSV of package data.

Run with any Python that has pandas and pyarrow (not part of the project's lock), pointing at a checkout or a
bare git directory of the authors' repository:

    python tools/published_means.py --git-dir /path/to/multi-task.git
    python tools/published_means.py --checkout /path/to/multi-task

It reads ``data/processed/diagonal/df_diagonal_{overlap,sparse_overlap,scaling}.feather`` and writes
``src/dln/multitask/published/lippl_lindsey_2024.csv``: one row per published run (method, teacher, n, seed)
with its test loss, final train MSE, its seed's baseline and the relative loss the paper plots, after a ``#``
header naming the repository, the commit and each file's sha256. See `dln.multitask.published` for what the
numbers are (the header repeats it).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
from pathlib import Path

import pandas as pd

REPOSITORY = "https://github.com/sflippl/multi-task"
FILES = {
    "overlap": "data/processed/diagonal/df_diagonal_overlap.feather",
    "sparse": "data/processed/diagonal/df_diagonal_sparse_overlap.feather",
    "scaling": "data/processed/diagonal/df_diagonal_scaling.feather",
}
OUT = Path(__file__).resolve().parents[1] / "src/dln/multitask/published/lippl_lindsey_2024.csv"
METHODS = {"STL": "stl", "MTL": "mtl", "PT+FT": "ptft", "PT+FT (LR)": "lp_ptft", "STL (LR)": "lp_stl"}
K_AUX = 40

DEFINITION = """\
Definition of the numbers (read from the authors' code and checked against these files):
- Each run is one call of experiments/diagonal/diagonal_network_finetune.py (full-batch torch SGD, lr 0.1,
  F.mse_loss, stop at train MSE < 1e-10 or at the epoch cap: 1e6 for the overlap experiment, 1e5 for the sparse
  and scaling experiments). It logs the train MSE every epoch and the test MSE on 10,000 fresh inputs at every
  epoch i with i % 50 == 0 and once after the last epoch.
- The collation into these files is not in the repository. Each run appears with one 'train' value and one test
  value ('val'; MTL: 'val_1' auxiliary task, 'val_2' main task). The train value is the final train MSE (below
  the 1e-10 stop threshold wherever the run converged). The test value is NOT the final test MSE: it is the
  minimum over the logged test checkpoints. Evidence: without overlap at n = 16 and 32 (sparse experiment, k in
  {5, 40}) PT+FT and PT+FT (LR) runs reach train MSE < 1e-10, yet their test value is 0.97-1.02 x the teacher
  energy ||beta*||^2 (the loss at beta ~ 0, i.e. the first checkpoint), while the interpolators those runs
  converge to (exact gradient-flow limit and linear-probe solution of the same protocol) have 1.4-12 x
  ||beta*||^2; PT+FT and PT+FT (LR) report identical values there (both minimal at the first checkpoint).
  Where the test loss falls monotonically the minimum is the final value.
- loss: that minimum test MSE of the main task (MSE = mean squared error = population loss up to the Monte
  Carlo error of 10,000 test points; E[x x^T] = I).
- baseline: the same seed's STL value (also a minimum over checkpoints) at the smallest n (16), as the authors'
  figure code forms it (fig-shared.Rmd, fig-nested.Rmd): joined on (seed, overlap) in the overlap experiment and
  on (seed, active_dims, overlap yes/no) in the sparse experiment; the scaling experiment's PT+FT rows take the
  sparse experiment's STL baseline (its own STL rows are STL at the reduced init gamma and are not used).
- relative = loss / baseline: the y axis of every learning-curve figure; the paper plots its mean over the 6
  seeds (0-5) with +- 2 SEM.
- Rows: every run of the overlap and sparse files; of the scaling file the PT+FT rows with w_scaling < 1 (its
  w_scaling = 1 rows equal the sparse file's PT+FT rows, checked by this script).
Columns: experiment (overlap | sparse), method (stl, mtl, ptft, lp_ptft = PT+FT (LR), lp_stl = STL (LR)),
c (first-layer rescaling w_scaling of PT+FT and PT+FT (LR), empty for STL, STL (LR), MTL), k (main-task
features, active_dims; 40 in the overlap experiment), overlap (main features shared with the 40 auxiliary ones:
0-40 in the overlap experiment; k ('yes') or 0 ('no') in the sparse one), n (main-task samples n_train2),
seed, loss, train_mse, baseline, relative."""


def read_file(path: str, git_dir: str | None, checkout: str | None) -> bytes:
    if git_dir:
        return subprocess.run(
            ["git", f"--git-dir={git_dir}", "show", f"HEAD:{path}"], check=True, capture_output=True
        ).stdout
    assert checkout is not None
    return (Path(checkout) / path).read_bytes()


def commit(git_dir: str | None, checkout: str | None) -> str:
    args = [f"--git-dir={git_dir}"] if git_dir else ["-C", str(checkout)]
    return subprocess.run(
        ["git", *args, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def runs(df: pd.DataFrame) -> pd.DataFrame:
    """One row per run: main-task test value (val, or val_2 for MTL) with the run's train value beside it."""
    keys = [c for c in df.columns if c not in ("split", "loss")]
    test = df[df["split"].isin(["val", "val_2"])].drop(columns="split")
    train = df[df["split"] == "train"].drop(columns="split").rename(columns={"loss": "train_mse"})
    out = test.merge(train, on=keys, how="left", validate="one_to_one")
    if len(out) != len(test) or out["train_mse"].isna().any():
        raise ValueError("a run without its train value")
    return out


def tidy(df: pd.DataFrame, experiment: str) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "experiment": "overlap" if experiment == "overlap" else "sparse",
            "method": df["setup"].map(METHODS),
            "seed": df["seed"].astype(int),
            "n": df["n_train"].astype(int),
            "loss": df["loss"].astype(float),
            "train_mse": df["train_mse"].astype(float),
        }
    )
    if out["method"].isna().any():
        raise ValueError(f"unknown setup in {experiment}: {sorted(set(df['setup']) - set(METHODS))}")
    if experiment == "overlap":
        out["k"] = K_AUX
        out["overlap"] = df["overlap"].astype(int)
    else:
        out["k"] = df["active_dims"].astype(int)
        out["overlap"] = (df["overlap"] == "yes").astype(int) * out["k"]
    c = df["w_scaling"].astype(float) if "w_scaling" in df else pd.Series(1.0, index=df.index)
    out["c"] = c.where(out["method"].isin(["ptft", "lp_ptft"]))
    return out


def with_baselines(runs_: pd.DataFrame, baselines_from: pd.DataFrame) -> pd.DataFrame:
    keys = ["experiment", "k", "overlap", "seed"]
    base = baselines_from[(baselines_from["method"] == "stl") & (baselines_from["n"] == baselines_from["n"].min())]
    base = base[[*keys, "loss"]].rename(columns={"loss": "baseline"})
    out = runs_.merge(base, on=keys, how="left", validate="many_to_one")
    if out["baseline"].isna().any():
        raise ValueError("a run without its STL baseline")
    out["relative"] = out["loss"] / out["baseline"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--git-dir")
    src.add_argument("--checkout")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    raw = {name: read_file(path, a.git_dir, a.checkout) for name, path in FILES.items()}
    frames = {name: runs(pd.read_feather(io.BytesIO(data))) for name, data in raw.items()}
    overlap, sparse = tidy(frames["overlap"], "overlap"), tidy(frames["sparse"], "sparse")
    scaling = tidy(frames["scaling"], "scaling")
    scaling = scaling[scaling["method"] == "ptft"]
    keys = ["k", "overlap", "n", "seed"]
    same = scaling[scaling["c"] == 1.0].merge(sparse[sparse["method"] == "ptft"], on=keys, suffixes=("", "_sparse"))
    if len(same) != (scaling["c"] == 1.0).sum() or not (same["loss"] == same["loss_sparse"]).all():
        raise ValueError("the scaling file's w_scaling = 1 rows differ from the sparse file's PT+FT rows")
    table = pd.concat(
        [
            with_baselines(overlap, overlap),
            with_baselines(sparse, sparse),
            with_baselines(scaling[scaling["c"] < 1.0], sparse),
        ]
    )
    cols = ["experiment", "method", "c", "k", "overlap", "n", "seed", "loss", "train_mse", "baseline", "relative"]
    table = table[cols].sort_values(["experiment", "method", "c", "k", "overlap", "n", "seed"], na_position="first")
    header = [
        "Published results of Lippl & Lindsey, NeurIPS 2024 (per run), written by tools/published_means.py",
        f"repository: {REPOSITORY}",
        f"commit: {commit(a.git_dir, a.checkout)}",
        *(f"file: {FILES[name]} sha256 {hashlib.sha256(data).hexdigest()}" for name, data in raw.items()),
        f"rows: {len(table)}",
        *DEFINITION.splitlines(),
    ]
    body = table.to_csv(index=False, float_format="%.7g", lineterminator="\n")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text("".join(f"# {line}\n" for line in header) + body)
    print(f"{a.out}: {len(table)} rows")


if __name__ == "__main__":
    main()
