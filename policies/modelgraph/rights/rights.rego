# METADATA
# title: Licence and data-usage rights
# description: >-
#   Publishing a model needs a licence on the allowed list; publishing a model
#   version checks the usage rights of every training dataset version.
package modelgraph.rights

import data.modelgraph.config
import data.modelgraph.lib

# METADATA
# title: Licence
# description: resource.licence when given (present, not null, not "").
licence := lib.resource.licence if {
	lib.resource.licence != null
	lib.resource.licence != ""
}

# METADATA
# title: Publishing a model or version
# description: True for publish of a model or a model version.
publishing_model if {
	lib.action == "publish"
	lib.kind in {"model", "model_version"}
}

# METADATA
# title: Changing the licence
# description: True for a modify of a model whose changes include its licence.
changing_licence if {
	lib.action == "modify"
	lib.kind == "model"
	"licence" in lib.as_array(lib.context.changes)
}

# METADATA
# title: Deny
# description: A model is published (or updated) without a licence.
deny contains "licence is required" if {
	lib.action == "publish"
	lib.kind == "model"
	not licence
}

# METADATA
# title: Deny
# description: An update removes a model's licence.
deny contains "licence is required" if {
	changing_licence
	not licence
}

# METADATA
# title: Deny
# description: The licence given is not on the allowed list.
deny contains sprintf("licence %v is not on the allowed list", [licence]) if {
	publishing_model
	not licence in config.allowed_licences
}

# METADATA
# title: Deny
# description: An update sets a licence that is not on the allowed list (the same list as publish).
deny contains sprintf("licence %v is not on the allowed list", [licence]) if {
	changing_licence
	not licence in config.allowed_licences
}

# METADATA
# title: Training data
# description: Each training dataset version of a model version being published, with its usage rights.
training_data contains {"label": lib.entry_label(entry, i), "rights": rights(entry)} if {
	lib.action == "publish"
	lib.kind == "model_version"
	some i, entry in lib.as_array(lib.context.training_data)
}

# METADATA
# title: Rights
# description: An entry's usage_rights object, {} when missing or malformed.
rights(entry) := entry.usage_rights if {
	is_object(entry.usage_rights)
} else := {}

# METADATA
# title: Deny
# description: Training data whose rights forbid training.
deny contains sprintf("training data %s forbids training", [d.label]) if {
	some d in training_data
	d.rights.training_allowed == false
}

# METADATA
# title: Review
# description: Training data that does not say whether training is allowed.
review contains sprintf("training data %s does not declare whether training is allowed", [d.label]) if {
	some d in training_data
	not lib.boolean_at(d.rights, "training_allowed")
}

# METADATA
# title: Deny
# description: Intended commercial use, but a training dataset version forbids it.
deny contains sprintf("dataset version %s forbids commercial use", [d.label]) if {
	lib.context.commercial_use == true
	some d in training_data
	d.rights.commercial_use == false
}

# METADATA
# title: Review
# description: Intended commercial use, but a training dataset version does not say whether it allows it.
review contains sprintf("dataset version %s does not declare whether commercial use is allowed", [d.label]) if {
	lib.context.commercial_use == true
	some d in training_data
	not lib.boolean_at(d.rights, "commercial_use")
}

# METADATA
# title: Review
# description: Training data containing personal data routes the publish to review.
review contains sprintf("trained on personal data in %s", [d.label]) if {
	some d in training_data
	d.rights.contains_personal_data == true
}
