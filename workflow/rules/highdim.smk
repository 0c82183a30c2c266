# Claim family: high-dimensional limit of streaming SGD on DLNs (Garcia Malaxechebarria et al. 2025).
# Simulations run through the generic `simulate` rule (results/sims/highdim/<name>.npz).
validate_family("highdim")


use rule claim_template as claim_sgd_sde_limit with:
    input:
        **claim("sgd_sde_limit"),
    output:
        **claim_outputs("sgd_sde_limit"),
    log:
        **claim_logs("sgd_sde_limit"),
    benchmark:
        claim_benchmark("sgd_sde_limit")


use rule claim_template as claim_rate_in_dimension with:
    input:
        **claim("rate_in_dimension"),
    output:
        **claim_outputs("rate_in_dimension"),
    log:
        **claim_logs("rate_in_dimension"),
    benchmark:
        claim_benchmark("rate_in_dimension")


use rule claim_template as claim_observables with:
    input:
        **claim("observables"),
    output:
        **claim_outputs("observables"),
    log:
        **claim_logs("observables"),
    benchmark:
        claim_benchmark("observables")


use rule claim_template as claim_balance_decay with:
    input:
        **claim("balance_decay"),
    output:
        **claim_outputs("balance_decay"),
    log:
        **claim_logs("balance_decay"),
    benchmark:
        claim_benchmark("balance_decay")


use rule claim_template as claim_coordinate_distribution with:
    input:
        **claim("coordinate_distribution"),
    output:
        **claim_outputs("coordinate_distribution"),
    log:
        **claim_logs("coordinate_distribution"),
    benchmark:
        claim_benchmark("coordinate_distribution")


use rule claim_template as claim_noise_floor with:
    input:
        **claim("noise_floor"),
    output:
        **claim_outputs("noise_floor"),
    log:
        **claim_logs("noise_floor"),
    benchmark:
        claim_benchmark("noise_floor")


use rule claim_template as claim_exponential_convergence with:
    input:
        **claim("exponential_convergence"),
    output:
        **claim_outputs("exponential_convergence"),
    log:
        **claim_logs("exponential_convergence"),
    benchmark:
        claim_benchmark("exponential_convergence")


use rule claim_template as claim_anisotropic_covariance with:
    input:
        **claim("anisotropic_covariance"),
    output:
        **claim_outputs("anisotropic_covariance"),
    log:
        **claim_logs("anisotropic_covariance"),
    benchmark:
        claim_benchmark("anisotropic_covariance")
