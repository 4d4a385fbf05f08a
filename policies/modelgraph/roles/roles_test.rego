# METADATA
# title: Tests for roles, ownership and grants
# description: Role permissions, ownership of modify/retire, and time-bound grants at their boundary.
package modelgraph.roles_test

import data.modelgraph.authz

# METADATA
# title: Thursday noon
# description: A working-hours instant used as context.now.
noon := "2026-11-26T12:00:00Z"

# METADATA
# title: Request
# description: A well-formed input for alice (team risk).
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
# title: Decide
# description: The decision for a request.
decide(action, roles, resource, context) := d if {
	d := authz.decision with input as request(action, roles, resource, context)
}

# METADATA
# title: Model m1
# description: A licensed model resource.
model := {"kind": "model", "id": "m1", "name": "churn", "licence": "MIT"}

# METADATA
# title: Contributor publishes runs
# description: Contributors publish runs, datasets and features.
test_contributor_publishes_experiment_records if {
	every kind in ["run", "dataset", "dataset_version", "feature", "experiment"] {
		decide("publish", ["contributor"], {"kind": kind, "id": "x"}, {}) == allow
	}
}

# METADATA
# title: Annotations and saved searches
# description: Contributors annotate history and share saved searches; viewers only read.
test_contributor_annotates_and_saves_searches if {
	every kind in ["annotation", "saved_search"] {
		decide("publish", ["contributor"], {"kind": kind, "id": "x"}, {}) == allow
		decide("publish", ["viewer"], {"kind": kind, "id": "x"}, {}) == deny([sprintf("role viewer may not publish %s", [kind])])
	}
}

# METADATA
# title: Contributor may not publish models
# description: Publishing a model needs the publisher role.
test_contributor_may_not_publish_model if {
	decide("publish", ["contributor"], model, {}) == deny(["role contributor may not publish model"])
}

# METADATA
# title: Several roles
# description: The reason lists every role the principal holds.
test_several_roles_listed if {
	decide("publish", ["viewer", "contributor"], model, {}) == deny(["roles contributor, viewer may not publish model"])
}

# METADATA
# title: No roles
# description: A principal without roles is denied, naming the principal.
test_no_roles if {
	decide("read", [], model, {}) == deny(["alice has no role that may read model"])
}

# METADATA
# title: Unknown role
# description: A role missing from the configuration grants nothing.
test_unknown_role_grants_nothing if {
	decide("read", ["superuser"], model, {}) == deny(["role superuser may not read model"])
}

# METADATA
# title: Inherited permissions
# description: An approver publishes a model through the included publisher role.
test_approver_inherits_publisher if {
	decide("publish", ["approver"], model, {}) == allow
}

# METADATA
# title: Contributor modifies own run
# description: Ownership by id or by team lets a contributor modify.
test_contributor_modifies_own if {
	decide("modify", ["contributor"], {"kind": "run", "id": "r1", "owners": ["alice"]}, {}) == allow
	decide("modify", ["contributor"], {"kind": "run", "id": "r1", "owners": ["bob"], "owner_teams": ["risk"]}, {}) == allow
}

# METADATA
# title: Contributor may not modify others' runs
# description: A contributor must own what it modifies, even when it has no owners.
test_contributor_may_not_modify_others if {
	decide("modify", ["contributor"], {"kind": "run", "id": "r1", "owners": ["bob"]}, {}) == deny(["alice is not an owner of run r1"])
	decide("modify", ["contributor"], {"kind": "run", "name": "nightly"}, {}) == deny(["alice is not an owner of run nightly"])
}

# METADATA
# title: Publisher and ownership
# description: A publisher modifies unowned or own resources but not someone else's.
test_publisher_ownership if {
	decide("modify", ["publisher"], model, {}) == allow
	decide("retire", ["publisher"], object.union(model, {"owner_teams": ["risk"]}), {}) == allow
	decide("modify", ["publisher"], object.union(model, {"owners": ["bob"], "name": "X"}), {}) == deny(["alice is not an owner of model X"])
	decide("retire", ["publisher"], {"kind": "dataset", "owners": ["bob"]}, {}) == deny(["alice is not an owner of dataset (unnamed)"])
	decide("retire", ["publisher"], {"owners": ["bob"]}, {}) == deny(["role publisher may not retire"])
}

# METADATA
# title: Admin ignores ownership
# description: Admin is exempt from the ownership rule.
test_admin_exempt_from_ownership if {
	decide("modify", ["admin"], object.union(model, {"owners": ["bob"]}), {}) == allow
}

