# METADATA
# title: Roles, ownership and time-bound grants
# description: >-
#   Who may perform an action: a role permission from data.modelgraph.config.roles
#   (roles include other roles transitively), ownership for modify/retire of owned
#   resources, or an unexpired grant for the action on the resource (or "*").
package modelgraph.roles

import data.modelgraph.config
import data.modelgraph.lib

# METADATA
# title: Effective action
# description: >-
#   The action checked against role permissions; promote to a protected alias is
#   checked as the stricter action promote_protected (moving or removing a
#   protected alias, deploying to a protected environment).
effective_action := "promote_protected" if {
	lib.protected_target
} else := lib.action

# METADATA
# title: Held roles
# description: The principal's roles plus every role they include, transitively.
held_roles := graph.reachable(
	{name: lib.as_array(object.get(role, "includes", [])) | some name, role in config.roles},
	lib.roles,
)

# METADATA
# title: Applicable permissions
# description: Permissions of held roles that cover the effective action on the resource kind.
permissions contains {"role": name, "review": flag(p, "review"), "own_only": flag(p, "own_only")} if {
	some name in held_roles
	some p in config.roles[name].permissions
	p.action in {effective_action, "*"}
	kind_allowed(p.kinds)
}

# METADATA
# title: Flag
# description: A permission's boolean option, false when absent.
flag(p, key) if {
	p[key] == true
} else := false

# METADATA
# title: Kind allowed
# description: True when a permission's kinds include "*".
kind_allowed(kinds) if "*" in kinds

# METADATA
# title: Kind allowed
# description: True when a permission's kinds include the resource kind.
kind_allowed(kinds) if lib.kind in kinds

# METADATA
# title: Role level
# description: >-
#   The strongest thing the roles allow - "full", "own" (only what the principal
#   owns), "review" (only through a review) or "none".
role_level := "full" if {
	some p in permissions
	not p.review
	not p.own_only
} else := "own" if {
	some p in permissions
	not p.review
} else := "review" if {
	count(permissions) > 0
} else := "none"

# METADATA
# title: Owners
# description: The resource's owner ids.
owners := {o | is_array(lib.resource.owners); some o in lib.resource.owners; is_string(o)}

# METADATA
# title: Owner teams
# description: The resource's owning teams.
owner_teams := {t | is_array(lib.resource.owner_teams); some t in lib.resource.owner_teams; is_string(t)}

# METADATA
# title: Is owner
# description: True when the principal is listed among the owners.
is_owner if lib.principal_id in owners

# METADATA
# title: Is owner
# description: True when one of the principal's teams owns the resource.
is_owner if {
	some team in lib.teams
	team in owner_teams
}

# METADATA
# title: Exempt from ownership
# description: True when a held role is exempt from the ownership rule (admin).
ownership_exempt if {
	some name in held_roles
	name in config.ownership.exempt_roles
}

# METADATA
# title: Must own
# description: True when the role permits the action only on what the principal owns.
must_own if role_level == "own"

# METADATA
# title: Must own
# description: True for ownership actions (modify, retire) on a resource that has owners.
must_own if {
	role_level in {"full", "review"}
	ownership_action
	count(owners | owner_teams) > 0
	not ownership_exempt
}

# METADATA
# title: Ownership action
# description: Actions that need ownership of an owned resource (modify, retire).
ownership_action if lib.action in config.ownership.actions

# METADATA
# title: Ownership action
# description: >-
#   Publishing into someone else's model (a version, an evaluation) needs
#   ownership too: a foreign evaluation could otherwise block the owner's promotion.
ownership_action if {
	lib.action == "publish"
	lib.kind in config.ownership.publish_kinds
}

# METADATA
# title: Denied by roles
# description: True when neither roles nor ownership permit the action.
denied_by_roles if role_level == "none"

# METADATA
# title: Denied by roles
# description: True when the principal would need to own the resource and does not.
denied_by_roles if {
	must_own
	not is_owner
}

# METADATA
# title: Matching grants
# description: Grants for this (grantable) action whose resource_id is the resource's id or "*".
matching_grants contains g if {
	lib.action in config.grantable_actions
	some g in lib.as_array(lib.context.grants)
	g.action == lib.action
	grant_covers(g.resource_id)
}

