# METADATA
# title: Tests for licence and data-usage rights
# description: The licence allow-list and the usage rights of training data on publish.
package modelgraph.rights_test

import data.modelgraph.authz

# METADATA
# title: Publish
# description: The decision for a publisher (alice) publishing a resource at Thursday noon.
publish(resource, context) := d if {
	d := authz.decision with input as {
		"action": "publish",
		"principal": {"id": "alice", "kind": "user", "roles": ["publisher"]},
		"resource": resource,
		"context": object.union({"now": "2026-11-26T12:00:00Z"}, context),
	}
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
# title: Review
# description: The expected decision for an allow routed to review.
review(reasons) := {"allow": true, "reasons": reasons, "requires_review": true}

# METADATA
# title: Version
# description: A model version resource without a licence.
version := {"kind": "model_version", "id": "mv1"}

# METADATA
# title: Rights
# description: A training data entry with the given id and rights.
data_entry(id, rights) := {"id": id, "source": "s3://bucket/x", "usage_rights": rights}

# METADATA
# title: Clean rights
# description: Rights that allow everything and contain no personal data.
clean := {"training_allowed": true, "commercial_use": true, "contains_personal_data": false}

# METADATA
# title: Allowed licences
# description: Every licence on the allowed list may be published.
test_allowed_licences if {
	every licence in ["Apache-2.0", "MIT", "BSD-3-Clause", "proprietary-internal", "CC-BY-4.0"] {
		publish({"kind": "model", "id": "m1", "licence": licence}, {}) == allow
	}
}

# METADATA
# title: Licence not allowed
# description: GPL-3.0 is not on the allowed list, for models and versions.
test_licence_not_allowed if {
	publish({"kind": "model", "licence": "GPL-3.0"}, {}) == deny(["licence GPL-3.0 is not on the allowed list"])
	publish(object.union(version, {"licence": "GPL-3.0"}), {}) == deny(["licence GPL-3.0 is not on the allowed list"])
}

# METADATA
# title: Licence required on model
# description: A model without a licence (missing, null or empty) is denied.
test_licence_required_for_model if {
	publish({"kind": "model", "id": "m1"}, {}) == deny(["licence is required"])
	publish({"kind": "model", "id": "m1", "licence": null}, {}) == deny(["licence is required"])
	publish({"kind": "model", "id": "m1", "licence": ""}, {}) == deny(["licence is required"])
}

# METADATA
# title: Licence optional on version
# description: A version without a licence is not checked against the list.
test_licence_optional_for_version if {
	publish(version, {}) == allow
}

# METADATA
# title: Licence list is data
# description: Adding a licence to the data allows it.
test_licences_are_data_driven if {
	publish({"kind": "model", "licence": "GPL-3.0"}, {}) == allow with data.modelgraph.config.allowed_licences as ["GPL-3.0"]
}

# METADATA
# title: Licence ignored elsewhere
# description: Licences are only checked when publishing models and versions.
test_licence_ignored_for_datasets if {
	publish({"kind": "dataset", "licence": "GPL-3.0"}, {}) == allow
}

# METADATA
# title: Clean training data
# description: Training data with full rights passes, commercial or not.
test_clean_training_data if {
	publish(version, {"commercial_use": true, "training_data": [data_entry("dsv-1", clean)]}) == allow
}

# METADATA
# title: Training forbidden
# description: Training data that forbids training denies the publish.
test_training_forbidden if {
	rights := object.union(clean, {"training_allowed": false})
	publish(version, {"training_data": [data_entry("dsv-1", rights)]}) == deny(["training data dsv-1 forbids training"])
}

# METADATA
# title: Commercial use forbidden
# description: Commercial use of a model trained on non-commercial data is denied; non-commercial use is fine.
test_commercial_use_forbidden if {
	rights := object.union(clean, {"commercial_use": false})
	entries := [data_entry("dsv-1", clean), data_entry("dsv-2", rights)]
	publish(version, {"commercial_use": true, "training_data": entries}) == deny(["dataset version dsv-2 forbids commercial use"])
	publish(version, {"commercial_use": false, "training_data": entries}) == allow
	publish(version, {"training_data": entries}) == allow
}

# METADATA
# title: Personal data
# description: Training on personal data is allowed but routed to review.
test_personal_data_requires_review if {
	rights := object.union(clean, {"contains_personal_data": true})
	publish(version, {"training_data": [data_entry("dsv-1", rights)]}) == review(["trained on personal data in dsv-1"])
}

# METADATA
# title: Undeclared rights
# description: Missing rights route to review; entries without id are named by position.
test_undeclared_rights_require_review if {
	publish(version, {"commercial_use": true, "training_data": [{"id": "dsv-3"}, "junk"]}) == review([
		"dataset version #2 does not declare whether commercial use is allowed",
		"dataset version dsv-3 does not declare whether commercial use is allowed",
		"training data #2 does not declare whether training is allowed",
		"training data dsv-3 does not declare whether training is allowed",
	])
}

# METADATA
# title: Rights only on version publish
# description: Training data is not checked when publishing a model or modifying a version.
test_rights_only_checked_on_version_publish if {
	bad := {"training_data": [data_entry("dsv-1", {"training_allowed": false})]}
	publish({"kind": "model", "licence": "MIT"}, bad) == allow
}

# METADATA
# title: Update
# description: The decision for a publisher (alice) updating model churn's licence field and other changes.
update(licence, changes) := d if {
	d := authz.decision with input as {
		"action": "modify",
		"principal": {"id": "alice", "kind": "user", "roles": ["publisher"]},
		"resource": {"kind": "model", "name": "churn", "licence": licence},
		"context": {"now": "2026-11-26T12:00:00Z", "changes": changes},
	}
}

# METADATA
# title: Licence on update
# description: Changing a model's licence by update meets the same allow-list as publish; other updates do not re-check it.
test_licence_checked_on_update if {
	update("GPL-3.0", ["licence"]) == deny(["licence GPL-3.0 is not on the allowed list"])
	update("", ["licence", "tags"]) == deny(["licence is required"])
	update("MIT", ["licence"]) == allow
	update("GPL-3.0", ["tags"]) == allow
}
