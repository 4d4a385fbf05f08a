"""The local stack: Neo4j, OPA and an S3 store started as real processes on loopback, no Docker."""
