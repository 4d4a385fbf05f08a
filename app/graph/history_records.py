"""Typed records of deployments and production feedback, decoded from stored properties here (see
app/graph/records.py for the provenance core)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Self

from app.graph.records import Props, int_of, text_of, time_of


@dataclass(frozen=True, kw_only=True)
class Deployment:
    kind: ClassVar[str] = "Deployment"
    id: str
    name: str
    environment: str
    environment_name: str
    endpoint: str | None
    max_concurrency: int | None
    desired_state: str | None
    observed_state: str | None
    health_status: str
    health_at: datetime | None
    rollback_target_id: str | None

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            name=str(p.get("name")),
            environment=str(p.get("environment")),
            environment_name=str(p.get("environment_name")),
            endpoint=text_of(p.get("endpoint")),
            max_concurrency=int_of(p.get("max_concurrency")),
            desired_state=text_of(p.get("desired_state")),
            observed_state=text_of(p.get("observed_state")),
            health_status=str(p.get("health_status") or "UNKNOWN"),
            health_at=time_of(p.get("health_at")),
            rollback_target_id=text_of(p.get("rollback_target_id")) or None,
        )


@dataclass(frozen=True, kw_only=True)
class Flag:
    """A production-feedback or drift observation that was flagged on a model version."""

    kind: ClassVar[str] = "Feedback"
    id: str
    feedback_kind: str
    statistic: str
    value: float
    reason: str
    observed_at: datetime | None

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            feedback_kind=str(p.get("kind")),
            statistic=str(p.get("statistic")),
            value=float(p["value"]),
            reason=str(p.get("flag_reason")),
            observed_at=time_of(p.get("observed_at")),
        )
