"""Clients of a running registry, used by CLI commands such as `modelgraph policy check`."""
