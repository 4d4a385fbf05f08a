"""The one enforcement point for classified metadata (app/domain/classification.py): every read of a
classified value — a schema field, a custom property, a lineage node property — asks the request's
DisclosureGate, which asks policy (policies/modelgraph/disclosure) once per (classification,
ownership) and answers the value or `[redacted: <classification>]`. Confidential and personal values
that were disclosed are audited once per request, with the purpose the caller stated (X-Purpose);
if that audit cannot be written, the response carries no data."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from graphql import GraphQLError
from neo4j import AsyncManagedTransaction
from strawberry.extensions import SchemaExtension

from app.domain.classification import AUDITED, CLASSIFICATIONS
from app.domain.search import Reader
from app.errors import DependencyUnavailable
from app.graph import unit
from app.graph.audit import AuditRecord
from app.graphql.outcomes import answer_instead

log = logging.getLogger(__name__)

MARKER = "[redacted: {}]"
PACKAGE = "modelgraph.disclosure"
PURPOSE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
MAX_AUDITED_FIELDS = 200


class Owned(Protocol):
    """What ownership is read from: a typed record, or a generic node (app/domain/entities.py)."""

    @property
    def owners(self) -> Sequence[str]: ...

    @property
    def owner_teams(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Owners:
    owners: tuple[str, ...] = ()
    owner_teams: tuple[str, ...] = ()


NOBODY = Owners()  # what a node no one owns answers


def redacted(classification: str) -> str:
    return MARKER.format(classification)


@dataclass
class DisclosureGate:
    """Per request: decisions cached by (classification, is owner); disclosures to audit."""

    context: Any
    decisions: dict[tuple[str, bool], bool] = field(default_factory=dict)
    disclosed: list[dict[str, str]] = field(default_factory=list)

    async def value(self, node_id: str, prop: str, classification: str, value: Any, owned: Owned) -> Any:
        """The value when policy lets this caller read it, else the redaction marker. `owned`: what
        holds the owners of the node (itself, or the model of a version)."""
        if value is None or classification == "public":
            return value
        if not await self.allows(classification, owned):
            return redacted(classification)
        if classification in AUDITED and len(self.disclosed) < MAX_AUDITED_FIELDS:
            self.disclosed.append({"node": node_id, "field": prop, "classification": classification})
        return value

    async def allows(self, classification: str, owned: Owned) -> bool:
        principal = self.context.principal
        if principal is None:
            return False
        return await self.decide(classification, owns(principal.name, principal.teams, owned))

    async def search_reader(self) -> Reader:
        """What a search's CUSTOM filters may see: the classes policy lets this caller read, as anyone
        and as an owner of the version's model."""
        principal = self.context.principal
        if principal is None:
            return Reader()
        classified = [c for c in CLASSIFICATIONS if c != "public"]
        answers = await asyncio.gather(*(self.decide(c, owner) for owner in (False, True) for c in classified))
        readable = {"public", *(c for c, ok in zip(classified, answers[: len(classified)], strict=True) if ok)}
        if_owner = {"public", *(c for c, ok in zip(classified, answers[len(classified) :], strict=True) if ok)}
        return Reader(principal.name, tuple(principal.teams), frozenset(readable), frozenset(if_owner))

    def searched(self, reader: Reader, keys: list[str], total: int, models: Sequence[Owned], more: bool) -> None:
        """Filtering on values of an audited class discloses them (the hits and their count say which
        versions hold them), so a search that found something is audited like reading them: the
        classes anyone of the caller's standing may read, and those it reads as an owner when it found
        (or may have found, past this page) a model of its own. `models`: the hits' models on this page."""
        if total == 0:
            return
        classes = set(reader.readable)
        if more or any(owns(reader.name, reader.teams, m) for m in models):
            classes |= reader.readable_if_owner
        for key in keys:
            for classification in sorted(classes & AUDITED):
                if len(self.disclosed) < MAX_AUDITED_FIELDS:
                    seen = {"node": "search", "field": f"custom.{key}", "classification": classification}
                    self.disclosed.append(seen)

    async def decide(self, classification: str, is_owner: bool) -> bool:
        """Policy's answer for this caller, purpose and ownership (asked once per request)."""
        principal = self.context.principal
        if principal is None:
            return False
        key = (classification, is_owner)
        if key not in self.decisions:
            question = {
                "principal": principal.policy_view(),
                "classification": classification,
                "owner": is_owner,
                "purpose": purpose_of(self.context),
            }
            try:
                self.decisions[key] = await self.context.services.policy.query(PACKAGE, "allow", question) is True
            except DependencyUnavailable:
                self.decisions[key] = False  # fail closed: withheld, never shown unasked
        return self.decisions[key]


def owns(name: str, teams: Iterable[str], owned: Owned) -> bool:
    """Whether a principal (by name or one of its teams) is an owner of `owned`."""
    return name in owned.owners or bool(set(owned.owner_teams) & set(teams))


def gate(info: Any) -> DisclosureGate:
    loaders = info.context.loaders
    if "disclosure" not in loaders:
        loaders["disclosure"] = DisclosureGate(info.context)
    found: DisclosureGate = loaders["disclosure"]
    return found


def purpose_of(context: Any) -> str | None:
    request = getattr(context, "request", None)
    headers = getattr(request, "headers", None)
    stated = headers.get("x-purpose") if headers is not None else None
    return stated if stated and PURPOSE.match(stated) else None


class DisclosureAudit(SchemaExtension):
    """After execution: one audit event listing the confidential and personal values disclosed."""

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        found = getattr(context, "loaders", {}).get("disclosure")
        if not isinstance(found, DisclosureGate) or not found.disclosed or context.principal is None:
            return
        check = getattr(context, "read_check", None)
        if check is not None and await check.refusal() is not None:
            return  # a mutation whose caller may not read: the read gate sends its refusal instead
        record = AuditRecord(
            actor=context.principal.name,
            action="read:disclose",
            target_id=None,
            target_kind="registry",
            decision="allowed",
            request_id=context.request_id,
            purpose=purpose_of(context),
            details={"disclosed": found.disclosed},
            stream=f"reads:{context.principal.name}",
        )
        try:
            services = context.services
            await unit.write(services.driver, services.settings.neo4j_database, _nothing, record)
        except Exception as exc:
            log.warning("disclosure not audited, response withheld: %s", type(exc).__name__)
            error = GraphQLError(
                "the read disclosed audited data and the audit could not be written; nothing was returned",
                extensions={"code": DependencyUnavailable.code, "reasons": []},
            )
            answer_instead(self.execution_context, error)


async def _nothing(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
    return {"id": None}
