"""Controlled vocabularies and saved searches: commands (through execute) and the seed file.

Terms are admin-managed (`admin` on kind `term`); saved searches are shared, named search inputs
(policy: `publish` on kind `term` until the policy data has a `saved_search` kind)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from neo4j import AsyncManagedTransaction

from app.domain import search as s
from app.domain import validation as v
from app.errors import ValidationFailed
from app.graph import vocab_queries as q
from app.graph.ids import new_id
from app.graph.reads import tx_one
from app.graph.search_repo import SearchResult, VocabReader
from app.graph.unit import Work
from app.registry.actor import RequestMeta
from app.registry.commands.vocab import SaveSearch, SeedVocabularies, UpsertTerm
from app.registry.plan import Plan
from app.services import Services

VOCABULARY_PATTERN = re.compile(r"[a-z][a-z_]{0,31}")
SEED_FILE = Path("vocabularies") / "v1.json"  # relative to settings.graph_schema_dir
MAX_SYNONYMS = 50


def vocab_reader(services: Services) -> VocabReader:
    return services.repos.vocab


def saved_search_id() -> str:
    return f"ss_{uuid.uuid4().hex}"


def term_data(p: dict[str, Any], where: str = "") -> dict[str, Any]:
    vocabulary = p.get("vocabulary")
    if not isinstance(vocabulary, str) or not VOCABULARY_PATTERN.fullmatch(vocabulary):
        raise ValidationFailed(
            f"{where}vocabulary: must match {VOCABULARY_PATTERN.pattern}", field=f"{where}vocabulary"
        )
    synonyms = v.string_list(f"{where}synonyms", p.get("synonyms"))
    if len(synonyms) > MAX_SYNONYMS:
        raise ValidationFailed(f"{where}synonyms: at most {MAX_SYNONYMS}", field=f"{where}synonyms")
    return {
        "vocabulary": vocabulary,
        "value": v.key(f"{where}value", p.get("value") or ""),
        "synonyms": [v.key(f"{where}synonyms[{i}]", x) for i, x in enumerate(synonyms)],
        "broader": v.key(f"{where}broader", p["broader"]) if p.get("broader") else None,
        "description": v.text(f"{where}description", p.get("description")),
    }


async def upsert_term(services: Services, meta: RequestMeta, c: UpsertTerm) -> Plan:
    data = term_data(c.to_payload())

    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(tx, q.UPSERT_TERM, id=new_id("Term"), at=at, actor=meta.actor.name, **data)
        assert row is not None
        return {"id": row["props"]["id"], "kind": "Term"}

    return Plan("admin", {"kind": "term", "name": f"{data['vocabulary']}:{data['value']}"}, work)


async def seed_vocabularies(services: Services, meta: RequestMeta, c: SeedVocabularies) -> Plan:
    """Load a versioned seed file's terms and example saved searches (idempotent)."""
    terms = [
        term_data({**t, "vocabulary": vocab}, f"terms.{vocab}.")
        for vocab, items in (c.vocabularies or {}).items()
        for t in items
    ]
    searches = [_search_data(x) for x in c.saved_searches or ()]
    version = int(c.version or 0)
    return Plan(
        "admin", {"kind": "term", "name": f"seed-v{version}"}, _seed_work(terms, searches, version, meta.actor.name)
    )


def _seed_work(terms: list[dict[str, Any]], searches: list[dict[str, Any]], version: int, actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        rows = [{**t, "id": new_id("Term")} for t in terms]
        await tx_one(tx, q.SEED_TERMS, terms=rows, at=at, actor=actor, version=version)
        await tx_one(tx, q.LINK_BROADER)
        found = [{**x, "id": saved_search_id()} for x in searches]
        await tx_one(tx, q.SEED_SAVED_SEARCHES, searches=found, at=at, actor=actor)
        return {"id": f"seed-v{version}", "kind": "Term", "terms": len(rows), "saved_searches": len(found)}

    return work


def _search_data(p: dict[str, Any]) -> dict[str, Any]:
    raw_input = p.get("input") or {}
    s.request(raw_input)  # refuse to store a search that could never run
    return {
        "name": v.name("name", p.get("name") or ""),
        "description": v.text("description", p.get("description")),
        "input": json.dumps(raw_input, sort_keys=True, default=str),
    }


async def save_search(services: Services, meta: RequestMeta, c: SaveSearch) -> Plan:
    data = _search_data(c.to_payload())

    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(tx, q.SAVE_SEARCH, id=saved_search_id(), at=at, actor=meta.actor.name, **data)
        assert row is not None
        return {"id": row["props"]["id"], "kind": "SavedSearch", "name": data["name"]}

    return Plan("publish", {"kind": "saved_search", "name": data["name"]}, work)


async def require_term(services: Services, vocabulary: str, value: str | None, field: str) -> str | None:
    """For commands that want a controlled value: the canonical value for `value` (a value or a
    synonym), or ValidationFailed naming the allowed values."""
    if value is None:
        return None
    terms = await vocab_reader(services).terms(vocabulary)
    if not terms:
        return value  # vocabulary not seeded: nothing to enforce
    for term in terms:
        if value.casefold() == term.value.casefold() or value.casefold() in (x.casefold() for x in term.synonyms):
            return term.value
    allowed = ", ".join(t.value for t in terms)
    raise ValidationFailed(f"{field}: must be a {vocabulary} term: one of {allowed} (got {value!r})", field=field)


async def search(
    services: Services, raw: dict[str, Any], reader: Callable[[s.SearchRequest], Awaitable[s.Reader]] | None = None
) -> SearchResult:
    """Validate a snake_case search input, load the vocabularies it expands, run it. `reader` says
    what the caller may see of classified custom properties the request filters on (public only
    when not given)."""
    req = s.request(raw)
    terms = await vocab_reader(services).terms() if _needs_terms(req) else []
    seen = await reader(req) if reader is not None and s.custom_keys(req) else None
    return await services.repos.search.search(req, terms, seen)


def _needs_terms(req: s.SearchRequest) -> bool:
    return bool(
        req.text
        or req.metrics
        or req.sort.metric
        or any(s.FIELDS[c.field].vocabulary for group in req.groups for c in group)
    )
