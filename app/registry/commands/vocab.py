"""Commands of controlled vocabularies and saved searches."""

from __future__ import annotations

from dataclasses import dataclass

from app.registry.commands.base import Command, Json


@dataclass(frozen=True, kw_only=True)
class UpsertTerm(Command):
    command_name = "upsert_term"
    vocabulary: str | None = None
    value: str | None = None
    synonyms: tuple[str, ...] | None = None
    broader: str | None = None
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class SeedVocabularies(Command):
    """A versioned seed file: {vocabulary: [term, ...]} and example saved searches."""

    command_name = "seed_vocabularies"
    version: int | None = None
    vocabularies: Json = None
    saved_searches: tuple[Json, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class SaveSearch(Command):
    command_name = "save_search"
    name: str | None = None
    description: str | None = None
    # The snake_case search input, as the search query takes it (checked before it is stored).
    input: Json = None
