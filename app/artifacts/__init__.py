"""Artifact bytes in the S3 store: content-addressed keys, encrypted at rest, verified on read."""

# The URI of an artifact kept in the registry's own store is this prefix and its digest.
STORED_URI = "modelgraph://artifacts/"
