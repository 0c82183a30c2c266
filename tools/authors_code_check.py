"""Run the authors' own training code (sflippl/multi-task) on a few cells and compare with ours on the SAME data.

Two halves, two environments:

* ``authors`` (a PyTorch CPU environment, e.g. /work/torchenv): imports the authors' worker scripts from a checkout
  of sflippl/multi-task (``--authors``: a directory holding ``experiments/diagonal`` and ``functions``, e.g. made by
  ``git --git-dir=<mirror> archive HEAD experiments functions | tar x``) and calls their own ``main(args)`` of
  ``diagonal_network_finetune.py`` (and ``train`` of ``diagonal_network_pretrain.py`` for the pretrained model),
  with the arguments of their array scripts except the epoch cap, which is an option. Their data are regenerated
  with their own functions and seed (``torch.manual_seed(seed)`` and the same draw order), so a cell's teacher and
  inputs are those of the published run of that seed. Writes one ``.npz`` per cell (their final betas, their
  validation history, the teacher and the inputs) into ``--out``.
  ``functions/networks.py`` imports pytorch_lightning, which the diagonal scripts never use: it is replaced by an
  empty module. Their sparse/rescaling experiments' published data imply a main teacher of magnitude 1/k (an
  earlier version of their code; the current one says 1/sqrt(k)): ``--scale linear`` rescales their main teacher
  after it is drawn (no change to the random stream).

* ``ours`` (the project's environment): reads those files and trains our networks on the same inputs and teachers
  (`dln.multitask.exact` limits, `dln.multitask.training.train_gd`), and prints / writes a table: published (same
  seed), theirs (final and min over their 50-epoch checkpoints), ours.

Cells are named ``setup:seed:k:overlap:n`` with setup in {stl, ptft, mtl}; overlap is an integer. Example:
  /work/torchenv/bin/python tools/authors_code_check.py authors --authors /work/authors --out authors_runs/authors \
      --epochs 100000 --scale sqrt stl:0:40:20:256 ptft:0:40:40:64
  .venv/bin/python tools/authors_code_check.py ours --out authors_runs/authors
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import types
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

D, K_AUX, N_AUX, ALPHA, LR, LR_PT, THRESHOLD = 1000, 40, 1024, 1e-3, 0.1, 0.5, 1e-10


def parse_cell(text: str) -> dict:
    setup, seed, k, overlap, n = text.split(":")
    return {"setup": setup, "seed": int(seed), "k": int(k), "overlap": int(overlap), "n": int(n)}


def cell_name(c: dict, scale: str, epochs: int) -> str:
    return f"{c['setup']}_s{c['seed']}_k{c['k']}_o{c['overlap']}_n{c['n']}_{scale}_e{epochs}"


# ----------------------------------------------------------------------------------------------- authors (torch)
def _import_authors(root: Path):
    sys.path.insert(0, str(root))
    sys.path.insert(0, str(root / "experiments" / "diagonal"))
    import functions  # noqa: F401  (their package; networks.py needs pytorch_lightning, unused here)

    stub = types.ModuleType("functions.networks")
    sys.modules["functions.networks"] = stub
    functions.networks = stub
    import diagonal_network_finetune as ft
    import diagonal_network_pretrain as pt

    return ft, pt


def _pretrained_path(out: Path, seed: int, pt, ft, epochs_pt: int, torch) -> Path:
    """Their pretraining (diagonal_network_pretrain.train, lr 0.5, threshold 1e-10), cached per seed."""
    path = out / f"pretrain_s{seed}_e{epochs_pt}.pt"
    if path.exists():
        return path
    torch.manual_seed(seed)  # their pretrain main(): teacher, x, val_x in this order
    param = pt.sample_teacher(D, K_AUX)
    x = torch.distributions.normal.Normal(0, 1).sample((N_AUX, D))
    x = x / torch.sqrt(torch.mean(x**2, dim=-1, keepdims=True))
    val_x = torch.distributions.normal.Normal(0, 1).sample((10000, D))
    val_x = val_x / torch.sqrt(torch.mean(val_x**2, dim=-1, keepdims=True))
    net = pt.DiagonalNet(D, scaling=ALPHA)
    t0 = time.process_time()
    with redirect_stdout(io.StringIO()):
        df, net, _ = pt.train(
            net,
            (x, pt.teacher(x, *param)),
            (val_x, pt.teacher(val_x, *param)),
            lr=LR_PT,
            epochs=epochs_pt,
            lr_tuning=True,
            threshold=THRESHOLD,
        )
    train = df[df.split == "train"]
    print(
        f"pretrain seed {seed}: {len(train)} epochs, train MSE {train.loss.iloc[-1]:.3g}, "
        f"{time.process_time() - t0:.0f} CPU-s"
    )
    torch.save(net.state_dict(), path)
    return path


def run_authors(args: argparse.Namespace) -> None:
    import pandas as pd
    import torch

    torch.set_num_threads(1)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ft, pt = _import_authors(Path(args.authors))
    if args.scale in ("linear", "linear_both"):  # published sparse data: |beta_main| = 1/k (module docstring)
        original = ft.sample_two_teachers
        both = args.scale == "linear_both"  # also the auxiliary teacher of the MTL run at 1/k_aux

        def sample_two_teachers(inp_dim, k1, k2, overlap=0):
            (w1, v1), (w2, v2) = original(inp_dim, k1, k2, overlap=overlap)
            return (w1, v1 * (np.sqrt(k1) / k1) if both else v1), (w2, v2 * (np.sqrt(k2) / k2))

        ft.sample_two_teachers = sample_two_teachers
    for text in args.cells:
        c = parse_cell(text)
        name = cell_name(c, args.scale, args.epochs)
        if (out / f"{name}.npz").exists():
            print(f"{name}: exists")
            continue
        if c["setup"] == "ptft":
            model_path = _pretrained_path(out, c["seed"], pt, ft, args.epochs_pretrain, torch)
        else:  # STL / MTL load it only to log a norm of the pretrained beta: an untrained net does
            model_path = out / "untrained.pt"
            torch.save(pt.DiagonalNet(D, scaling=ALPHA).state_dict(), model_path)
        ns = argparse.Namespace(
            seed=c["seed"],
            save_path=str(out / "tmp" / name) + "/",
            load_model=c["setup"] == "ptft",
            model_path=str(model_path),
            model_scaling=ALPHA,
            n_train1=N_AUX,
            n_train2=c["n"],
            active_dim_1=K_AUX,
            active_dim_2=c["k"],
            inp_dim=D,
            threshold=THRESHOLD,
            no_tuning=False,
            lr=LR,
            epochs=args.epochs,
            scaling=ALPHA,
            overlap=c["overlap"],
            linear_readout=False,
            one_task=c["setup"] != "mtl",
            save_weights=True,
            w_scaling=1.0,
        )
        ft.args = ns  # their train_* functions read the global args
        Path(ns.save_path).mkdir(parents=True, exist_ok=True)
        t0 = time.process_time()
        buf = io.StringIO()
        with redirect_stdout(buf):
            ft.main(ns)
        cpu = time.process_time() - t0
        df = pd.read_feather(Path(ns.save_path) / "df.feather")
        weights = pd.read_feather(Path(ns.save_path) / "weights_df.feather")
        # the same draw again, with their functions, for the data and the teachers
        torch.manual_seed(c["seed"])
        p1, p2 = ft.sample_two_teachers(D, K_AUX, c["k"], overlap=c["overlap"])
        x1 = ft.circular_sample((N_AUX, D))
        x2 = ft.circular_sample((c["n"], D))
        b1 = (p1[0].T @ p1[1]).numpy()
        b2 = (p2[0].T @ p2[1]).numpy()
        val_split = "val_2" if c["setup"] == "mtl" else "val"
        val = df[df.split == val_split]
        train = df[df.split == "train"]
        state = torch.load(model_path)
        np.savez_compressed(
            out / f"{name}.npz",
            setup=c["setup"],
            seed=c["seed"],
            k=c["k"],
            overlap=c["overlap"],
            n=c["n"],
            scale=args.scale,
            epochs_cap=args.epochs,
            x1=x1.numpy(),
            x2=x2.numpy(),
            beta_aux=b1,
            beta_main=b2,
            beta_final=weights[weights.task == "2"].value.to_numpy(np.float64),
            val_epoch=val.epoch.to_numpy(),
            val_loss=val.loss.to_numpy(),
            train_epochs=len(train),
            train_final=train.loss.iloc[-1],
            lr_restarts=buf.getvalue().count("Decreasing learning rate"),
            pt_w_pos=state["w_pos"].numpy(),
            pt_w_neg=state["w_neg"].numpy(),
            pt_v_pos=state["v_pos"].numpy(),
            pt_v_neg=state["v_neg"].numpy(),
            cpu_s=cpu,
            published=np.nan if (pub := published(Path(args.authors), c, args.scale)) is None else pub,
        )
        print(
            f"{name}: {len(train)} epochs, train {train.loss.iloc[-1]:.3g}, val final {val.loss.iloc[-1]:.4g} "
            f"min {val.loss.min():.4g}, {cpu:.0f} CPU-s",
            flush=True,
        )


# ---------------------------------------------------------------------------------------------------- ours (numpy)
def published(root: Path, c: dict, scale: str) -> float | None:
    """The published validation loss of this cell and seed (read in the authors' environment: needs pyarrow)."""
    import pandas as pd

    base = root / "data" / "processed" / "diagonal"
    setup = {"stl": "STL", "ptft": "PT+FT", "mtl": "MTL"}[c["setup"]]
    split = "val_2" if c["setup"] == "mtl" else "val"
    if scale == "sqrt":  # overlap experiment; otherwise the sparse experiment
        df = pd.read_feather(base / "df_diagonal_overlap.feather")
        sel = df[(df.overlap == c["overlap"])]
    else:
        df = pd.read_feather(base / "df_diagonal_sparse_overlap.feather")
        sel = df[(df.active_dims == c["k"]) & (df.overlap == ("yes" if c["overlap"] == c["k"] else "no"))]
    sel = sel[(sel.setup == setup) & (sel.seed == c["seed"]) & (sel.n_train == c["n"]) & (sel.split == split)]
    return float(sel.loss.iloc[0]) if len(sel) else None


def run_ours(args: argparse.Namespace) -> None:
    from dln.multitask import exact, teachers
    from dln.multitask.training import GramTask, PoolTask, Weights, train_gd

    rows = []
    for path in sorted(Path(args.out).glob("*_e*.npz")):
        if path.name.startswith("pretrain"):
            continue
        z = np.load(path)
        c = {key: (str(z[key]) if key == "setup" else int(z[key])) for key in ("setup", "seed", "k", "overlap", "n")}
        x1, x2 = z["x1"].astype(np.float64), z["x2"].astype(np.float64)
        b1, b2 = z["beta_aux"].astype(np.float64), z["beta_main"].astype(np.float64)
        cap = int(z["epochs_cap"])
        t0 = time.process_time()
        row = {"cell": path.stem, **c, "scale": str(z["scale"]), "cap": cap}
        row["published"] = float(z["published"]) if "published" in z else None
        row["theirs_final_pop"] = float(np.sum((z["beta_final"] - b2) ** 2))
        row["theirs_val_final"] = float(z["val_loss"][-1])
        row["theirs_val_min"] = float(z["val_loss"].min())
        row["theirs_epochs"] = int(z["train_epochs"])
        row["theirs_train"] = float(z["train_final"])
        row["theirs_lr_restarts"] = int(z["lr_restarts"])
        y2 = x2 @ b2
        if c["setup"] in ("stl", "ptft"):
            if c["setup"] == "stl":
                init = exact.stl_init(D, ALPHA)
            else:  # their pretrained first layer (state dict of their pretraining), readout reset to alpha
                init = exact.ptft_init(z["pt_w_pos"].astype(float), z["pt_w_neg"].astype(float), 1.0, ALPHA)
            row["ours_exact"] = float(np.sum((exact.gradient_flow_limit(x2, y2, init) - b2) ** 2))
            if c["setup"] == "ptft":  # the workflow's pretrained weights: the gradient-flow closed form, not GD
                wp, wn = teachers.pretrained_weights(b1, ALPHA)
                closed = exact.ptft_init(wp, wn, 1.0, ALPHA)
                row["ours_exact_closed_pt"] = float(np.sum((exact.gradient_flow_limit(x2, y2, closed) - b2) ** 2))
            w = Weights(
                init.w_pos[None].copy(),
                init.w_neg[None].copy(),
                init.v_pos[None, None].copy(),
                init.v_neg[None, None].copy(),
            )
            res = train_gd([PoolTask(x2, np.array([c["n"]]), b2[None])], w, LR, cap, THRESHOLD, 0)
        else:
            a = np.full((1, D), ALPHA)
            w = Weights(a.copy(), a.copy(), np.full((2, 1, D), ALPHA), np.full((2, 1, D), ALPHA))
            tasks = [GramTask(x1.T @ x1, b1[None], N_AUX), PoolTask(x2, np.array([c["n"]]), b2[None])]
            res = train_gd(tasks, w, LR, cap, THRESHOLD, 1)
        row["ours_gd_final"] = float(res.final_eval_loss[0])
        row["ours_gd_min"] = float(res.min_eval_loss[0])
        row["ours_gd_steps"] = int(res.steps[0])
        row["ours_gd_train"] = float(res.train_mse[0])
        row["ours_cpu_s"] = time.process_time() - t0
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    cols = [
        "cell",
        "published",
        "theirs_val_final",
        "theirs_val_min",
        "theirs_final_pop",
        "theirs_epochs",
        "ours_exact",
        "ours_exact_closed_pt",
        "ours_gd_final",
        "ours_gd_min",
        "ours_gd_steps",
    ]
    print("| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in rows:
        vals = [r.get(k) for k in cols]
        print("| " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in vals) + " |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="mode", required=True)
    a = sub.add_parser("authors", help="run the authors' code (PyTorch environment)")
    a.add_argument("cells", nargs="+")
    a.add_argument("--authors", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--epochs", type=int, default=100000)
    a.add_argument("--epochs-pretrain", type=int, default=1000000)
    a.add_argument("--scale", choices=["sqrt", "linear", "linear_both"], default="sqrt")
    o = sub.add_parser("ours", help="our code on the same data (project environment)")
    o.add_argument("--authors", required=True, help="for the published feather files")
    o.add_argument("--out", required=True)
    o.add_argument("--json")
    args = p.parse_args()
    run_authors(args) if args.mode == "authors" else run_ours(args)


if __name__ == "__main__":
    main()