# METADATA
# title: Artifact reads
# description: Reading artifact bytes needs publisher; contributors may not.
test_read_artifact if {
	decide("read_artifact", ["publisher"], {"kind": "model_version", "id": "mv1"}, {}) == allow
	decide("read_artifact", ["contributor"], {"kind": "model_version", "id": "mv1"}, {}) == deny(["role contributor may not read_artifact model_version"])
}

# METADATA
# title: Grant and admin actions
# description: Only admin may grant or administer.
test_grant_and_admin_need_admin if {
	decide("grant", ["approver"], {"kind": "grant"}, {}) == deny(["role approver may not grant grant"])
	decide("admin", ["approver"], {}, {}) == deny(["role approver may not admin"])
	decide("grant", ["admin"], {"kind": "grant"}, {}) == allow
	decide("admin", ["admin"], {}, {}) == allow
}

# METADATA
# title: Unprotected promotion
# description: A publisher promotes to an unprotected alias without review.
test_publisher_promotes_unprotected if {
	decide("promote", ["publisher"], {"kind": "model_version", "alias": "staging"}, {}) == allow
	decide("promote", ["contributor"], {"kind": "model_version", "alias": "staging"}, {}) == deny(["role contributor may not promote model_version"])
}

# METADATA
# title: Protected promotion
# description: An approver promotes to production directly; a contributor may not at all.
test_protected_promotion_roles if {
	evaluation := {"evaluation": {"metrics": {"f1": 0.9}}}
	decide("promote", ["approver"], {"kind": "model_version", "alias": "production"}, evaluation) == allow
	decide("promote", ["contributor"], {"kind": "model_version", "alias": "production"}, evaluation) == deny(["role contributor may not promote to protected alias production"])
}

# METADATA
# title: Grant without expiry
# description: A grant with null or absent expiry lets a viewer publish that model.
test_grant_without_expiry if {
	decide("publish", ["viewer"], model, {"grants": [{"action": "publish", "resource_id": "m1", "expires_at": null}]}) == allow
	decide("publish", ["viewer"], model, {"grants": [{"action": "publish", "resource_id": "*"}]}) == allow
}

# METADATA
# title: Grant scope
# description: A grant for another resource or another action does not help.
test_grant_scope if {
	decide("publish", ["viewer"], model, {"grants": [{"action": "publish", "resource_id": "m2", "expires_at": null}]}) == deny(["role viewer may not publish model"])
	decide("publish", ["viewer"], model, {"grants": [{"action": "modify", "resource_id": "m1", "expires_at": null}]}) == deny(["role viewer may not publish model"])
	decide("publish", ["viewer"], model, {"grants": ["publish", 7, {"action": "publish"}]}) == deny(["role viewer may not publish model"])
}

# METADATA
# title: Grant boundary, just before expiry
# description: One second and one nanosecond before expires_at the grant applies.
test_grant_active_just_before_expiry if {
	grants := {"grants": [{"action": "publish", "resource_id": "m1", "expires_at": noon}]}
	decide("publish", ["viewer"], model, object.union(grants, {"now": "2026-11-26T11:59:59Z"})) == allow
	decide("publish", ["viewer"], model, object.union(grants, {"now": "2026-11-26T11:59:59.999999999Z"})) == allow
}

# METADATA
# title: Grant boundary, at and after expiry
# description: At the instant of expires_at and later the grant no longer applies.
test_grant_expired_at_instant if {
	grants := {"grants": [{"action": "publish", "resource_id": "m1", "expires_at": noon}]}
	expected := deny(["grant for publish expired at 2026-11-26T12:00:00Z", "role viewer may not publish model"])
	decide("publish", ["viewer"], model, object.union(grants, {"now": noon})) == expected
	decide("publish", ["viewer"], model, object.union(grants, {"now": "2026-11-26T12:00:00.000000001Z"})) == expected
}

# METADATA
# title: Grant overrides ownership
# description: An active grant lets a publisher modify a model owned by someone else.
test_grant_overrides_ownership if {
	resource := object.union(model, {"owners": ["bob"], "name": "X"})
	grants := {"grants": [{"action": "modify", "resource_id": "m1", "expires_at": "2026-12-01T00:00:00Z"}]}
	decide("modify", ["publisher"], resource, grants) == allow
	expired := {"grants": [{"action": "modify", "resource_id": "*", "expires_at": "2026-01-01T00:00:00Z"}]}
	decide("modify", ["publisher"], resource, expired) == deny([
		"alice is not an owner of model X",
		"grant for modify expired at 2026-01-01T00:00:00Z",
	])
}

