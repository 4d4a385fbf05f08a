"""Node ids carry their label as a prefix, so a bare id finds its node through an index."""

from __future__ import annotations

import uuid

PREFIXES: dict[str, str] = {
    "Project": "prj",
    "Experiment": "exp",
    "Run": "run",
    "Dataset": "ds",
    "DatasetVersion": "dsv",
    "Feature": "feat",
    "Model": "mdl",
    "ModelVersion": "mv",
    "Artifact": "art",
    "Alias": "als",
    "Revision": "rev",
    "Evaluation": "eval",
    "Deployment": "dep",
    "Environment": "env",
    "DeploymentEvent": "devt",
    "HealthWindow": "hw",
    "Principal": "prn",
    "Grant": "grt",
    "Review": "rvw",
    "AuditEvent": "ae",
    "AuditCheckpoint": "acp",
    "Term": "term",
    "Annotation": "ann",
    "ApiKey": "key",
    "Feedback": "fb",
    "SavedSearch": "ss",
    "Finding": "fnd",
}
LABEL_BY_PREFIX = {prefix: label for label, prefix in PREFIXES.items()}


def new_id(label: str) -> str:
    return f"{PREFIXES[label]}_{uuid.uuid4().hex}"


def label_of(node_id: str) -> str | None:
    prefix, sep, _ = node_id.partition("_")
    return LABEL_BY_PREFIX.get(prefix) if sep else None
