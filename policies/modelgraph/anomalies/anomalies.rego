# METADATA
# title: Anomaly flags
# description: >-
#   Unusual but not forbidden changes that go to a review instead of being
#   applied: a candidate worse than the incumbent, a sudden threshold change,
#   training data from a new source, a write outside working hours.
package modelgraph.anomalies

import data.modelgraph.config
import data.modelgraph.lib

# METADATA
# title: Incumbent metrics
# description: The metrics of the version the alias points to now, when given.
incumbent_metrics := lib.context.incumbent.metrics if {
	lib.action == "promote"
	is_object(lib.context.incumbent.metrics)
}

# METADATA
# title: Candidate metrics
# description: The metrics of the candidate's best evaluation, {} when missing.
candidate_metrics := lib.context.evaluation.metrics if {
	is_object(lib.context.evaluation.metrics)
} else := {}

# METADATA
# title: Review
# description: The candidate scores worse than the incumbent on a key metric.
review contains sprintf("%s %v is worse than incumbent %v", [metric, value, reference]) if {
	some metric in config.metrics.key
	reference := incumbent_metrics[metric]
	value := candidate_metrics[metric]
	is_number(reference)
	is_number(value)
	lib.worse(metric, value, reference)
}

# METADATA
# title: Review
# description: The incumbent has a key metric the candidate cannot be compared on.
review contains sprintf("candidate has no %s to compare with incumbent %v", [metric, reference]) if {
	some metric in config.metrics.key
	reference := incumbent_metrics[metric]
	is_number(reference)
	not lib.number_at(candidate_metrics, metric)
}

# METADATA
# title: Threshold change
# description: The promotion threshold change carried by a modify, when given.
threshold_change := lib.context.threshold_change if {
	lib.action == "modify"
	is_object(lib.context.threshold_change)
}

# METADATA
# title: Threshold metric
# description: The name of the metric whose threshold changes.
threshold_metric := threshold_change.metric if {
	lib.non_empty_string(threshold_change.metric)
} else := "(unnamed)"

# METADATA
# title: Relative change
# description: "abs(new - old) / abs(old) of a numeric threshold change with a non-zero old value."
relative_change := abs(threshold_change.new - threshold_change.old) / abs(threshold_change.old) if {
	is_number(threshold_change.old)
	is_number(threshold_change.new)
	threshold_change.old != 0
}

# METADATA
# title: Review
# description: >-
#   A threshold moves by more than the configured maximum relative change,
#   compared as percentages rounded to 0.1 so floating-point noise never flags
#   a change of exactly the maximum.
review contains sprintf("threshold %s changed by %v%% (from %v to %v), more than the allowed %v%%", [
	threshold_metric,
	percent(relative_change), threshold_change.old, threshold_change.new,
	percent(config.threshold_change.max_relative_change),
]) if {
	percent(relative_change) > percent(config.threshold_change.max_relative_change)
}

# METADATA
# title: Review
# description: A threshold moves away from zero, which has no relative bound.
review contains sprintf("threshold %s changed from 0 to %v", [threshold_metric, threshold_change.new]) if {
	threshold_change.old == 0
	is_number(threshold_change.new)
	threshold_change.new != 0
}

# METADATA
# title: Review
# description: A threshold change whose old or new value is not a number.
review contains sprintf("threshold change for %s is not numeric", [threshold_metric]) if {
	threshold_change
	not numeric_change
}

# METADATA
# title: Numeric change
# description: True when both the old and new threshold are numbers.
numeric_change if {
	is_number(threshold_change.old)
	is_number(threshold_change.new)
}

# METADATA
# title: Percent
# description: A ratio as a percentage rounded to one decimal, e.g. 0.375 -> 37.5.
percent(ratio) := round(ratio * 1000) / 10

# METADATA
# title: Known sources
# description: Training data sources seen before for this model.
known_sources := {s | is_array(lib.context.known_sources); some s in lib.context.known_sources; is_string(s)}

# METADATA
# title: Review
# description: A model version trained on data from a source the model never used before.
review contains sprintf("training data %s comes from new source %s", [lib.entry_label(entry, i), entry.source]) if {
	some i, entry in new_source_candidates
	lib.non_empty_string(entry.source)
	not entry.source in known_sources
}

# METADATA
# title: Review
# description: A training data entry without a source cannot be checked against known sources.
review contains sprintf("training data %s has no source", [lib.entry_label(entry, i)]) if {
	some i, entry in new_source_candidates
	not lib.non_empty_string_at(entry, "source")
}

# METADATA
# title: New source candidates
# description: >-
#   Training data of a model version being published, when the model has known
#   sources (the first version has none, so nothing is new).
new_source_candidates := lib.as_array(lib.context.training_data) if {
	lib.action == "publish"
	lib.kind == "model_version"
	count(known_sources) > 0
}

# METADATA
# title: Review
# description: A governance change (protected promote, retire) outside the configured working hours.
review contains sprintf("change requested outside working hours (%s %02d:%02d %s)", [day, clock[0], clock[1], time_zone]) if {
	hours_apply
	day := time.weekday([lib.now_ns, time_zone])
	clock := time.clock([lib.now_ns, time_zone])
	not working_time(day, (clock[0] * 60) + clock[1])
}

# METADATA
# title: Time zone
# description: The working hours' IANA time zone (working_hours.time_zone), UTC when not configured.
time_zone := config.working_hours.time_zone if {
	lib.non_empty_string(config.working_hours.time_zone)
} else := "UTC"

# METADATA
# title: Hours apply
# description: >-
#   Promotions wait for working hours only when they move, remove or deploy to a
#   protected target (moving staging at night is routine).
hours_apply if {
	lib.action == "promote"
	lib.action in config.working_hours.actions
	lib.protected_target
}

# METADATA
# title: Hours apply
# description: Other configured actions (retire by default) always wait for working hours.
hours_apply if {
	lib.action in config.working_hours.actions
	lib.action != "promote"
}

# METADATA
# title: Review
# description: A write without a valid context.now cannot be checked against working hours.
review contains "request time is missing or invalid, working hours cannot be checked" if {
	lib.action in config.write_actions
	not lib.now_ns
}

# METADATA
# title: Working time
# description: True on a working day from start (inclusive) to end (exclusive), in the working hours' time zone.
working_time(day, minute) if {
	day in config.working_hours.days
	minute >= minutes(config.working_hours.start)
	minute < minutes(config.working_hours.end)
}

# METADATA
# title: Minutes
# description: '"HH:MM" as minutes after midnight.'
minutes(hhmm) := (to_number(parts[0]) * 60) + to_number(parts[1]) if {
	parts := split(hhmm, ":")
}
