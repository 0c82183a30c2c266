# Claim family: implicit bias of SGD (Pesme, Pillaud-Vivien, Flammarion 2021).
# Simulations run through the generic `simulate` rule (results/sims/implicit_bias/<name>.npz).
validate_family("implicit_bias")


use rule claim_template as claim_sgd_beats_gd with:
    input:
        **claim("sgd_beats_gd"),
    output:
        **claim_outputs("sgd_beats_gd"),
    log:
        **claim_logs("sgd_beats_gd"),
    benchmark:
        claim_benchmark("sgd_beats_gd")


use rule claim_template as claim_effective_initialisation with:
    input:
        **claim("effective_initialisation"),
    output:
        **claim_outputs("effective_initialisation"),
    log:
        **claim_logs("effective_initialisation"),
    benchmark:
        claim_benchmark("effective_initialisation")


use rule claim_template as claim_slower_is_sparser with:
    input:
        **claim("slower_is_sparser"),
    output:
        **claim_outputs("slower_is_sparser"),
    log:
        **claim_logs("slower_is_sparser"),
    benchmark:
        claim_benchmark("slower_is_sparser")
