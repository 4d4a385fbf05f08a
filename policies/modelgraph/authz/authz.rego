# METADATA
# title: modelgraph authorization entry point
# description: >-
#   POST /v1/data/modelgraph/authz/decision with {"input": ...}. The result is
#   always {"allow": bool, "reasons": [string], "requires_review": bool}; only
#   allow == true permits. Malformed input is denied before any other rule.
package modelgraph.authz

import data.modelgraph.anomalies
import data.modelgraph.config
import data.modelgraph.lib
import data.modelgraph.lifecycle
import data.modelgraph.privacy
import data.modelgraph.promotion
import data.modelgraph.reviews
import data.modelgraph.rights
import data.modelgraph.roles

# METADATA
# title: Decision (fallback)
# description: Deny when no other definition applies; keeps the result always defined.
default decision := {"allow": false, "reasons": ["policy could not reach a decision"], "requires_review": false}

# METADATA
# title: Decision
# description: >-
#   Input problems alone when the input is malformed; otherwise every concern's
#   deny and review reasons, shaped by lib.shape_decision.
decision := lib.shape_decision(input_problems, set()) if {
	count(input_problems) > 0
} else := lib.shape_decision(deny, review)

# METADATA
# title: Decisions (batched)
# description: >-
#   POST /v1/data/modelgraph/authz/decisions with {"input": {"questions": {name: input, ...}}}:
#   each question's decision, exactly as the decision rule gives it for that input, in one call.
decisions[name] := answer if {
	some name, question in input.questions
	answer := decision with input as question
}

# METADATA
# title: Deny
# description: Deny reasons of every concern.
deny := (((roles.deny | rights.deny) | promotion.deny) | lifecycle.deny) | reviews.deny

# METADATA
# title: Review
# description: Review reasons of every concern.
review := ((roles.review | rights.review) | anomalies.review) | privacy.review

# METADATA
# title: Input problems
# description: The principal is missing or not an object.
input_problems contains "principal is missing" if not lib.principal

# METADATA
# title: Input problems
# description: The principal has no usable id.
input_problems contains "principal id is missing" if {
	lib.principal
	not lib.principal_id
}

# METADATA
# title: Input problems
# description: The principal's kind, when given, is not a known kind.
input_problems contains sprintf("unknown principal kind %v", [lib.principal.kind]) if {
	not lib.principal.kind in config.principal_kinds
}

# METADATA
# title: Input problems
# description: No action was given.
input_problems contains "action is missing" if not has_action

# METADATA
# title: Input problems
# description: The action is not one of the configured actions.
input_problems contains sprintf("unknown action %v", [input.action]) if {
	has_action
	not input.action in config.actions
}

# METADATA
# title: Input problems
# description: The resource kind, when given, is not a known kind.
input_problems contains sprintf("unknown resource kind %v", [lib.resource.kind]) if {
	not lib.resource.kind in config.resource_kinds
}

# METADATA
# title: Has action
# description: True when input.action is present (whatever its value).
has_action if {
	is_object(input)
	"action" in object.keys(input)
}
