# METADATA
# title: Promotion criteria
# description: >-
#   Moving an alias needs a target alias; an alias (or a deployment environment)
#   with configured thresholds (every protected one must have them) needs an
#   evaluation meeting each one - for every version that receives traffic.
package modelgraph.promotion

import data.modelgraph.config
import data.modelgraph.lib

# METADATA
# title: Deny
# description: A promote must name the alias it moves (or the environment it deploys to).
deny contains "alias is required to promote" if {
	lib.action == "promote"
	not lib.promotion_key
}

# METADATA
# title: Deny
# description: A protected alias without configured thresholds cannot be promoted to (fail closed).
deny contains sprintf("no promotion thresholds configured for %s", [lib.target_label]) if {
	lib.protected_target
	not configured
}

# METADATA
# title: Configured
# description: True when promotion_thresholds has an object for the target (negate this, not is_object).
configured if is_object(config.promotion_thresholds[lib.promotion_key])

# METADATA
# title: Thresholds
# description: The metric thresholds for the target; removing an alias has no candidate to judge.
thresholds := config.promotion_thresholds[lib.promotion_key] if {
	configured
	not lib.alias_removal
}

# METADATA
# title: Traffic given
# description: True when the request lists the versions a deployment serves.
traffic_given if count(lib.as_array(lib.context.traffic)) > 0

# METADATA
# title: Candidates
# description: Without a traffic split, the one candidate and its best evaluation's metrics.
candidates contains {"prefix": "", "metrics": object.get(lib.context, ["evaluation", "metrics"], null)} if {
	not traffic_given
}

# METADATA
# title: Candidates
# description: >-
#   Every version that receives traffic (a 50/50 split, a 1 % canary) is a
#   candidate and must meet the thresholds, not only the majority version.
candidates contains {
	"prefix": sprintf("version %v (%v%% of traffic): ", [entry.version, entry.percent]),
	"metrics": object.get(entry, "metrics", null),
} if {
	some entry in lib.as_array(lib.context.traffic)
	is_number(entry.percent)
	entry.percent > 0
}

# METADATA
# title: Deny
# description: The target has thresholds but a candidate has no evaluation.
deny contains sprintf("%sno evaluation for %s", [c.prefix, lib.target_label]) if {
	count(thresholds) > 0
	some c in candidates
	not is_object(c.metrics)
}

# METADATA
# title: Deny
# description: A candidate's evaluation lacks a metric the target requires.
deny contains sprintf("%sevaluation has no %s metric required for %s", [c.prefix, metric, lib.target_label]) if {
	some metric, _ in thresholds
	some c in candidates
	is_object(c.metrics)
	not lib.number_at(c.metrics, metric)
}

# METADATA
# title: Deny
# description: A metric misses the threshold (below it, or above it for lower-is-better metrics).
deny contains sprintf("%sevaluation %s=%v %s threshold %v for %s", [c.prefix, metric, value, side(metric), minimum, lib.target_label]) if {
	some metric, minimum in thresholds
	some c in candidates
	value := c.metrics[metric]
	is_number(value)
	lib.worse(metric, value, minimum)
}

# METADATA
# title: Side
# description: '"above" for lower-is-better metrics, "below" otherwise.'
side(metric) := "above" if {
	lib.lower_is_better(metric)
} else := "below"
