"""modelgraph: an ML model registry built as a provenance graph."""

__version__ = "0.1.0"
