"""Write a claim notebook from code cells (parameters cell first), stripped of outputs.

Usage: python tools/make_notebook.py DEFINITION.py notebooks/<claim>.ipynb, where DEFINITION.py defines
TITLE (markdown) and CELLS (a list of code strings run after the shared parameters and loading cells).
"""

import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

PARAMS = '''# Parameters (papermill injects the real values)
sims = "[]"
verdict_path = ""
figure_stem = ""
style_path = ""'''
LOAD = """import json

import matplotlib.pyplot as plt
import numpy as np

from dln import io
from dln.figures import plot_band, save_figure, status_summary, use_style

use_style(style_path)
paths = json.loads(sims)
verdict = io.read_json(verdict_path)
print(json.dumps(verdict["measured"], indent=1))"""


def write(path, title, cells):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    p = new_code_cell(PARAMS)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [new_markdown_cell(title), p, new_code_cell(LOAD)] + [new_code_cell(c) for c in cells]
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i}"
    nbformat.write(nb, path)


if __name__ == "__main__":
    import importlib.util

    spec = importlib.util.spec_from_file_location("nbdef", sys.argv[1])
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    write(sys.argv[2], m.TITLE, m.CELLS)
