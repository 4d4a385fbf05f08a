# METADATA
# title: Personal data in free text
# description: >-
#   What happens when the service finds obvious personal data (e-mail
#   addresses, phone numbers, national ids) in the free text of a write:
#   refuse the write, mask the values before they are stored, or send the
#   change to review. Kept apart from the model metadata rules; the choice
#   per kind is data: config.personal_data.handling.
package modelgraph.privacy

import data.modelgraph.config
import data.modelgraph.lib

# METADATA
# title: Handlings
# description: The handlings a kind may be given.
handlings := {"refuse", "mask", "review"}

# METADATA
# title: Handling
# description: >-
#   Kind -> refuse | mask | review for each kind the service asks about
#   (input.kinds); a kind without a valid configured handling is refused.
handling[kind] := action if {
	some kind in input.kinds
	action := configured(kind)
}

configured(kind) := action if {
	action := config.personal_data.handling[kind]
	action in handlings
} else := "refuse"

# METADATA
# title: Review
# description: The service found personal data whose handling is review (the plan's context says where).
review contains sprintf("%s: %s contains personal data (%s)", [reason, finding.field, finding.kind]) if {
	some finding in lib.context.personal_data
	reason := object.get(config.personal_data, "review_reason", "free text contains personal data")
}
