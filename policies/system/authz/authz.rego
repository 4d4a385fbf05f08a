# METADATA
# title: Who may use OPA's own HTTP API
# description: >-
#   Read by OPA started with --authentication=token --authorization=basic (the local stack and
#   docker-compose do). Tokens come from OPA's environment, never from data: the service's
#   MODELGRAPH_OPA_TOKEN may ask for decisions and read /health; nobody may write data or
#   policies over HTTP. A test stack also sets MODELGRAPH_OPA_TEST_TOKEN, which may read and
#   replace the choices under modelgraph/config and upload or delete throwaway mgtest_ policies.
package system.authz

# METADATA
# title: Default
# description: Deny every request no rule allows (fail closed).
default allow := false

# METADATA
# title: Token
# description: A configured token, when the environment sets a non-empty one.
token(name) := t if {
	t := opa.runtime().env[name]
	is_string(t)
	t != ""
}

# METADATA
# title: Service
# description: The caller presented the service's token.
service if input.identity == token("MODELGRAPH_OPA_TOKEN")

# METADATA
# title: Tester
# description: The caller presented the test stack's token.
tester if input.identity == token("MODELGRAPH_OPA_TEST_TOKEN")

# METADATA
# title: Known caller
# description: The service or the test stack.
known if service

# METADATA
# title: Known caller
# description: The service or the test stack.
known if tester

# METADATA
# title: Data query
# description: A path under /v1/data outside OPA's own system package.
data_path if {
	input.path[0] == "v1"
	input.path[1] == "data"
	not input.path[2] == "system"
}

# METADATA
# title: Config path
# description: A path at or under /v1/data/modelgraph/config.
config_path if {
	array.slice(input.path, 0, 4) == ["v1", "data", "modelgraph", "config"]
}

# METADATA
# title: Allow
# description: The service asks for decisions (POST is a query with input, not a write).
allow if {
	service
	input.method == "POST"
	data_path
}

# METADATA
# title: Allow
# description: The service and the test stack read OPA's health.
allow if {
	known
	input.method == "GET"
	input.path == ["health"]
}

# METADATA
# title: Allow
# description: The test stack queries and reads policy data.
allow if {
	tester
	input.method in {"GET", "POST"}
	data_path
}

# METADATA
# title: Allow
# description: The test stack replaces the choices under modelgraph/config.
allow if {
	tester
	input.method in {"PUT", "PATCH"}
	config_path
}

# METADATA
# title: Allow
# description: The test stack uploads and deletes throwaway policies named mgtest_*.
allow if {
	tester
	input.method in {"PUT", "DELETE"}
	count(input.path) == 3
	array.slice(input.path, 0, 2) == ["v1", "policies"]
	startswith(input.path[2], "mgtest_")
}
