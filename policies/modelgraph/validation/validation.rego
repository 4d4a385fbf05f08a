# METADATA
# title: Required metadata
# description: >-
#   What a model version must carry for where it is used, checked by the
#   continuous validator (modelgraph validate) rather than at one write: a
#   version serving production (alias or deployment) needs an intended use on
#   its model and an evaluation on data its training run did not use (a
#   holdout). Which requirements apply is data: config.required_metadata.
package modelgraph.validation

import data.modelgraph.config

# METADATA
# title: Requirements in production
# description: config.required_metadata.production, {} when unset.
production_requires := config.required_metadata.production if {
	is_object(config.required_metadata.production)
} else := {}

# METADATA
# title: In production
# description: The version holds the production alias or serves a production deployment.
in_production if input.version.in_production == true

# METADATA
# title: Holdout evaluation
# description: Some current evaluation used a dataset version the training run did not use.
has_holdout if {
	some evaluation in input.version.evaluations
	is_string(evaluation.dataset_version_id)
	evaluation.used_in_training == false
}

# METADATA
# title: Violations
# description: The model has no intended use while a version of it serves production.
violations contains {
	"check": "intended_use_missing",
	"message": "serves production but its model has no intended use",
} if {
	in_production
	production_requires.intended_use == true
	not non_empty(object.get(input.version, "intended_use", ""))
}

# METADATA
# title: Violations
# description: A production version has no evaluation on held-out data.
violations contains {
	"check": "holdout_evaluation_missing",
	"message": "serves production without an evaluation on data its training run did not use",
} if {
	in_production
	production_requires.holdout_evaluation == true
	not has_holdout
}

non_empty(text) if {
	is_string(text)
	trim_space(text) != ""
}
