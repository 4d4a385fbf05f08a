# METADATA
# title: Shared helpers
# description: >-
#   Defensive accessors for the authorization input (any field may be missing
#   or of the wrong type) and the one helper that shapes every decision.
package modelgraph.lib

import data.modelgraph.config

# METADATA
# title: Shape a decision
# description: >-
#   The only place a decision object is built: allow when there is no deny
#   reason, reasons = deny and review reasons sorted without duplicates,
#   requires_review when any review reason exists.
shape_decision(deny, review) := {
	"allow": count(deny) == 0,
	"reasons": sort(deny | review),
	"requires_review": count(review) > 0,
}

# METADATA
# title: Array or empty
# description: The value when it is an array, otherwise an empty array.
as_array(x) := x if {
	is_array(x)
} else := []

# METADATA
# title: Number at
# description: >-
#   True when obj[key] is a number. Negate this helper, never
#   "not is_number(obj[key])": OPA hoists the reference out of the negation,
#   so a missing key would make the whole rule undefined.
number_at(obj, key) if is_number(obj[key])

# METADATA
# title: Boolean at
# description: True when obj[key] is a boolean (negate this helper, see number_at).
boolean_at(obj, key) if is_boolean(obj[key])

# METADATA
# title: Non-empty string at
# description: True when obj[key] is a non-empty string (negate this helper, see number_at).
non_empty_string_at(obj, key) if non_empty_string(obj[key])

# METADATA
# title: Non-empty string
# description: True when the value is a string other than "".
non_empty_string(x) if {
	is_string(x)
	x != ""
}

# METADATA
# title: Action
# description: input.action when it is a string.
action := input.action if is_string(input.action)

# METADATA
# title: Principal
# description: input.principal when it is an object.
principal := input.principal if is_object(input.principal)

# METADATA
# title: Principal id
# description: The principal's id when it is a non-empty string.
principal_id := principal.id if non_empty_string(principal.id)

# METADATA
# title: Roles
# description: The role names the principal claims (strings only).
roles := {r | is_array(principal.roles); some r in principal.roles; is_string(r)}

# METADATA
# title: Teams
# description: The teams the principal belongs to (strings only).
teams := {t | is_array(principal.teams); some t in principal.teams; is_string(t)}

# METADATA
# title: Resource
# description: input.resource when it is an object, otherwise {}.
resource := input.resource if {
	is_object(input.resource)
} else := {}

# METADATA
# title: Resource kind
# description: resource.kind when it is a string.
kind := resource.kind if is_string(resource.kind)

# METADATA
# title: Kind label
# description: How reasons name the resource kind - the kind, else "resource".
kind_label := kind if {
	non_empty_string(kind)
} else := "resource"

# METADATA
# title: Resource label
# description: How reasons name the resource - its name, else its id, else "(unnamed)".
resource_label := resource.name if {
	non_empty_string(resource.name)
} else := resource.id if {
	non_empty_string(resource.id)
} else := "(unnamed)"

# METADATA
# title: Context
# description: input.context when it is an object, otherwise {}.
context := input.context if {
	is_object(input.context)
} else := {}

# METADATA
# title: Now
# description: context.now as nanoseconds since the epoch, when it is a valid RFC3339 time.
now_ns := time_ns(context.now)

# METADATA
# title: Time in nanoseconds
# description: >-
#   An RFC3339 string as nanoseconds since the epoch; undefined for anything
#   else. The shape is checked first so malformed strings do not reach the
#   builtin (which would raise an error under strict-builtin-errors).
time_ns(s) := time.parse_rfc3339_ns(s) if {
	is_string(s)
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`, s)
}

# METADATA
# title: Lower is better
# description: True for metrics configured as lower-is-better (latency, error).
lower_is_better(metric) if metric in config.metrics.lower_is_better

# METADATA
# title: Worse
# description: True when value is worse than reference for the metric's direction.
worse(metric, value, reference) if {
	not lower_is_better(metric)
	value < reference
}

# METADATA
# title: Worse
# description: True when value is worse than reference for the metric's direction.
worse(metric, value, reference) if {
	lower_is_better(metric)
	value > reference
}

# METADATA
# title: Entry label
# description: How reasons name a list entry - its id, else its 1-based position ("#1").
entry_label(entry, index) := entry.id if {
	non_empty_string(entry.id)
} else := sprintf("#%d", [index + 1])

# METADATA
# title: Alias key
# description: >-
#   How aliases are compared with the protected list - trimmed and lower-cased,
#   so "Production" or "production\n" are never a way around protection (the
#   app also NFKC-normalises and case-folds before asking).
alias_key(a) := lower(trim_space(a)) if is_string(a)

# METADATA
# title: Target alias
# description: The (normalised) alias a promote moves or removes; deployments have none.
target_alias := alias_key(resource.alias) if {
	action == "promote"
	not deployment_kind
	non_empty_string(alias_key(resource.alias))
}

# METADATA
# title: Deployment kind
# description: True when the resource is a deployment.
deployment_kind if kind == "deployment"

# METADATA
# title: Target environment
# description: The environment tier a promote deploys to (a deployment serving versions).
target_environment := resource.environment if {
	action == "promote"
	kind == "deployment"
	non_empty_string(resource.environment)
}

# METADATA
# title: Promotion key
# description: The key of promotion_thresholds for this promote - the alias, else the environment.
promotion_key := target_alias

# METADATA
# title: Promotion key
# description: The key of promotion_thresholds for this promote - the alias, else the environment.
promotion_key := target_environment

# METADATA
# title: Target label
# description: How reasons name what a promote changes - "alias production" or "deployment to production".
target_label := sprintf("alias %s", [target_alias]) if {
	target_alias
} else := sprintf("deployment to %s", [target_environment])

# METADATA
# title: Alias removal
# description: True when a promote-class request removes the alias instead of moving it.
alias_removal if {
	target_alias
	resource.operation == "remove"
}

# METADATA
# title: Protected target
# description: True when a promote moves or removes a protected alias.
protected_target if target_alias in config.protected_aliases

# METADATA
# title: Protected target
# description: True when a promote deploys to a protected environment (production).
protected_target if target_environment in config.protected_environments
