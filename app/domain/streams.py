"""Which audit stream a change belongs to: one stream per aggregate, named `<kind>:<key>`.

Writes lock only their stream's head, so the choice decides what waits for what: every change
to a model, its versions, aliases and evaluations shares the model's stream (they must be
ordered anyway); different models, runs and datasets never wait on each other.
"""

from __future__ import annotations

from typing import Any

# The plan creates a new aggregate whose id the write generates: its stream starts with the write.
NEW_AGGREGATE = ""

MODEL_KINDS = frozenset({"model", "model_version", "alias", "evaluation"})
STREAM_KIND = {"dataset_version": "dataset", "grant": "principal"}


def stream_for(resource: dict[str, Any]) -> str:
    """The stream of the aggregate a policy resource names."""
    kind = str(resource.get("kind") or "registry")
    key = resource.get("name") or resource.get("id")
    if kind in MODEL_KINDS and resource.get("name"):
        return f"model:{resource['name']}"
    if key is None:
        return kind
    return f"{STREAM_KIND.get(kind, kind)}:{key}"
