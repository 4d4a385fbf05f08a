"""Decoding stored node properties: the converters every typed record uses (app/graph/*_records.py),
so the driver's values (JSON text, prefixed maps, missing revisions) stop in app/graph."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.domain.entities import PREFIX_CLASSIFICATION, PREFIX_CUSTOM, prefixed

Props = dict[str, Any]


def text_of(value: Any) -> str | None:
    return None if value is None else str(value)


def int_of(value: Any) -> int | None:
    return None if value is None else int(value)


def float_of(value: Any) -> float | None:
    return None if value is None else float(value)


def strings_of(value: Any) -> list[str]:
    return [str(s) for s in value or []]


def json_of(value: Any) -> Any:
    return None if value is None else json.loads(str(value))


def revision_of(p: Props) -> int:
    return int(p.get("revision") or 1)


@dataclass(frozen=True)
class Custom:
    """Custom properties and the classification each was given at write time (absent: public)."""

    values: dict[str, Any]
    classes: dict[str, str]

    @classmethod
    def of(cls, p: Props) -> Custom:
        return cls(prefixed(p, PREFIX_CUSTOM), prefixed(p, PREFIX_CLASSIFICATION))
