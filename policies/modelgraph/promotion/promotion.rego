# METADATA
# title: Promotion criteria
# description: >-
#   Moving an alias needs a target alias; an alias with configured thresholds
#   (every protected alias must have them) needs an evaluation meeting each one.
package modelgraph.promotion

import data.modelgraph.config
import data.modelgraph.lib

# METADATA
# title: Target alias
# description: The alias a promote moves, when it is a non-empty string.
target_alias := lib.resource.alias if {
	lib.action == "promote"
	lib.non_empty_string(lib.resource.alias)
}

# METADATA
# title: Deny
# description: A promote must name the alias it moves.
deny contains "alias is required to promote" if {
	lib.action == "promote"
	not target_alias
}

# METADATA
# title: Deny
# description: A protected alias without configured thresholds cannot be promoted to (fail closed).
deny contains sprintf("no promotion thresholds configured for alias %s", [target_alias]) if {
	target_alias in config.protected_aliases
	not thresholds
}

# METADATA
# title: Thresholds
# description: The metric thresholds configured for the target alias.
thresholds := config.promotion_thresholds[target_alias] if is_object(config.promotion_thresholds[target_alias])

# METADATA
# title: Candidate metrics
# description: The metrics of the candidate's best evaluation, when given.
candidate_metrics := lib.context.evaluation.metrics if is_object(lib.context.evaluation.metrics)

# METADATA
# title: Deny
# description: The alias has thresholds but the candidate has no evaluation.
deny contains sprintf("no evaluation for alias %s", [target_alias]) if {
	count(thresholds) > 0
	not candidate_metrics
}

# METADATA
# title: Deny
# description: The evaluation lacks a metric the alias requires.
deny contains sprintf("evaluation has no %s metric required for alias %s", [metric, target_alias]) if {
	some metric, _ in thresholds
	candidate_metrics
	not lib.number_at(candidate_metrics, metric)
}

# METADATA
# title: Deny
# description: A metric misses the alias threshold (below it, or above it for lower-is-better metrics).
deny contains sprintf("evaluation %s=%v %s threshold %v for alias %s", [metric, value, side(metric), minimum, target_alias]) if {
	some metric, minimum in thresholds
	value := candidate_metrics[metric]
	is_number(value)
	lib.worse(metric, value, minimum)
}

# METADATA
# title: Side
# description: '"above" for lower-is-better metrics, "below" otherwise.'
side(metric) := "above" if {
	lib.lower_is_better(metric)
} else := "below"
