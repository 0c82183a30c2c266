"""Refresh docs/gallery/ from results/: downscaled PNGs of every claim figure and a markdown index.

Usage: python tools/make_gallery.py [results_dir] [description of the run]  (after a workflow run)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PIL import Image

WIDTH = 900


def main(results: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    config = sys.argv[2] if len(sys.argv) > 2 else ""
    lines = [
        "# Gallery",
        "",
        f"Figures of the last full run{': ' + config if config else ''}. Regenerate with",
        "`python tools/make_gallery.py` after `snakemake`.",
        "",
    ]
    for verdict_file in sorted((results / "claims").glob("*.json")):
        v = json.loads(verdict_file.read_text())
        png = results / "figures" / f"{v['id']}.png"
        img = Image.open(png)
        if img.width > WIDTH:
            img = img.resize((WIDTH, round(img.height * WIDTH / img.width)), Image.LANCZOS)
        img.convert("RGB").quantize(colors=96).save(out / png.name, optimize=True)
        status = "holds" if v["holds"] else "does not hold"
        lines += [f"## `{v['id']}` ({status})", "", v["statement"], "", f"![{v['id']}]({png.name})", ""]
    (out / "README.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "results"), Path("docs/gallery"))
