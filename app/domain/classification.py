"""How sensitive a metadata field is. Fields carry a classification by schema (FIELD_CLASSES) and
custom properties one given at write time; policy (policies/modelgraph/disclosure) decides who may
read each class, for which purpose. Anything not classified is public."""

from __future__ import annotations

from typing import Any

from app.errors import ValidationFailed

CLASSIFICATIONS = ("public", "internal", "confidential", "personal")
# Whose reads are audited (with their purpose).
AUDITED = frozenset({"confidential", "personal"})

# (node label, property) -> classification, for fields of the schema (wherever they are read:
# their GraphQL field, lineage node properties).
FIELD_CLASSES: dict[tuple[str, str], str] = {
    ("Model", "intended_use"): "internal",
    ("DatasetVersion", "schema"): "confidential",
    ("DatasetVersion", "source_uri"): "internal",
    # Notes people write about history may name incidents, customers or colleagues: never public.
    ("Annotation", "text"): "internal",
}


def checked(field: str, value: Any) -> str:
    if value not in CLASSIFICATIONS:
        raise ValidationFailed(f"{field}: must be one of {', '.join(CLASSIFICATIONS)}", field=field)
    return str(value)
