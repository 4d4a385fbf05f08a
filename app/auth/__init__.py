"""Authentication: bearer API keys (stored hashed) and JWTs; deny by default."""
