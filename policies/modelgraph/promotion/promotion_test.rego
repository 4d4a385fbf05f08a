# METADATA
# title: Tests for promotion criteria
# description: Evaluation thresholds for protected aliases.
package modelgraph.promotion_test

import data.modelgraph.authz

# METADATA
# title: Promote
# description: The decision for an approver (alice) moving an alias to a version at Thursday noon.
promote(alias, context) := d if {
	d := authz.decision with input as {
		"action": "promote",
		"principal": {"id": "alice", "kind": "user", "roles": ["approver"]},
		"resource": {"kind": "model_version", "id": "mv3", "alias": alias, "version": 3},
		"context": object.union({"now": "2026-11-26T12:00:00Z"}, context),
	}
}

# METADATA
# title: Evaluation
# description: A context with the candidate's evaluation metrics.
evaluation(metrics) := {"evaluation": {"metrics": metrics}}

# METADATA
# title: Deny
# description: The expected decision for a plain denial.
deny(reasons) := {"allow": false, "reasons": reasons, "requires_review": false}

# METADATA
# title: Allow
# description: The expected decision for a plain allow.
allow := {"allow": true, "reasons": [], "requires_review": false}

# METADATA
# title: Meets threshold
# description: f1 at or above 0.8 may go to production.
test_meets_threshold if {
	promote("production", evaluation({"f1": 0.8})) == allow
	promote("production", evaluation({"f1": 0.91, "auc": 0.95})) == allow
}

# METADATA
# title: Below threshold
# description: The contract's example reason.
test_below_threshold if {
	promote("production", evaluation({"f1": 0.71})) == deny(["evaluation f1=0.71 below threshold 0.8 for alias production"])
}

# METADATA
# title: Every threshold
# description: champion needs both f1 and auc; each miss is a reason.
test_every_threshold_checked if {
	promote("champion", evaluation({"f1": 0.7, "auc": 0.85})) == deny([
		"evaluation auc=0.85 below threshold 0.9 for alias champion",
		"evaluation f1=0.7 below threshold 0.8 for alias champion",
	])
}

# METADATA
# title: Missing evaluation
# description: No evaluation (or malformed metrics) means no promotion to a protected alias.
test_missing_evaluation if {
	promote("production", {}) == deny(["no evaluation for alias production"])
	promote("production", {"evaluation": {"metrics": "good"}}) == deny(["no evaluation for alias production"])
}

# METADATA
# title: Missing metric
# description: An evaluation without a required metric (or a non-numeric one) is denied.
test_missing_metric if {
	promote("production", evaluation({"auc": 0.99})) == deny(["evaluation has no f1 metric required for alias production"])
	promote("production", evaluation({"f1": "0.9"})) == deny(["evaluation has no f1 metric required for alias production"])
}

# METADATA
# title: Lower is better
# description: A lower-is-better threshold denies values above it.
test_lower_is_better_threshold if {
	thresholds := {"production": {"latency_p95_ms": 100}}
	promote("production", evaluation({"latency_p95_ms": 150})) == deny(["evaluation latency_p95_ms=150 above threshold 100 for alias production"]) with data.modelgraph.config.promotion_thresholds as thresholds
	promote("production", evaluation({"latency_p95_ms": 100})) == allow with data.modelgraph.config.promotion_thresholds as thresholds
}

# METADATA
# title: Unprotected aliases
# description: An alias without thresholds needs no evaluation.
test_unprotected_alias_needs_no_evaluation if {
	promote("staging", {}) == allow
}

# METADATA
# title: Thresholds on any alias
# description: Thresholds configured for an unprotected alias apply as well.
test_thresholds_apply_to_configured_unprotected_alias if {
	thresholds := {"staging": {"f1": 0.5}}
	promote("staging", evaluation({"f1": 0.4})) == deny(["evaluation f1=0.4 below threshold 0.5 for alias staging"]) with data.modelgraph.config.promotion_thresholds as thresholds
}

# METADATA
# title: Protected alias without thresholds
# description: A protected alias missing from the thresholds fails closed.
test_protected_alias_without_thresholds_fails_closed if {
	promote("prod", evaluation({"f1": 0.99})) == deny(["no promotion thresholds configured for alias prod"]) with data.modelgraph.config.promotion_thresholds as {}
}

# METADATA
# title: Alias required
# description: A promote without an alias is denied.
test_alias_required if {
	promote("", {}) == deny(["alias is required to promote"])
	promote(null, {}) == deny(["alias is required to promote"])
}

# METADATA
# title: Deploy
# description: The decision for an approver (alice) deploying to production with a traffic split.
deploy(traffic) := d if {
	d := authz.decision with input as {
		"action": "promote",
		"principal": {"id": "alice", "kind": "user", "roles": ["approver"]},
		"resource": {"kind": "deployment", "name": "scoring", "environment": "production"},
		"context": {"now": "2026-11-26T12:00:00Z", "evaluation": {"metrics": {"f1": 0.9}}, "traffic": traffic},
	}
}

# METADATA
# title: Every served version
# description: A 50/50 split and a 1 % canary are judged version by version; reasons name the deployment, not an alias.
test_every_version_with_traffic_meets_thresholds if {
	deploy([{"version": 1, "percent": 50, "metrics": {"f1": 0.9}}, {"version": 2, "percent": 50, "metrics": {"f1": 0.6}}]) == deny(["version 2 (50% of traffic): evaluation f1=0.6 below threshold 0.8 for deployment to production"])
	deploy([{"version": 1, "percent": 99, "metrics": {"f1": 0.9}}, {"version": 3, "percent": 1}]) == deny(["version 3 (1% of traffic): no evaluation for deployment to production"])
	deploy([{"version": 1, "percent": 99, "metrics": {"f1": 0.9}}, {"version": 3, "percent": 1, "metrics": {"auc": 0.9}}]) == deny(["version 3 (1% of traffic): evaluation has no f1 metric required for deployment to production"])
	deploy([{"version": 1, "percent": 100, "metrics": {"f1": 0.9}}, {"version": 2, "percent": 0}]) == allow
}

# METADATA
# title: Removing an alias
# description: Removing a protected alias is a promote with no candidate to judge, whatever its spelling.
test_removing_protected_alias_needs_no_evaluation if {
	remove := {
		"action": "promote",
		"principal": {"id": "alice", "kind": "user", "roles": ["approver"]},
		"resource": {"kind": "alias", "alias": "production", "operation": "remove"},
		"context": {"now": "2026-11-26T12:00:00Z"},
	}
	authz.decision == allow with input as remove
	authz.decision == deny(["no promotion thresholds configured for alias production"]) with input as remove
		with data.modelgraph.config.promotion_thresholds as {}
	promote("PRODUCTION", {}) == deny(["no evaluation for alias production"])
	promote(" production\n", evaluation({"f1": 0.5})) == deny(["evaluation f1=0.5 below threshold 0.8 for alias production"])
}
