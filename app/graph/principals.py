"""Principals (users, service accounts), their roles and teams, and their API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from app.errors import NotFound
from app.graph.core_writes import refuse_existing
from app.graph.ids import new_id
from app.graph.reads import rows, tx_one
from app.graph.unit import Work
from app.registry.actor import Actor

PRINCIPAL_EXISTS: LiteralString = "MATCH (p:Principal {name: $name}) RETURN p.id AS id"
KEY_LOOKUP: LiteralString = """
MATCH (k:ApiKey {key_hash: $hash})-[:FOR]->(p:Principal)
WHERE coalesce(p.disabled, false) = false
RETURN properties(p) AS principal, properties(k) AS key
"""
PRINCIPAL_BY_NAME: LiteralString = """
MATCH (p:Principal {name: $name}) WHERE coalesce(p.disabled, false) = false RETURN properties(p) AS principal
"""
CREATE_PRINCIPAL: LiteralString = """
CREATE (p:Principal {id: $id, name: $name, kind: $kind, roles: $roles, teams: $teams,
                     created_at: $at, created_by: $actor})
RETURN properties(p) AS props
"""
CREATE_KEY: LiteralString = """
MATCH (p:Principal {name: $name})
CREATE (k:ApiKey {id: $id, key_hash: $hash, label: $label, created_at: $at, expires_at: $expires_at,
                  created_by: $actor})-[:FOR]->(p)
RETURN k.id AS id
"""
REVOKE_KEY: LiteralString = """
MATCH (k:ApiKey {id: $id}) WHERE k.revoked_at IS NULL SET k.revoked_at = $at RETURN k.id AS id
"""
LIST_PRINCIPALS: LiteralString = "MATCH (p:Principal) RETURN properties(p) AS props ORDER BY p.name LIMIT 500"


def actor_of(props: dict[str, Any]) -> Actor:
    return Actor(
        id=str(props["id"]),
        name=str(props["name"]),
        kind=str(props.get("kind") or "user"),
        roles=tuple(props.get("roles") or ()),
        teams=tuple(props.get("teams") or ()),
    )


class PrincipalStore:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver = driver
        self.db = database

    async def by_key_hash(self, key_hash: str) -> tuple[Actor, dict[str, Any]] | None:
        found = await rows(self.driver, self.db, KEY_LOOKUP, hash=key_hash)
        if not found:
            return None
        return actor_of(found[0]["principal"]), found[0]["key"]

    async def by_name(self, name: str) -> Actor | None:
        found = await rows(self.driver, self.db, PRINCIPAL_BY_NAME, name=name)
        return actor_of(found[0]["principal"]) if found else None

    async def list(self) -> list[Actor]:
        return [actor_of(r["props"]) for r in await rows(self.driver, self.db, LIST_PRINCIPALS)]


def create_principal(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        await refuse_existing(tx, PRINCIPAL_EXISTS, f"name: principal {p['name']!r} already exists", name=p["name"])
        row = await tx_one(
            tx,
            CREATE_PRINCIPAL,
            id=new_id("Principal"),
            name=p["name"],
            kind=p["kind"],
            roles=p["roles"],
            teams=p["teams"],
            at=at,
            actor=actor,
        )
        assert row is not None
        return {"id": row["props"]["id"], "kind": "Principal"}

    return work


def create_key(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(
            tx,
            CREATE_KEY,
            name=p["principal"],
            id=new_id("ApiKey"),
            hash=p["key_hash"],
            label=p["label"],
            expires_at=p["expires_at"],
            at=at,
            actor=actor,
        )
        if row is None:
            raise NotFound(f"principal: no principal {p['principal']!r}", field="principal")
        return {"id": row["id"], "kind": "ApiKey"}

    return work


def revoke_key(key_id: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(tx, REVOKE_KEY, id=key_id, at=at)
        if row is None:
            raise NotFound(f"id: no active API key {key_id!r}", field="id")
        return {"id": key_id, "kind": "ApiKey"}

    return work
