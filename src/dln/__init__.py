"""dln: (stochastic) gradient descent on diagonal linear networks, beta = u * v.

The package holds the numerics behind the dln-figures workflow: data generation, batched training of
grids of runs (GD, mini-batch SGD, stochastic gradient flow), the implicit-bias solvers, and the pure
verdict functions that decide whether each claim of the literature holds.
"""

__version__ = "0.1.0"
