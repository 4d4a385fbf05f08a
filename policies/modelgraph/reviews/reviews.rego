# METADATA
# title: Review separation of duties
# description: >-
#   Approving a review needs the approver role (checked in modelgraph.roles)
#   and a different person than the one who requested the change.
package modelgraph.reviews

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
