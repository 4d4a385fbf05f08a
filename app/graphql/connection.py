"""Relay connections for lists that grow: edges with opaque cursors, page info, and a total where
it is cheap. A page holds 1..MAX_PAGE items; asking for more (or fewer) is refused naming `first`,
never silently clamped, so a client never mistakes a short page for the end of the list."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.types.nodes import SelectedField

from app.errors import ValidationFailed

MAX_PAGE = 100
T = TypeVar("T")


@strawberry.type(description="Relay page info.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items after this page.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.type(description="One item of a page, with the cursor that continues after it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque cursor: pass as `after` to continue after this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of items (at most 100), newest or first by name as the field says.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Whether more follow, and the cursor to get them.")
    total_count: int | None = strawberry.field(
        description="All items of the list (counted only when selected); null where counting is not cheap."
    )


def asks_for_total(info: Any) -> bool:
    """Whether the selection of this connection field includes `totalCount` (counting costs a query,
    so it runs only when asked)."""
    return any(_selects_total(field.selections) for field in info.selected_fields)


def _selects_total(selections: Any) -> bool:
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == "totalCount":
                return True
        elif _selects_total(selection.selections):  # a fragment spread or inline fragment
            return True
    return False


def page_size(first: int) -> int:
    """The page size asked for, when it is 1..MAX_PAGE."""
    if not 1 <= first <= MAX_PAGE:
        raise ValidationFailed(f"first: must be between 1 and {MAX_PAGE} (got {first})", field="first")
    return first


def encode(key: str) -> str:
    return base64.urlsafe_b64encode(f"c:{key}".encode()).decode()


def decode(cursor: str | None) -> str | None:
    """The key a cursor stands for; a cursor this API did not make is refused naming `after`."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith("c:"):
        raise ValidationFailed("after: not a cursor returned by this API", field="after")
    return text[2:]


def time_cursor_key(at: datetime | None, node_id: str) -> str:
    """The key of a newest-first list ordered by (time, id)."""
    return f"{at.isoformat() if at is not None else ''}|{node_id}"


def time_key(cursor: str | None) -> tuple[datetime, str] | None:
    """The (time, id) a newest-first cursor stands for."""
    key = decode(cursor)
    if key is None:
        return None
    at, _, node_id = key.partition("|")
    try:
        return datetime.fromisoformat(at), node_id
    except ValueError:
        raise ValidationFailed("after: not a cursor returned by this API", field="after") from None


def connection(rows: Sequence[tuple[str, T]], limit: int, total: int | None = None) -> Connection[T]:
    """A page from `rows` (key, node) fetched with one more than `limit`, to know if more follow."""
    edges = [Edge(cursor=encode(key), node=node) for key, node in rows[:limit]]
    info = PageInfo(has_next_page=len(rows) > limit, end_cursor=edges[-1].cursor if edges else None)
    return Connection(edges=edges, page_info=info, total_count=total)


def sliced(rows: Sequence[tuple[str, T]], first: int, after: str | None) -> Connection[T]:
    """A page of a short list already in memory, ordered by key (principals, terms)."""
    start = decode(after)
    ordered = sorted(rows, key=lambda r: r[0])
    rest = [r for r in ordered if start is None or r[0] > start]
    limit = page_size(first)
    return connection(rest[: limit + 1], limit, total=len(ordered))
