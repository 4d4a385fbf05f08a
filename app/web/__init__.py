"""HTTP routes that are not GraphQL: health, readiness, metrics, the GraphiQL shell."""
