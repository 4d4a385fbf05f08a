"""Request bodies as JSON, refused with a clear message when hostile: invalid UTF-8, malformed,
or nested deeper than a limit (the json module recurses, so 100k levels would be a 500)."""

from __future__ import annotations

import json
from typing import Any

from app.errors import BadRequest

MAX_DEPTH = 64


class BadJson(BadRequest):
    """The body is not acceptable JSON; nothing was read from it."""


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH, what: str = "body") -> Any:
    """Parse `data`; raise BadJson naming the rule it broke."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadJson(f"{what}: is not valid UTF-8 (byte {exc.start})", field=what) from None
    try:
        value = json.loads(data)
    except RecursionError:
        raise BadJson(f"{what}: JSON is nested deeper than {max_depth} levels", field=what) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise BadJson(f"{what}: is not valid JSON ({exc.msg} at {where})", field=what) from None
    if depth(value) > max_depth:
        raise BadJson(f"{what}: JSON is nested deeper than {max_depth} levels", field=what)
    return value


def depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value (iterative: never recurses itself)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest
