# METADATA
# title: Tests for lifecycle guards
# description: Retiring a version that serves production.
package modelgraph.lifecycle_test

import data.modelgraph.authz

# METADATA
# title: Retire
# description: The decision for a publisher (alice) retiring her version at Thursday noon.
retire(context) := d if {
	d := authz.decision with input as {
		"action": "retire",
		"principal": {"id": "alice", "kind": "user", "roles": ["publisher"]},
		"resource": {"kind": "model_version", "id": "mv2", "owners": ["alice"]},
		"context": object.union({"now": "2026-11-26T12:00:00Z"}, context),
	}
}

# METADATA
# title: Serving production
# description: The contract's example reason.
test_retire_denied_while_serving_production if {
	retire({"serving_production": true}) == {
		"allow": false,
		"reasons": ["version serves an active production deployment"],
		"requires_review": false,
	}
}

# METADATA
# title: Not serving
# description: A version not serving production (or not said to) may be retired.
test_retire_allowed_when_not_serving if {
	allow := {"allow": true, "reasons": [], "requires_review": false}
	retire({"serving_production": false}) == allow
	retire({}) == allow
}
