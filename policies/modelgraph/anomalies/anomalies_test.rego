# METADATA
# title: Tests for anomaly flags
# description: Changes that are allowed but routed to review.
package modelgraph.anomalies_test

import data.modelgraph.authz

# METADATA
# title: Thursday noon
# description: A working-hours instant used as context.now.
noon := "2026-11-26T12:00:00Z"

# METADATA
# title: Decide
# description: The decision for an admin (alice) request at Thursday noon unless context says otherwise.
decide(action, resource, context) := d if {
	d := authz.decision with input as {
		"action": action,
		"principal": {"id": "alice", "kind": "user", "roles": ["admin"]},
		"resource": resource,
		"context": object.union({"now": noon}, context),
	}
}

# METADATA
# title: Allow
# description: The expected decision for a plain allow.
allow := {"allow": true, "reasons": [], "requires_review": false}

# METADATA
# title: Review
# description: The expected decision for an allow routed to review.
review(reasons) := {"allow": true, "reasons": reasons, "requires_review": true}

# METADATA
# title: Candidate
# description: A promote to the staging alias (no thresholds) with candidate and incumbent metrics.
compare(candidate, incumbent) := decide(
	"promote",
	{"kind": "model_version", "alias": "staging"},
	{"evaluation": {"metrics": candidate}, "incumbent": {"version": 2, "metrics": incumbent}},
)

# METADATA
# title: Worse than incumbent
# description: The contract's example review reason.
test_worse_than_incumbent if {
	compare({"f1": 0.82}, {"f1": 0.88}) == review(["f1 0.82 is worse than incumbent 0.88"])
}

# METADATA
# title: Equal or better than incumbent
# description: A candidate at least as good is not flagged.
test_not_worse_than_incumbent if {
	compare({"f1": 0.88, "auc": 0.97}, {"f1": 0.88, "auc": 0.95}) == allow
}

# METADATA
# title: Lower is better
# description: A higher latency than the incumbent is worse.
test_lower_is_better_compared_with_incumbent if {
	compare({"latency_p95_ms": 120}, {"latency_p95_ms": 80}) == review(["latency_p95_ms 120 is worse than incumbent 80"])
	compare({"latency_p95_ms": 60}, {"latency_p95_ms": 80}) == allow
}

# METADATA
# title: Missing candidate metric
# description: A key metric the incumbent has but the candidate lacks is flagged.
test_missing_candidate_metric if {
	compare({"f1": 0.9}, {"f1": 0.88, "auc": 0.9}) == review(["candidate has no auc to compare with incumbent 0.9"])
	d := decide("promote", {"kind": "model_version", "alias": "staging"}, {"incumbent": {"metrics": {"f1": 0.88}}})
	d == review(["candidate has no f1 to compare with incumbent 0.88"])
}

# METADATA
# title: No incumbent
# description: The first promotion to an alias is not compared with anything.
test_no_incumbent if {
	decide("promote", {"kind": "model_version", "alias": "staging"}, {"evaluation": {"metrics": {"f1": 0.1}}}) == allow
}

# METADATA
# title: Non-key metrics
# description: Metrics outside the key list are not compared.
test_non_key_metric_ignored if {
	compare({"custom": 0.1}, {"custom": 0.9}) == allow
}

# METADATA
# title: Threshold change
# description: Example from the contract - f1 0.8 to 0.5 is a 37.5% change, more than 20%.
test_sudden_threshold_change if {
	d := decide("modify", {"kind": "model", "id": "m1"}, {"threshold_change": {"metric": "f1", "old": 0.8, "new": 0.5}})
	d == review(["threshold f1 changed by 37.5% (from 0.8 to 0.5), more than the allowed 20%"])
	just_over := decide("modify", {"kind": "model"}, {"threshold_change": {"metric": "auc", "old": 0.5, "new": 0.6005}})
	just_over == review(["threshold auc changed by 20.1% (from 0.5 to 0.6005), more than the allowed 20%"])
}

# METADATA
# title: Threshold change within bounds
# description: Exactly the maximum (20%) or less is not flagged.
test_small_threshold_change if {
	decide("modify", {"kind": "model", "id": "m1"}, {"threshold_change": {"metric": "f1", "old": 0.5, "new": 0.6}}) == allow
	decide("modify", {"kind": "model", "id": "m1"}, {"threshold_change": {"metric": "f1", "old": 0.8, "new": 0.85}}) == allow
}

# METADATA
# title: Threshold change from zero
# description: Any move away from a zero threshold is flagged; staying at zero is not.
test_threshold_change_from_zero if {
	decide("modify", {"kind": "model"}, {"threshold_change": {"metric": "f1", "old": 0, "new": 0.5}}) == review(["threshold f1 changed from 0 to 0.5"])
	decide("modify", {"kind": "model"}, {"threshold_change": {"metric": "f1", "old": 0, "new": 0}}) == allow
}

# METADATA
# title: Malformed threshold change
# description: A non-numeric change is flagged; an unnamed metric is named "(unnamed)".
test_malformed_threshold_change if {
	decide("modify", {"kind": "model"}, {"threshold_change": {"old": "high", "new": 0.5}}) == review(["threshold change for (unnamed) is not numeric"])
}

