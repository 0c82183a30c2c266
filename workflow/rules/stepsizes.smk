# Claim family: large stepsizes, exact implicit regularisation and edge of stability (Even et al. 2023).
# One simulation, results/sims/stepsizes/sweep.npz, feeds all six claims (generic `simulate` rule).
validate_family("stepsizes")


use rule claim_template as claim_exact_implicit_problem with:
    input:
        **claim("exact_implicit_problem"),
    output:
        **claim_outputs("exact_implicit_problem"),
    log:
        **claim_logs("exact_implicit_problem"),
    benchmark:
        claim_benchmark("exact_implicit_problem")


use rule claim_template as claim_large_steps_help_sgd with:
    input:
        **claim("large_steps_help_sgd"),
    output:
        **claim_outputs("large_steps_help_sgd"),
    log:
        **claim_logs("large_steps_help_sgd"),
    benchmark:
        claim_benchmark("large_steps_help_sgd")


use rule claim_template as claim_large_steps_hurt_gd with:
    input:
        **claim("large_steps_hurt_gd"),
    output:
        **claim_outputs("large_steps_hurt_gd"),
    log:
        **claim_logs("large_steps_hurt_gd"),
    benchmark:
        claim_benchmark("large_steps_hurt_gd")


use rule claim_template as claim_gain_shape with:
    input:
        **claim("gain_shape"),
    output:
        **claim_outputs("gain_shape"),
    log:
        **claim_logs("gain_shape"),
    benchmark:
        claim_benchmark("gain_shape")


use rule claim_template as claim_edge_of_stability with:
    input:
        **claim("edge_of_stability"),
    output:
        **claim_outputs("edge_of_stability"),
    log:
        **claim_logs("edge_of_stability"),
    benchmark:
        claim_benchmark("edge_of_stability")


use rule claim_template as claim_batch_size_and_gain with:
    input:
        **claim("batch_size_and_gain"),
    output:
        **claim_outputs("batch_size_and_gain"),
    log:
        **claim_logs("batch_size_and_gain"),
    benchmark:
        claim_benchmark("batch_size_and_gain")
