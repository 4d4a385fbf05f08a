"""Reads and writes of the continuous validator. Findings are opened and resolved with an audit event
in the stream of what they are about, and the search document of a version they are about, in one
transaction; driver values become Python values here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction

from app.domain.streams import stream_for
from app.events.catalog import Event
from app.graph import search_queries as sq
from app.graph import unit
from app.graph import validation_queries as q
from app.graph.audit import AuditRecord
from app.graph.ids import new_id
from app.graph.reads import native, rows, tx_one

VALIDATOR = "modelgraph-validator"  # the actor of findings in the audit trail


@dataclass(frozen=True)
class VersionFacts:
    id: str
    model: str
    version: int
    status: str
    artifact_uri: str
    artifact_digest: str
    artifact_size: int | None
    intended_use: str | None
    in_production: bool
    evaluations: list[dict[str, Any]] = field(default_factory=list)

    def policy_input(self) -> dict[str, Any]:
        return {
            "version": {
                "id": self.id,
                "model": self.model,
                "version": self.version,
                "in_production": self.in_production,
                "intended_use": self.intended_use,
                "evaluations": self.evaluations,
            }
        }


@dataclass(frozen=True)
class DatasetFacts:
    id: str
    dataset: str
    version: int
    source_uri: str


@dataclass(frozen=True)
class Finding:
    id: str
    subject_id: str
    subject_kind: str
    check: str
    detail: str
    status: str
    opened_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None

    @classmethod
    def of(cls, p: dict[str, Any]) -> Finding:
        return cls(
            id=p["id"],
            subject_id=p["subject_id"],
            subject_kind=p["subject_kind"],
            check=p["check"],
            detail=p.get("detail") or "",
            status=p["status"],
            opened_at=native(p["opened_at"]),
            last_seen_at=native(p["last_seen_at"]),
            resolved_at=native(p.get("resolved_at")),
        )


@dataclass(frozen=True)
class Subject:
    """What a finding is about, and the audit stream its changes go to."""

    id: str
    kind: str  # ModelVersion | DatasetVersion
    stream: str

    @classmethod
    def version(cls, v: VersionFacts) -> Subject:
        return cls(v.id, "ModelVersion", stream_for({"kind": "model_version", "name": v.model}))

    @classmethod
    def dataset(cls, d: DatasetFacts) -> Subject:
        return cls(d.id, "DatasetVersion", stream_for({"kind": "dataset_version", "name": d.dataset}))


class ValidationRepo:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver, self.db = driver, database

    async def versions_after(self, after: str, limit: int) -> list[VersionFacts]:
        found = await rows(self.driver, self.db, q.VERSIONS_AFTER, after=after, limit=limit)
        return [
            VersionFacts(
                id=r["id"],
                model=r["model"],
                version=int(r["version"]),
                status=r["status"] or "",
                artifact_uri=r["artifact_uri"] or "",
                artifact_digest=r["artifact_digest"] or "",
                artifact_size=r["artifact_size"],
                intended_use=r["intended_use"],
                in_production=bool(r["in_production"]),
                evaluations=list(r["evaluations"] or []),
            )
            for r in found
        ]

    async def datasets_after(self, after: str, limit: int) -> list[DatasetFacts]:
        found = await rows(self.driver, self.db, q.DATASET_VERSIONS_AFTER, after=after, limit=limit)
        return [DatasetFacts(r["id"], r["dataset"], int(r["version"]), r["source_uri"] or "") for r in found]

    async def open_findings(self, subject_ids: list[str]) -> list[Finding]:
        found = await rows(self.driver, self.db, q.OPEN_FINDINGS_OF, subject_ids=subject_ids)
        return [Finding.of(r["props"]) for r in found]

    async def findings_of(
        self, subject_ids: Sequence[str], include_resolved: bool, limit: int = 100
    ) -> list[list[Finding]]:
        """Each subject's findings, newest first, in the order asked (one query for a page)."""
        found = await rows(
            self.driver,
            self.db,
            q.FINDINGS_OF_SUBJECTS,
            subject_ids=list(subject_ids),
            include_resolved=include_resolved,
            limit=limit,
        )
        by_subject: dict[str, list[Finding]] = {}
        for r in found:
            by_subject.setdefault(str(r["subject_id"]), []).append(Finding.of(r["props"]))
        return [by_subject.get(s, []) for s in subject_ids]

    async def open_counts(self) -> dict[str, int]:
        return {r["check"]: int(r["open"]) for r in await rows(self.driver, self.db, q.COUNT_OPEN_FINDINGS)}

    async def open(self, subject: Subject, check: str, detail: str) -> Finding:
        async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
            row = await tx_one(
                tx,
                q.OPEN_FINDING[subject.kind],
                id=new_id("Finding"),
                subject_id=subject.id,
                subject_kind=subject.kind,
                check=check,
                detail=detail,
                at=at,
            )
            if row is None:
                raise LookupError(f"{subject.kind} {subject.id} no longer exists")
            await _refresh_search_doc(tx, subject)
            props: dict[str, Any] = row["props"]
            return props

        record = self._record("validate:open_finding", subject, {"check": check, "detail": detail})
        written = await unit.write(self.driver, self.db, work, record, events=_events("finding.opened", subject))
        return Finding.of(written.result)

    async def seen_again(self, finding: Finding, detail: str) -> None:
        await self.driver.execute_query(q.SEEN_AGAIN, id=finding.id, detail=detail, at=_now(), database_=self.db)

    async def resolve(self, finding: Finding, subject: Subject) -> Finding:
        async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
            row = await tx_one(tx, q.RESOLVE_FINDING, id=finding.id, at=at)
            await _refresh_search_doc(tx, subject)
            return dict(row["props"]) if row else {"id": finding.id}

        record = self._record("validate:resolve_finding", subject, {"check": finding.check, "finding": finding.id})
        result = (
            await unit.write(self.driver, self.db, work, record, events=_events("finding.resolved", subject))
        ).result
        return Finding.of(result) if "status" in result else finding

    async def cursor(self, name: str) -> str:
        found = await rows(self.driver, self.db, q.CURSOR, name=name)
        return str(found[0]["after"] or "") if found else ""

    async def set_cursor(self, name: str, after: str) -> None:
        await self.driver.execute_query(q.SET_CURSOR, name=name, after=after, at=_now(), database_=self.db)

    async def acquire_lease(self, name: str, holder: str, ttl: timedelta) -> bool:
        now = _now()
        found = await self.driver.execute_query(
            q.ACQUIRE_LEASE, name=name, holder=holder, now=now, expires_at=now + ttl, database_=self.db
        )
        return bool(found.records) and found.records[0]["holder"] == holder

    async def release_lease(self, name: str, holder: str) -> None:
        await self.driver.execute_query(q.RELEASE_LEASE, name=name, holder=holder, now=_now(), database_=self.db)

    @staticmethod
    def _record(action: str, subject: Subject, details: dict[str, Any]) -> AuditRecord:
        return AuditRecord(
            actor=VALIDATOR,
            action=action,
            target_id=subject.id,
            target_kind=subject.kind,
            decision="applied",
            details=details,
            stream=subject.stream,
        )


async def _refresh_search_doc(tx: AsyncManagedTransaction, subject: Subject) -> None:
    """A version's open findings are a search facet: its document changes with them."""
    if subject.kind == "ModelVersion":
        await (await tx.run(sq.REFRESH_DOC_FINDINGS, id=subject.id)).consume()


def _events(kind: str, subject: Subject) -> Callable[[dict[str, Any]], list[Event]]:
    """The outbox event of a finding change: about its subject, on the subject's model if any."""
    model = subject.stream.removeprefix("model:") if subject.stream.startswith("model:") else None

    def events(result: dict[str, Any]) -> list[Event]:
        data = {
            "id": result.get("id"),
            "kind": "Finding",
            "subject": subject.id,
            "subject_kind": subject.kind,
            "check": result.get("check"),
            "detail": result.get("detail"),
        }
        return [Event(kind, subject.id, model, {**data, "model": model} if model else data)]

    return events


def _now() -> datetime:
    return datetime.now(UTC)
