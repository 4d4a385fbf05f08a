package modelgraph.privacy_test

import data.modelgraph.privacy

test_each_kind_gets_its_configured_handling if {
	found := privacy.handling with input as {"kinds": ["email", "phone", "national_id"]}
	found == {"email": "mask", "phone": "mask", "national_id": "refuse"}
}

test_unknown_or_invalid_handling_is_refused if {
	bad := {"handling": {"email": "publish"}}
	found := privacy.handling with input as {"kinds": ["email", "passport"]}
		with data.modelgraph.config.personal_data as bad
	found == {"email": "refuse", "passport": "refuse"}
}

test_handling_is_data if {
	reviewed := {"handling": {"email": "review"}}
	found := privacy.handling with input as {"kinds": ["email"]} with data.modelgraph.config.personal_data as reviewed
	found == {"email": "review"}
}

test_findings_to_review_give_a_reason_naming_field_and_kind if {
	context := {"personal_data": [{"field": "notes", "kind": "email"}]}
	reasons := privacy.review with input as {"context": context}
	reasons == {"free text contains personal data: notes contains personal data (email)"}
	none := privacy.review with input as {"context": {}}
	none == set()
}
