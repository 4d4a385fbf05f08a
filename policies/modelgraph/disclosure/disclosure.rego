# METADATA
# title: Disclosure of classified metadata
# description: >-
#   Whether a principal may read a field of a given classification, for the
#   purpose it states: public and internal to every reader; confidential to the
#   owners of what it is about and the roles policy data names; personal only
#   to those roles and only for a purpose policy data lists. Which roles and
#   purposes is data: config.disclosure.
package modelgraph.disclosure

import data.modelgraph.config
import data.modelgraph.lib

default allow := false

# METADATA
# title: Rules for a classification
# description: config.disclosure[classification], {} when unset.
rules := config.disclosure[input.classification] if {
	is_object(config.disclosure[input.classification])
} else := {}

allow if input.classification == "public"

allow if {
	input.classification in {"internal", "confidential"}
	some role in lib.principal.roles
	role in rules.roles
}

allow if {
	input.classification == "confidential"
	rules.owners == true
	input.owner == true
}

allow if {
	input.classification == "personal"
	some role in lib.principal.roles
	role in rules.roles
	input.purpose in rules.purposes
}

# METADATA
# title: Reason
# description: Why a value is withheld (kept in logs and tests; the reader sees the classification).
reason := sprintf("%s data needs an owner or one of the roles %s", [input.classification, roles_text]) if {
	not allow
	input.classification == "confidential"
} else := sprintf("%s data needs one of the roles %s and a purpose in %s", [input.classification, roles_text, purposes_text]) if {
	not allow
	input.classification == "personal"
} else := sprintf("%s data needs one of the roles %s", [input.classification, roles_text]) if {
	not allow
} else := ""

roles_text := concat(", ", object.get(rules, "roles", []))

purposes_text := concat(", ", object.get(rules, "purposes", []))
