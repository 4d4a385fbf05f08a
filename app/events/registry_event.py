"""A committed registry event, decoded once from its outbox row: the rows the outbox is read as and the
messages the broker carries (both `outbox.plain` rows). Above this a field is an attribute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.domain.entities import time_of
from app.events import outbox
from app.events.catalog import ADMIN_ONLY


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True, kw_only=True)
class OutboxEvent:
    sequence: int
    id: str
    type: str
    subject: str | None
    model: str | None
    actor: str | None
    at: datetime | None
    audit_stream: str | None
    audit_seq: int | None
    data: dict[str, Any]
    envelope: dict[str, Any]  # the CloudEvents 1.0 envelope (structured JSON), as webhooks get it

    @classmethod
    def of(cls, row: dict[str, Any]) -> OutboxEvent:
        audit_seq = row.get("audit_seq")
        return cls(
            sequence=int(row["seq"]),
            id=str(row["id"]),
            type=str(row["type"]),
            subject=_text(row.get("subject")),
            model=_text(row.get("model")),
            actor=_text(row.get("actor")),
            at=time_of(row.get("at")),
            audit_stream=_text(row.get("stream")),
            audit_seq=None if audit_seq is None else int(audit_seq),
            data=dict(row.get("data") or {}),
            envelope=outbox.envelope_dict(row),
        )

    @property
    def admin_only(self) -> bool:
        """Events of principals, keys, grants and webhooks are for admins only."""
        return self.type.startswith(ADMIN_ONLY)
