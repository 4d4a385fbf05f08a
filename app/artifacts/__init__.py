"""Artifact bytes in the S3 store: content-addressed keys, encrypted at rest, verified on read."""
