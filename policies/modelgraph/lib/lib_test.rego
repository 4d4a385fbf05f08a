# METADATA
# title: Tests for the shared helpers
# description: The decision shape and the defensive accessors.
package modelgraph.lib_test

import data.modelgraph.lib

# METADATA
# title: Shape
# description: Deny and review reasons are merged, sorted and deduplicated.
test_shape_decision if {
	lib.shape_decision({"b", "a"}, {"c", "a"}) == {"allow": false, "reasons": ["a", "b", "c"], "requires_review": true}
	lib.shape_decision(set(), set()) == {"allow": true, "reasons": [], "requires_review": false}
	lib.shape_decision(set(), {"r"}) == {"allow": true, "reasons": ["r"], "requires_review": true}
}

# METADATA
# title: Labels
# description: Resources are named by name, then id, then "(unnamed)"; kinds default to "resource".
test_labels if {
	lib.resource_label == "churn" with input as {"resource": {"name": "churn", "id": "m1"}}
	lib.resource_label == "m1" with input as {"resource": {"name": "", "id": "m1"}}
	lib.resource_label == "(unnamed)" with input as {"resource": {"id": 5}}
	lib.kind_label == "model" with input as {"resource": {"kind": "model"}}
	lib.kind_label == "resource" with input as {"resource": "model"}
}

# METADATA
# title: Defensive accessors
# description: Wrongly typed fields read as empty rather than as errors.
test_defensive_accessors if {
	lib.roles == set() with input as {"principal": {"roles": "admin"}}
	lib.roles == {"viewer"} with input as {"principal": {"roles": ["viewer", 3, null]}}
	lib.teams == set() with input as {"principal": "x"}
	lib.context == {} with input as {"context": [1]}
	lib.as_array("x") == []
	not lib.now_ns with input as {"context": {"now": "soon"}}
	not lib.now_ns with input as {"context": {"now": 1764158400}}
	lib.time_ns("2026-11-26T13:00:00+01:00") == lib.time_ns("2026-11-26T12:00:00Z")
	lib.now_ns == 0 with input as {"context": {"now": "1970-01-01T00:00:00Z"}}
}

# METADATA
# title: Worse
# description: Direction of metrics - higher is better unless configured lower-is-better.
test_worse if {
	lib.worse("f1", 0.7, 0.8)
	not lib.worse("f1", 0.8, 0.8)
	lib.worse("rmse", 0.9, 0.8)
	not lib.worse("rmse", 0.7, 0.8)
}

# METADATA
# title: Type helpers
# description: The negatable type helpers work on missing keys.
test_type_helpers if {
	lib.number_at({"a": 1}, "a")
	not lib.number_at({"a": "1"}, "a")
	not lib.number_at({}, "a")
	not lib.boolean_at({}, "a")
	not lib.non_empty_string_at({"a": ""}, "a")
	lib.entry_label({"id": "dsv-1"}, 0) == "dsv-1"
	lib.entry_label("junk", 0) == "#1"
}
