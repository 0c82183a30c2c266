# Claim family: multi-task learning and finetuning (Lippl & Lindsey 2024).
# Simulations run through the generic `simulate` rule (results/sims/multitask/<name>.npz).
validate_family("multitask")


use rule claim_template as claim_penalty_shapes with:
    input:
        **claim("penalty_shapes"),
    output:
        **claim_outputs("penalty_shapes"),
    log:
        **claim_logs("penalty_shapes"),
    benchmark:
        claim_benchmark("penalty_shapes")


use rule claim_template as claim_conservation_law with:
    input:
        **claim("conservation_law"),
    output:
        **claim_outputs("conservation_law"),
    log:
        **claim_logs("conservation_law"),
    benchmark:
        claim_benchmark("conservation_law")


use rule claim_template as claim_prediction_matches_training with:
    input:
        **claim("prediction_matches_training"),
    output:
        **claim_outputs("prediction_matches_training"),
    log:
        **claim_logs("prediction_matches_training"),
    benchmark:
        claim_benchmark("prediction_matches_training")


use rule claim_template as claim_shared_features_help with:
    input:
        **claim("shared_features_help"),
    output:
        **claim_outputs("shared_features_help"),
    log:
        **claim_logs("shared_features_help"),
    benchmark:
        claim_benchmark("shared_features_help")


use rule claim_template as claim_no_overlap_costs with:
    input:
        **claim("no_overlap_costs"),
    output:
        **claim_outputs("no_overlap_costs"),
    log:
        **claim_logs("no_overlap_costs"),
    benchmark:
        claim_benchmark("no_overlap_costs")


use rule claim_template as claim_nested_feature_selection with:
    input:
        **claim("nested_feature_selection"),
    output:
        **claim_outputs("nested_feature_selection"),
    log:
        **claim_logs("nested_feature_selection"),
    benchmark:
        claim_benchmark("nested_feature_selection")


use rule claim_template as claim_rescaling_and_new_features with:
    input:
        **claim("rescaling_and_new_features"),
    output:
        **claim_outputs("rescaling_and_new_features"),
    log:
        **claim_logs("rescaling_and_new_features"),
    benchmark:
        claim_benchmark("rescaling_and_new_features")
