# METADATA
# title: Tests for review separation of duties
# description: Who may approve a review.
package modelgraph.reviews_test

import data.modelgraph.authz
import data.modelgraph.reviews

# METADATA
# title: Approve
# description: The decision for alice with the given roles approving a review requested by requester.
approve(roles, requester) := d if {
	d := authz.decision with input as {
		"action": "approve_review",
		"principal": {"id": "alice", "kind": "user", "roles": roles},
		"resource": {"kind": "review", "id": "rv1"},
		"context": {"now": "2026-11-26T12:00:00Z", "review": {"requested_by": requester}},
	}
}

# METADATA
# title: Deny
# description: The expected decision for a plain denial.
deny(reasons) := {"allow": false, "reasons": reasons, "requires_review": false}

# METADATA
# title: Approver approves
# description: An approver or admin approves someone else's request.
test_approver_approves_others if {
	allow := {"allow": true, "reasons": [], "requires_review": false}
	approve(["approver"], "bob") == allow
	approve(["admin"], "bob") == allow
}

# METADATA
# title: Own request
# description: Nobody approves their own request, not even an admin.
test_requester_may_not_approve_own_request if {
	approve(["approver"], "alice") == deny(["requester may not approve their own request"])
	approve(["admin"], "alice") == deny(["requester may not approve their own request"])
}

# METADATA
# title: Unknown requester
# description: Without a requester, approval is denied.
test_unknown_requester if {
	approve(["approver"], null) == deny(["review requester is unknown"])
	approve(["approver"], "") == deny(["review requester is unknown"])
}

# METADATA
# title: Publisher may not approve
# description: Approving needs the approver role.
test_publisher_may_not_approve if {
	approve(["publisher"], "bob") == deny(["role publisher may not approve_review review"])
}

test_escalation_goes_to_the_next_roles_without_team_leads if {
	found := reviews.escalation with input as {"review": {"owner_teams": ["risk"]}}
	found.after_hours == 24
	found.to == {"role:admin"}
	found.approvers == {"role:approver", "role:admin"}
}

test_escalation_goes_to_the_owner_teams_leads_when_named if {
	leads := {"after_hours": 2, "to_roles": ["admin"], "team_leads": {"risk": "dana", "ops": "omar"}}
	found := reviews.escalation with input as {"review": {"owner_teams": ["risk", "growth"]}}
		with data.modelgraph.config.review_escalation as leads
	found.to == {"principal:dana"}
	found.after_hours == 2
}
