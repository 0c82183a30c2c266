"""High-dimensional limit of streaming SGD on diagonal linear networks (convention C1, time t = steps/d).

Modules: `model` (covariance and target laws, coordinate types), `conventions` (C1 <-> C2/C3 units),
`observables` (functions of a state shared by every method), `sgd` (streaming SGD, many runs at once),
`hsgd` (homogenized SDE), `limit_particles` and `limit_fokker_planck` (two solvers of the deterministic
McKean-Vlasov limit), `predictions` (closed forms).
"""
