"""Typed records of vocabulary terms and saved searches, decoded from stored properties here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Self

from app.graph.props import Props, text_of


@dataclass(frozen=True, kw_only=True)
class Term:
    id: str
    vocabulary: str
    value: str
    synonyms: list[str]
    broader: str | None

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            vocabulary=str(p.get("vocabulary")),
            value=str(p.get("value")),
            synonyms=list(p.get("synonyms") or []),
            broader=text_of(p.get("broader")),
        )


@dataclass(frozen=True, kw_only=True)
class SavedSearch:
    """A named, shared search; its input is the stored JSON, decoded."""

    id: str
    name: str
    description: str | None
    input: Any
    created_by: str | None

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            name=str(p.get("name")),
            description=text_of(p.get("description")),
            input=json.loads(p.get("input") or "{}"),
            created_by=text_of(p.get("created_by")),
        )
