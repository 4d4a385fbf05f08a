"""Per-domain Mutation classes, merged in app.graphql.schema."""
