"""The GraphQL API: Strawberry schema, typed context, per-request loaders."""
