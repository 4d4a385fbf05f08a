"""GraphQL object types; each mirrors one domain object."""
