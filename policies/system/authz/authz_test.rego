# METADATA
# title: Tests for OPA's HTTP API authorization
# description: Which token may do what over HTTP.
package system.authz_test

import data.system.authz

# METADATA
# title: Runtime
# description: OPA's runtime as a test stack sees it (both tokens set).
runtime := {"env": {"MODELGRAPH_OPA_TOKEN": "svc", "MODELGRAPH_OPA_TEST_TOKEN": "tst"}}

# METADATA
# title: Allowed
# description: Whether a request with this token, method and path is allowed.
allowed(identity, method, path) := a if {
	a := authz.allow with input as {"identity": identity, "method": method, "path": path}
		with opa.runtime as runtime
}

# METADATA
# title: Service decides
# description: The service's token posts decision queries and reads /health.
test_service_decides_and_reads_health if {
	allowed("svc", "POST", ["v1", "data", "modelgraph", "authz", "decision"])
	allowed("svc", "GET", ["health"])
}

# METADATA
# title: Service writes nothing
# description: The service's token neither writes data or policies nor reads the system package.
test_service_writes_nothing if {
	not allowed("svc", "PUT", ["v1", "data", "modelgraph", "config", "working_hours"])
	not allowed("svc", "PUT", ["v1", "policies", "mgtest_x"])
	not allowed("svc", "GET", ["v1", "data", "modelgraph", "config"])
	not allowed("svc", "POST", ["v1", "data", "system", "authz", "allow"])
	not allowed("svc", "POST", ["v1", "query"])
}

# METADATA
# title: Anonymous
# description: No token, a wrong token or an empty one gets nothing, not even /health.
test_no_token_no_access if {
	not allowed(null, "GET", ["health"])
	not allowed("wrong", "POST", ["v1", "data", "modelgraph", "authz", "decision"])
	not allowed("", "POST", ["v1", "data", "modelgraph", "authz", "decision"])
	not allowed(null, "PUT", ["v1", "data", "modelgraph", "config", "working_hours"])
}

# METADATA
# title: Unset tokens
# description: Without tokens in OPA's environment nobody is allowed (an empty token matches nothing).
test_unset_tokens_allow_nobody if {
	not authz.allow with input as {"identity": "", "method": "GET", "path": ["health"]}
		with opa.runtime as {"env": {"MODELGRAPH_OPA_TOKEN": ""}}
}

# METADATA
# title: Test stack
# description: The test token reads data, replaces config and manages mgtest_ policies only.
test_test_token_changes_config_and_throwaway_policies if {
	allowed("tst", "GET", ["health"])
	allowed("tst", "GET", ["v1", "data", "modelgraph", "config", "working_hours"])
	allowed("tst", "POST", ["v1", "data", "mgtest", "x1", "decision"])
	allowed("tst", "PUT", ["v1", "data", "modelgraph", "config", "working_hours"])
	allowed("tst", "PATCH", ["v1", "data", "modelgraph", "config"])
	allowed("tst", "PUT", ["v1", "policies", "mgtest_1"])
	allowed("tst", "DELETE", ["v1", "policies", "mgtest_1"])
}

# METADATA
# title: Test stack limits
# description: The test token cannot touch the rules, other data or the system package.
test_test_token_limits if {
	not allowed("tst", "PUT", ["v1", "policies", "modelgraph_authz"])
	not allowed("tst", "DELETE", ["v1", "policies", "mgtest_1", "x"])
	not allowed("tst", "PUT", ["v1", "data", "modelgraph", "roles"])
	not allowed("tst", "PUT", ["v1", "data", "system", "authz"])
	not allowed("tst", "GET", ["v1", "data", "system", "authz"])
	not allowed("tst", "DELETE", ["v1", "data", "modelgraph", "config"])
}