# METADATA
# title: Grant covers
# description: A grant for "*" covers every resource.
grant_covers(id) if id == "*"

# METADATA
# title: Grant covers
# description: A grant covers the resource with the same id.
grant_covers(id) if id == lib.resource.id

# METADATA
# title: Grant expiry
# description: A grant's expires_at, null when absent.
expiry(g) := object.get(g, "expires_at", null)

# METADATA
# title: Expiry instant
# description: A grant's expires_at in nanoseconds, when it is a valid RFC3339 time.
expiry_ns(g) := lib.time_ns(expiry(g))

# METADATA
# title: Grant active
# description: A grant without expiry never expires.
active(g) if expiry(g) == null

# METADATA
# title: Grant active
# description: A grant is active strictly before its expires_at.
active(g) if lib.now_ns < expiry_ns(g)

# METADATA
# title: Granted
# description: True when an active grant permits the action on this resource.
granted if {
	some g in matching_grants
	active(g)
}

# METADATA
# title: Grant problems
# description: Why a matching grant does not apply - expired.
grant_problems contains sprintf("grant for %s expired at %s", [g.action, expiry(g)]) if {
	some g in matching_grants
	expiry_ns(g) <= lib.now_ns
}

# METADATA
# title: Grant problems
# description: Why a matching grant does not apply - its expiry is not an RFC3339 time.
grant_problems contains sprintf("grant for %s has an invalid expiry %v", [g.action, expiry(g)]) if {
	some g in matching_grants
	expiry(g) != null
	not expiry_ns(g)
}

# METADATA
# title: Grant problems
# description: Why a matching grant does not apply - no valid context.now to compare with.
grant_problems contains sprintf("grant for %s cannot be checked without context.now", [g.action]) if {
	some g in matching_grants
	expiry_ns(g)
	not lib.now_ns
}

# METADATA
# title: Action phrase
# description: The action as reasons name it, e.g. "publish model".
action_phrase := sprintf("remove protected alias %s", [lib.target_alias]) if {
	effective_action == "promote_protected"
	lib.alias_removal
} else := sprintf("promote to protected alias %s", [lib.target_alias]) if {
	effective_action == "promote_protected"
	lib.target_alias
} else := sprintf("deploy to %s", [lib.target_environment]) if {
	effective_action == "promote_protected"
} else := sprintf("%s %s", [lib.action, lib.kind]) if {
	lib.non_empty_string(lib.kind)
} else := lib.action

# METADATA
# title: Role list
# description: '"role a" or "roles a, b" for a set of role names.'
role_list(names) := sprintf("role %s", [concat(", ", sort(names))]) if {
	count(names) == 1
} else := sprintf("roles %s", [concat(", ", sort(names))])

# METADATA
# title: Deny
# description: No role of the principal permits the action.
deny contains reason if {
	not granted
	role_level == "none"
	reason := no_role_reason
}

# METADATA
# title: No role reason
# description: The reason given when no role permits the action.
no_role_reason := sprintf("%s has no role that may %s", [lib.principal_id, action_phrase]) if {
	count(lib.roles) == 0
} else := sprintf("%s may not %s", [role_list(lib.roles), action_phrase])

# METADATA
# title: Deny
# description: The action needs ownership and the principal is not an owner.
deny contains sprintf("%s is not an owner of %s %s", [lib.principal_id, lib.kind_label, lib.resource_label]) if {
	not granted
	must_own
	not is_owner
}

# METADATA
# title: Deny
# description: When roles deny, explain why a matching grant did not help.
deny contains reason if {
	not granted
	denied_by_roles
	some reason in grant_problems
}

# METADATA
# title: Review
# description: The roles permit the action only through a review (publisher promoting to a protected alias).
review contains sprintf("%s needs approval to %s", [role_list(review_roles), action_phrase]) if {
	not granted
	role_level == "review"
}

# METADATA
# title: Review roles
# description: Held roles whose permission for the action requires a review.
review_roles contains p.role if {
	some p in permissions
	p.review
}
