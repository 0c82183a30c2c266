"""Multi-task learning and finetuning in two-layer diagonal linear networks (Lippl & Lindsey 2024).

Modules: ``penalties`` (explicit penalties, order, feature dependence), ``teachers`` (data, teachers,
analytic pretrained weights), ``exact`` (gradient-flow limits for any initialisation, linear probing in closed
form), ``training`` (batched full-batch GD for the +/- network: single task, pretraining and MTL),
``experiments`` (one seed of the paper's experiments), ``simulations`` (config slice -> arrays),
``metrics`` (population and relative loss, mean +- 2 SEM), ``verdicts`` (pure claim checks), ``threads``
(single-threaded BLAS for the small-matrix GD loops).
"""
