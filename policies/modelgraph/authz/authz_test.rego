# METADATA
# title: Tests for the decision entry point
# description: The decision is always defined and shaped; malformed input is denied.
package modelgraph.authz_test

import data.modelgraph.authz

# METADATA
# title: Thursday noon
# description: A working-hours instant used as context.now.
noon := "2026-11-26T12:00:00Z"

# METADATA
# title: Request
# description: A well-formed input for alice (team risk) with the given action, roles, resource and context.
request(action, roles, resource, context) := {
	"action": action,
	"principal": {"id": "alice", "kind": "user", "roles": roles, "teams": ["risk"]},
	"resource": resource,
	"context": object.union({"now": noon}, context),
}

# METADATA
# title: Deny
# description: The expected decision for a plain denial.
deny(reasons) := {"allow": false, "reasons": reasons, "requires_review": false}

# METADATA
# title: Allow
# description: The expected decision for a plain allow.
allow := {"allow": true, "reasons": [], "requires_review": false}

# METADATA
# title: Shaped
# description: True when a decision has exactly the contract's keys and types.
shaped(d) if {
	object.keys(d) == {"allow", "reasons", "requires_review"}
	is_boolean(d.allow)
	is_boolean(d.requires_review)
	is_array(d.reasons)
	every r in d.reasons {
		is_string(r)
	}
	d.reasons == sort({r | some r in d.reasons})
}

# METADATA
# title: No input
# description: Without any input the decision is a defined deny.
test_no_input_is_denied if {
	authz.decision == deny(["action is missing", "principal is missing"])
}

# METADATA
# title: Garbage inputs
# description: Scalars, arrays and wrongly typed fields all yield a shaped deny.
test_garbage_inputs_are_denied if {
	garbage := [
		null, "garbage", 42, true, [1, 2], {},
		{"action": 5, "principal": "alice"},
		{"action": "read", "principal": []},
		{"action": ["read"], "principal": {"id": 7}},
		{"action": "read", "principal": {"id": "alice", "roles": "admin"}, "resource": "x", "context": 1},
		{"action": "publish", "principal": {"id": "alice", "roles": {"0": "admin"}}, "context": {"now": 5, "grants": "all"}},
	]
	every g in garbage {
		d := authz.decision with input as g
		shaped(d)
		d.allow == false
	}
}

# METADATA
# title: Missing principal
# description: A request without a principal is denied with that reason only.
test_missing_principal if {
	authz.decision == deny(["principal is missing"]) with input as {"action": "read"}
}

# METADATA
# title: Principal without id
# description: A principal without a usable id is denied.
test_principal_without_id if {
	d := authz.decision with input as {"action": "read", "principal": {"id": "", "roles": ["admin"]}}
	d == deny(["principal id is missing"])
}

# METADATA
# title: Unknown principal kind
# description: A principal kind other than user or service is denied.
test_unknown_principal_kind if {
	inp := json.patch(request("read", ["admin"], {}, {}), [{"op": "replace", "path": "/principal/kind", "value": "robot"}])
	authz.decision == deny(["unknown principal kind robot"]) with input as inp
}

# METADATA
# title: Unknown action
# description: An action outside the configured list is denied by name, even for admin.
test_unknown_action if {
	authz.decision == deny(["unknown action fly"]) with input as request("fly", ["admin"], {}, {})
}

# METADATA
# title: Null action
# description: A null action is an unknown action, not a missing one.
test_null_action if {
	authz.decision == deny(["unknown action null"]) with input as request(null, ["admin"], {}, {})
}

# METADATA
# title: Unknown resource kind
# description: A resource kind outside the configured list is denied.
test_unknown_resource_kind if {
	authz.decision == deny(["unknown resource kind spaceship"]) with input as request("read", ["admin"], {"kind": "spaceship"}, {})
}

# METADATA
# title: Viewer reads
# description: A viewer may read a model.
test_viewer_reads if {
	authz.decision == allow with input as request("read", ["viewer"], {"kind": "model", "id": "m1"}, {})
}

# METADATA
# title: Viewer may not publish
# description: The example reason from the contract, without a resource kind.
test_viewer_may_not_publish if {
	authz.decision == deny(["role viewer may not publish"]) with input as request("publish", ["viewer"], {}, {})
}

# METADATA
# title: Deny and review together
# description: Review reasons are listed with deny reasons, sorted, and requires_review is set.
test_deny_and_review_reasons_are_merged_and_sorted if {
	inp := request("retire", ["viewer"], {"kind": "model"}, {"now": "2026-11-28T12:00:00Z"})
	authz.decision == {
		"allow": false,
		"reasons": [
			"change requested outside working hours (Saturday 12:00 UTC)",
			"role viewer may not retire model",
		],
		"requires_review": true,
	} with input as inp
}

# METADATA
# title: Allowed with review
# description: A publisher promoting to production is allowed but routed to review.
test_allow_with_review if {
	inp := request("promote", ["publisher"], {"kind": "model_version", "alias": "production"}, {"evaluation": {"metrics": {"f1": 0.9}}})
	authz.decision == {
		"allow": true,
		"reasons": ["role publisher needs approval to promote to protected alias production"],
		"requires_review": true,
	} with input as inp
}

# METADATA
# title: Fallback decision
# description: If shaping ever failed, the default decision still denies.
test_fallback_decision_denies if {
	d := authz.decision with data.modelgraph.lib.shape_decision as never
	d == deny(["policy could not reach a decision"])
}

# METADATA
# title: Never
# description: A replacement for shape_decision that is always undefined.
never(_, _) := x if {
	x := 1
	x == 2
}

# METADATA
# title: Batched decisions
# description: Each batched question gets the decision it gets when asked alone.
test_batched_decisions_match_single_ones if {
	reader := request("read", ["viewer"], {"kind": "registry"}, {})
	writer := request("publish", ["viewer"], {"kind": "model", "id": "m1", "name": "churn"}, {})
	answers := authz.decisions with input as {"questions": {"read": reader, "command": writer}}
	answers.read == authz.decision with input as reader
	answers.command == authz.decision with input as writer
	answers.read.allow
	not answers.command.allow
	count(answers) == 2
}
