"""Custom properties of a write: typed scalars stored under a prefix, each with the classification
that decides who reads it."""

from __future__ import annotations

from typing import Any

from app.domain import classification
from app.domain import validation as v
from app.domain.entities import PREFIX_CLASSIFICATION, PREFIX_CUSTOM
from app.errors import ValidationFailed


def custom_props(field: str, values: dict[str, Any] | None) -> dict[str, Any]:
    """Typed custom properties (string / number / bool), stored as `cp.<name>`. A value may be
    `{"value": ..., "classification": "confidential"}`: its class is stored as `cc.<name>` and
    decides who reads it (policies/modelgraph/disclosure); without one a property is public."""
    plain: dict[str, Any] = {}
    classes: dict[str, str] = {}
    for name, value in v.mapping(field, values).items():
        if isinstance(value, dict):
            unknown = set(value) - {"value", "classification"}
            if unknown or "value" not in value:
                raise ValidationFailed(
                    f"{field}.{name}: an object must be {{value, classification}}", field=f"{field}.{name}"
                )
            classes[name] = classification.checked(f"{field}.{name}.classification", value.get("classification"))
            value = value["value"]
        plain[name] = value
    checked = v.scalar_map(field, plain)
    out: dict[str, Any] = {PREFIX_CUSTOM + v.prop_name(f"{field}.name", k): val for k, val in checked.items()}
    for name, cls in classes.items():
        out[PREFIX_CLASSIFICATION + v.prop_name(f"{field}.name", name)] = cls
    return out
