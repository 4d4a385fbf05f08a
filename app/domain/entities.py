"""Domain objects built from graph properties. Immutable snapshots; the graph is the source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PREFIX_METRIC = "metric."
PREFIX_PARAM = "param."
PREFIX_CUSTOM = "cp."
PREFIX_CLASSIFICATION = "cc."  # a custom property's classification (app/domain/classification.py)
PREFIX_IMPORTANCE = "fi."


def time_of(value: Any) -> datetime | None:
    if value is None:
        return None
    native = value.to_native() if hasattr(value, "to_native") else value
    return native if isinstance(native, datetime) else None


def prefixed(props: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {k[len(prefix) :]: v for k, v in props.items() if k.startswith(prefix)}


@dataclass(frozen=True)
class Entity:
    """A node of any kind: stable id, label (kind) and its properties as stored. What a lineage subgraph
    holds (it may reach any kind); a node of a known kind is read as its typed record instead
    (app/graph/*_records.py)."""

    id: str
    kind: str
    props: dict[str, Any] = field(repr=False)

    @classmethod
    def of(cls, kind: str, props: dict[str, Any]) -> Entity:
        return cls(id=str(props["id"]), kind=kind, props=dict(props))

    def get(self, name: str, default: Any = None) -> Any:
        return self.props.get(name, default)

    @property
    def owners(self) -> list[str]:
        return list(self.props.get("owners") or [])

    @property
    def owner_teams(self) -> list[str]:
        return list(self.props.get("owner_teams") or [])


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    type: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Subgraph:
    nodes: list[Entity]
    edges: list[Edge]
    truncated: bool


@dataclass(frozen=True)
class Page:
    items: list[Entity]
    has_next: bool
    end_cursor: str | None
    total: int | None = None


@dataclass(frozen=True)
class Revision:
    revision: int
    at: datetime | None
    actor: str
    changes: dict[str, Any]


@dataclass(frozen=True)
class AliasPointer:
    alias: str
    version: int
    version_id: str
    since: datetime | None
    until: datetime | None
    actor: str | None
