package modelgraph.validation_test

import data.modelgraph.validation

holdout := {"dataset_version_id": "dsv_2", "used_in_training": false}

training_data := {"dataset_version_id": "dsv_1", "used_in_training": true}

checks(input_version) := {v.check | some v in validation.violations with input as {"version": input_version}}

test_a_complete_production_version_has_no_violation if {
	checks({"in_production": true, "intended_use": "credit scoring", "evaluations": [training_data, holdout]}) == set()
}

test_production_needs_an_intended_use if {
	checks({"in_production": true, "intended_use": "  ", "evaluations": [holdout]}) == {"intended_use_missing"}
}

test_production_needs_an_evaluation_on_data_not_used_in_training if {
	checks({"in_production": true, "intended_use": "x", "evaluations": [training_data]}) == {"holdout_evaluation_missing"}
	checks({"in_production": true, "intended_use": "x", "evaluations": [{"used_in_training": false}]}) == {"holdout_evaluation_missing"}
}

test_versions_outside_production_need_nothing if {
	checks({"in_production": false, "evaluations": []}) == set()
	checks({}) == set()
}

test_requirements_are_data if {
	only_use := {"production": {"intended_use": true}}
	checks({"in_production": true}) == {"intended_use_missing"} with data.modelgraph.config.required_metadata as only_use
	checks({"in_production": true}) == set() with data.modelgraph.config.required_metadata as {}
}
