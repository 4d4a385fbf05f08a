"""modelgraph: the registry's Python client (`modelgraph.client`). The service itself is the `app` package."""
