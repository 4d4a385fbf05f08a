package modelgraph.disclosure_test

import data.modelgraph.disclosure

viewer := {"id": "vic", "kind": "user", "roles": ["viewer"]}

admin := {"id": "ada", "kind": "user", "roles": ["admin"]}

test_public_and_internal_to_every_reader if {
	disclosure.allow with input as {"principal": viewer, "classification": "public"}
	disclosure.allow with input as {"principal": viewer, "classification": "internal"}
	not disclosure.allow with input as {"principal": {"id": "svc", "roles": []}, "classification": "internal"}
}

test_confidential_to_owners_and_admins_only if {
	not disclosure.allow with input as {"principal": viewer, "classification": "confidential", "owner": false}
	disclosure.allow with input as {"principal": viewer, "classification": "confidential", "owner": true}
	disclosure.allow with input as {"principal": admin, "classification": "confidential", "owner": false}
	reason := disclosure.reason with input as {"principal": viewer, "classification": "confidential"}
	reason == "confidential data needs an owner or one of the roles admin"
}

test_personal_needs_a_role_and_a_listed_purpose if {
	not disclosure.allow with input as {"principal": admin, "classification": "personal"}
	not disclosure.allow with input as {"principal": admin, "classification": "personal", "purpose": "curiosity"}
	disclosure.allow with input as {"principal": admin, "classification": "personal", "purpose": "audit"}
	not disclosure.allow with input as {"principal": viewer, "classification": "personal", "purpose": "audit", "owner": true}
}

test_unknown_classification_is_withheld if {
	not disclosure.allow with input as {"principal": admin, "classification": "secret"}
}
