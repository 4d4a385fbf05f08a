"""Use cases: validate, ask policy, write with audit. Resolvers and the CLI call these."""
