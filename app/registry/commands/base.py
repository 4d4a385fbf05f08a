"""Commands are frozen dataclasses: built once from a GraphQL input (or a REST body, an OpenLineage
event, a stored review), handed typed to their handler, and serialisable as a JSON payload.

The payload form is the one pending reviews have always stored: snake_case keys, absent and null
fields left out, nested inputs as objects, lists as arrays. `from_payload(to_payload(c)) == c`."""

from __future__ import annotations

import dataclasses
import re
import types
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Self, TypeAlias, Union, get_args, get_origin, get_type_hints

from app.errors import ValidationFailed

# A JSON value whose shape the handler checks (custom properties, metrics, free-form samples).
Json: TypeAlias = Any


@dataclasses.dataclass(frozen=True, kw_only=True)
class Record:
    """A typed part of a command (an artifact reference, a traffic share, ...)."""

    def to_payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = _dump(value)
        return out

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], where: str = "") -> Self:
        """Build from the payload form; a missing required field or an unknown one names the field."""
        hints = _hints(cls)
        unknown = sorted(set(payload) - set(hints))
        if unknown:
            raise _fail(f"{where}{unknown[0]}", "unknown field")
        values: dict[str, Any] = {}
        for name, (hint, required) in hints.items():
            value = payload.get(name)
            if value is None:
                if required:
                    raise _fail(f"{where}{name}", "is required")
                continue
            values[name] = _load(hint, value, f"{where}{name}")
        return cls(**values)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Command(Record):
    """One write request. `command_name` is its stable name in reviews, audit events and the outbox."""

    command_name: ClassVar[str]


_HINTS: dict[type[Record], dict[str, tuple[Any, bool]]] = {}


def _hints(cls: type[Record]) -> dict[str, tuple[Any, bool]]:
    """field -> (type without None, required), worked out once per class."""
    if cls in _HINTS:
        return _HINTS[cls]
    resolved = get_type_hints(cls)
    out: dict[str, tuple[Any, bool]] = {}
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out[f.name] = (_without_none(resolved[f.name]), required)
    _HINTS[cls] = out
    return out


def _without_none(hint: Any) -> Any:
    if get_origin(hint) in (Union, types.UnionType):
        rest = [a for a in get_args(hint) if a is not type(None)]
        return rest[0] if len(rest) == 1 else hint
    return hint


def _load(hint: Any, value: Any, where: str) -> Any:
    if isinstance(hint, type) and issubclass(hint, Record):
        if not isinstance(value, Mapping):
            raise _fail(where, "must be an object")
        return hint.from_payload(value, f"{where}.")
    if get_origin(hint) is tuple:
        if not isinstance(value, list | tuple):
            raise _fail(where, "must be a list")
        item = get_args(hint)[0]
        return tuple(_load(item, x, f"{where}[{i}]") for i, x in enumerate(value))
    if hint is datetime and isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise _fail(where, "must be an ISO 8601 timestamp with a timezone") from None
    return value


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_payload()
    if isinstance(value, tuple):
        return [_dump(x) for x in value]
    return value


def _fail(where: str, rule: str) -> ValidationFailed:
    """Named as the API names fields (camelCase), like every other validation error."""
    field = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), where)
    return ValidationFailed(f"{field}: {rule}", field=field)
