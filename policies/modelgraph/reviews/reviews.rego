# METADATA
# title: Review separation of duties
# description: >-
#   Approving a review needs the approver role (checked in modelgraph.roles)
#   and a different person than the one who requested the change.
package modelgraph.reviews

import data.modelgraph.config
import data.modelgraph.lib

# METADATA
# title: Requester
# description: Who requested the change under review, when given.
requester := lib.context.review.requested_by if lib.non_empty_string(lib.context.review.requested_by)

# METADATA
# title: Deny
# description: Nobody approves their own request.
deny contains "requester may not approve their own request" if {
	lib.action == "approve_review"
	requester == lib.principal_id
}

# METADATA
# title: Deny
# description: Without a known requester, separation of duties cannot be checked (fail closed).
deny contains "review requester is unknown" if {
	lib.action == "approve_review"
	not requester
}

# METADATA
# title: Approvers
# description: The roles that may approve reviews (approve_review or every action).
approvers contains sprintf("role:%s", [name]) if {
	some name, role in config.roles
	some permission in role.permissions
	permission.action in {"approve_review", "*"}
}

# METADATA
# title: Escalation targets
# description: >-
#   Who a review that waited too long goes to: the team leads of the owner
#   teams of what it is about, when policy data names them; else the next
#   roles (config.review_escalation.to_roles).
escalate_to := leads if {
	leads := {sprintf("principal:%s", [lead]) |
		some team in input.review.owner_teams
		lead := config.review_escalation.team_leads[team]
	}
	count(leads) > 0
} else := {sprintf("role:%s", [name]) | some name in config.review_escalation.to_roles}

# METADATA
# title: Escalation
# description: When a pending review escalates, to whom, and who could have approved it.
escalation := {
	"after_hours": config.review_escalation.after_hours,
	"to": escalate_to,
	"approvers": approvers,
}
