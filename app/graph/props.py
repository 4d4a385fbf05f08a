"""Decoding stored node properties: the converters every typed record uses (app/graph/*_records.py),
so the driver's values (JSON text, prefixed maps, missing revisions) stop in app/graph."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.domain.entities import PREFIX_CLASSIFICATION, PREFIX_CUSTOM, prefixed
from app.errors import IntegrityError

Props = dict[str, Any]


def required(p: Props, key: str, record: type) -> Any:
    """A property the write path always stores. A node without it was not written by this registry
    (hand-made, or a partial import): the read is refused as an integrity error naming the node and
    the property, not a KeyError deep inside a resolver."""
    value = p.get(key)
    if value is None:
        raise IntegrityError(f"stored {record.__name__} {p.get('id', '(no id)')} has no {key}; repair or remove it")
    return value


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
