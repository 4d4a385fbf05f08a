"""Typed records of grants and audit events, decoded from stored properties here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from app.domain.entities import time_of
from app.graph.props import Props, int_of, required, text_of


@dataclass(frozen=True, kw_only=True)
class Grant:
    """A time-bound permission for one principal (kept on record after revocation)."""

    id: str
    principal: str
    action: str
    resource_id: str
    expires_at: datetime | None
    created_at: datetime | None
    created_by: str | None
    revoked_at: datetime | None
    revoked_by: str | None
    revoke_reason: str | None

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            principal=str(required(p, "principal", cls)),
            action=str(required(p, "action", cls)),
            resource_id=str(p.get("resource_id") or "*"),
            expires_at=time_of(p.get("expires_at")),
            created_at=time_of(p.get("created_at")),
            created_by=text_of(p.get("created_by")),
            revoked_at=time_of(p.get("revoked_at")),
            revoked_by=text_of(p.get("revoked_by")),
            revoke_reason=text_of(p.get("revoke_reason")),
        )


@dataclass(frozen=True, kw_only=True)
class AuditEvent:
    """One tamper-evident audit event, with what its details (JSON text) say about approval."""

    stream: str
    seq: int
    position: int | None
    at: datetime | None
    actor: str
    action: str
    target_id: str | None
    decision: str
    reasons: list[str]
    request_id: str | None
    purpose: str | None
    approved_by: str | None
    review_id: str | None
    subjects: list[str]
    hash: str
    prev_hash: str

    @classmethod
    def of(cls, e: Props) -> Self:
        details = _details(e.get("details"))
        approved_by = details.get("approved_by") or (e["actor"] if e["action"] == "review:approved" else None)
        return cls(
            stream=str(e.get("chain") or "legacy"),
            seq=int(e["seq"]),
            position=int_of(e.get("position")),
            at=time_of(e["at"]),
            actor=str(e["actor"]),
            action=str(e["action"]),
            target_id=text_of(e.get("target_id")),
            decision=str(e["decision"]),
            reasons=list(e.get("reasons") or []),
            request_id=text_of(e.get("request_id")),
            purpose=text_of(e.get("purpose")),
            approved_by=text_of(approved_by),
            review_id=text_of(details.get("review_id")),
            subjects=[str(s) for s in details.get("subjects") or []],
            hash=str(e["hash"]),
            prev_hash=str(e["prev_hash"]),
        )


def _details(stored: Any) -> dict[str, Any]:
    """An audit event's details (stored as JSON text); anything unreadable is no details."""
    try:
        details = json.loads(stored or "{}")
    except ValueError:
        return {}
    return details if isinstance(details, dict) else {}
