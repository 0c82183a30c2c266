"""Claim family: inductive biases of multi-task learning and finetuning (Lippl & Lindsey, NeurIPS 2024).

Two-layer diagonal networks beta = w+ v+ - w- v- in the paper's own parameterisation (all weights start at
alpha; MTL shares the first layer; PT+FT rescales the pretrained first layer by c and resets the readout to
gamma = c alpha).

Modules: `simulations` (config slice -> arrays, with their declared layouts), `claims` (thresholds,
assessments, null models, ``FAMILY``), `figures` (the notebooks' plotting helpers), `relative` (relative
losses over the STL baseline, the quantity every learning-curve claim compares), and the numerics:
`penalties` (explicit penalties, order, feature dependence), `teachers` (data, teachers, analytic pretrained
weights), `exact` (gradient-flow limits for any initialisation, linear probing in closed form), `training`
(batched full-batch GD for the +/- network: single task, pretraining and MTL), `update` (its compiled
elementwise step), `reference` (the plain per-step oracle of `training`), `experiments` (one seed of the
paper's experiments), `metrics` (population loss, mean +- 2 SEM).
"""
