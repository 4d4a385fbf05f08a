"""Per-domain Query classes, merged in app.graphql.schema."""