# METADATA
# title: Threshold change only on modify
# description: A threshold_change on another action is ignored.
test_threshold_change_only_on_modify if {
	decide("read", {"kind": "model"}, {"threshold_change": {"metric": "f1", "old": 0.8, "new": 0.1}}) == allow
}

# METADATA
# title: Publish version
# description: Publishing model version mv4 with the given training data and known sources.
publish_version(training_data, known_sources) := decide(
	"publish",
	{"kind": "model_version", "id": "mv4"},
	{"training_data": training_data, "known_sources": known_sources},
)

# METADATA
# title: Rights
# description: Usage rights that allow everything.
clean := {"training_allowed": true, "commercial_use": true, "contains_personal_data": false}

# METADATA
# title: New training source
# description: Training data from a source never seen for this model is flagged.
test_new_training_source if {
	entries := [
		{"id": "dsv-1", "source": "s3://bucket/x", "usage_rights": clean},
		{"id": "dsv-3", "source": "s3://other/y", "usage_rights": clean},
	]
	publish_version(entries, ["s3://bucket/x"]) == review(["training data dsv-3 comes from new source s3://other/y"])
}

# METADATA
# title: First version
# description: With no known sources (first version), nothing is new.
test_first_version_sources_not_flagged if {
	entries := [{"id": "dsv-3", "source": "s3://other/y", "usage_rights": clean}]
	publish_version(entries, []) == allow
	decide("publish", {"kind": "model_version"}, {"training_data": entries}) == allow
}

# METADATA
# title: Missing source
# description: Training data without a source is flagged when sources are known.
test_missing_source if {
	publish_version([{"id": "dsv-5", "usage_rights": clean}], ["s3://bucket/x"]) == review(["training data dsv-5 has no source"])
}

# METADATA
# title: Working hours
# description: Writes from 06:00 (inclusive) to 20:00 (exclusive) Monday to Friday are not flagged.
test_within_working_hours if {
	every now in ["2026-11-26T06:00:00Z", "2026-11-26T19:59:59Z", "2026-11-23T12:00:00Z", "2026-11-27T12:00:00Z"] {
		decide("modify", {"kind": "model"}, {"now": now}) == allow
	}
}

# METADATA
# title: Out of hours
# description: Writes before 06:00, from 20:00, or on weekends are flagged.
test_outside_working_hours if {
	decide("retire", {"kind": "model"}, {"now": "2026-11-26T05:59:59Z"}) == review(["change requested outside working hours (Thursday 05:59 UTC)"])
	decide("retire", {"kind": "model"}, {"now": "2026-11-26T20:00:00Z"}) == review(["change requested outside working hours (Thursday 20:00 UTC)"])
	good := {"evaluation": {"metrics": {"f1": 0.9}}, "now": "2026-11-29T10:30:00Z"}
	decide("promote", {"kind": "model_version", "alias": "production"}, good) == review(["change requested outside working hours (Sunday 10:30 UTC)"])
}

# METADATA
# title: Staging at night
# description: Moving an unprotected alias at night is routine; protected ones (any spelling) wait.
test_unprotected_promotion_not_flagged_out_of_hours if {
	decide("promote", {"kind": "model_version", "alias": "staging"}, {"now": "2026-11-29T03:00:00Z"}) == allow
	night := {"now": "2026-11-29T03:00:00Z"}
	expected := review(["change requested outside working hours (Sunday 03:00 UTC)"])
	decide("promote", {"kind": "alias", "alias": "Production", "operation": "remove"}, night) == expected
}

# METADATA
# title: Operator's hours
# description: Working hours, time zone and protected aliases are data an operator can change.
test_working_hours_follow_configured_time_zone if {
	hours := {"actions": ["promote"], "days": ["Monday"], "start": "09:00", "end": "17:00", "time_zone": "Europe/Berlin"}
	at := {"now": "2026-11-23T07:30:00Z", "evaluation": {"metrics": {"f1": 0.9}}}
	decide("promote", {"kind": "model_version", "alias": "staging"}, at) == review(["change requested outside working hours (Monday 08:30 Europe/Berlin)"]) with data.modelgraph.config.working_hours as hours
		with data.modelgraph.config.protected_aliases as ["staging"]
		with data.modelgraph.config.promotion_thresholds as {"staging": {"f1": 0.5}}
	decide("promote", {"kind": "model_version", "alias": "staging"}, {"now": "2026-11-23T08:30:00Z"}) == allow with data.modelgraph.config.working_hours as hours
}

# METADATA
# title: Reads at night
# description: Reads are not writes and are never flagged for the hour.
test_reads_not_flagged_out_of_hours if {
	decide("read", {"kind": "model"}, {"now": "2026-11-28T03:00:00Z"}) == allow
}

# METADATA
# title: Pipelines at night
# description: Publishing and metadata edits are routine at any hour; only governance changes are flagged.
test_routine_writes_not_flagged_out_of_hours if {
	decide("modify", {"kind": "model"}, {"now": "2026-11-28T03:00:00Z"}) == allow
}

# METADATA
# title: Unknown time
# description: A write without a valid context.now is flagged.
test_write_without_time if {
	expected := review(["request time is missing or invalid, working hours cannot be checked"])
	decide("modify", {"kind": "model"}, {"now": "yesterday"}) == expected
	decide("modify", {"kind": "model"}, {"now": null}) == expected
}