# METADATA
# title: Expired grant not mentioned when roles allow
# description: An expired grant is only explained when it was needed.
test_expired_grant_silent_when_role_allows if {
	grants := {"grants": [{"action": "publish", "resource_id": "m1", "expires_at": "2026-01-01T00:00:00Z"}]}
	decide("publish", ["publisher"], model, grants) == allow
}

# METADATA
# title: Invalid grant expiry
# description: A grant whose expiry is not RFC3339 is ignored and explained.
test_invalid_grant_expiry if {
	grants := {"grants": [{"action": "publish", "resource_id": "m1", "expires_at": "tomorrow"}]}
	decide("publish", ["viewer"], model, grants) == deny([
		"grant for publish has an invalid expiry tomorrow",
		"role viewer may not publish model",
	])
}

# METADATA
# title: Grant without now
# description: A time-bound grant cannot apply without context.now.
test_grant_without_now if {
	inp := json.remove(
		request("read", ["contributor"], model, {"grants": [{"action": "read_artifact", "resource_id": "m1", "expires_at": "2030-01-01T00:00:00Z"}]}),
		["/context/now"],
	)
	d := authz.decision with input as json.patch(inp, [{"op": "replace", "path": "/action", "value": "read_artifact"}])
	d == deny([
		"grant for read_artifact cannot be checked without context.now",
		"role contributor may not read_artifact model",
	])
}

# METADATA
# title: Grant cannot confer grant
# description: The grant and admin actions are not grantable.
test_grant_action_not_grantable if {
	grants := {"grants": [{"action": "grant", "resource_id": "*", "expires_at": null}]}
	decide("grant", ["viewer"], {"kind": "grant"}, grants) == deny(["role viewer may not grant grant"])
}

# METADATA
# title: Roles come from data
# description: Changing the role data changes the decision.
test_roles_are_data_driven if {
	roles := {"viewer": {"permissions": [{"action": "publish", "kinds": ["model"]}]}}
	decide("publish", ["viewer"], model, {}) == allow with data.modelgraph.config.roles as roles
}

# METADATA
# title: Grant for protected promotion
# description: A promote grant replaces the role check, but the alias thresholds still apply.
test_grant_for_protected_promotion_keeps_thresholds if {
	version := {"kind": "model_version", "id": "mv3", "alias": "production"}
	grants := [{"action": "promote", "resource_id": "mv3", "expires_at": null}]
	decide("promote", ["viewer"], version, {"grants": grants, "evaluation": {"metrics": {"f1": 0.9}}}) == allow
	decide("promote", ["viewer"], version, {"grants": grants}) == deny(["no evaluation for alias production"])
}

# METADATA
# title: Removing a protected alias
# description: Removal is promote-class - the same protection and review as moving it, whatever the spelling.
test_removing_protected_alias_is_protected if {
	removal := {"kind": "alias", "id": "m1", "alias": "Production", "operation": "remove", "owners": ["alice"]}
	decide("promote", ["publisher"], removal, {}) == {
		"allow": true,
		"reasons": ["role publisher needs approval to remove protected alias production"],
		"requires_review": true,
	}
	decide("promote", ["contributor"], removal, {}) == deny(["role contributor may not remove protected alias production"])
	decide("promote", ["approver"], removal, {}) == allow
}

# METADATA
# title: Deploying to production
# description: Reasons for a production deployment name the deployment, not an alias.
test_production_deployment_reasons if {
	deployment := {"kind": "deployment", "name": "scoring", "environment": "production"}
	traffic := {"traffic": [{"version": 1, "percent": 100, "metrics": {"f1": 0.9}}]}
	decide("promote", ["publisher"], deployment, traffic) == {
		"allow": true,
		"reasons": ["role publisher needs approval to deploy to production"],
		"requires_review": true,
	}
	decide("promote", ["approver"], deployment, traffic) == allow
}

# METADATA
# title: Publishing into another team's model
# description: A version or an evaluation of an owned model needs ownership (id or team) or a grant.
test_publish_into_owned_model_needs_ownership if {
	foreign := {"kind": "evaluation", "id": "m1", "name": "churn", "owners": ["bob"], "owner_teams": ["fraud"]}
	decide("publish", ["contributor"], foreign, {}) == deny(["alice is not an owner of evaluation churn"])
	decide("publish", ["publisher"], object.union(foreign, {"kind": "model_version"}), {}) == deny(["alice is not an owner of model_version churn"])
	decide("publish", ["contributor"], object.union(foreign, {"owner_teams": ["risk"]}), {}) == allow
	grant := {"grants": [{"action": "publish", "resource_id": "m1"}]}
	decide("publish", ["contributor"], foreign, grant) == allow
	decide("publish", ["contributor"], {"kind": "evaluation", "name": "churn"}, {}) == allow
}
