"""Typed records of deployments and production feedback, decoded from stored properties here (see
app/graph/run_records.py, model_records.py and dataset_records.py for the provenance core)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from app.domain.entities import time_of
from app.domain.history import SIGNALS
from app.graph.props import Props, float_of, int_of, required, strings_of, text_of


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
    model_name: str
    owners: list[str]
    created_by: str | None
    created_at: datetime | None

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
            model_name=str(p.get("model_name")),
            owners=strings_of(p.get("owners")),
            created_by=text_of(p.get("created_by")),
            created_at=time_of(p.get("created_at")),
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
            value=float(required(p, "value", cls)),
            reason=str(p.get("flag_reason")),
            observed_at=time_of(p.get("observed_at")),
        )


@dataclass(frozen=True)
class Rollup:
    """One signal over a window's samples."""

    min: float | None
    max: float | None
    sum: float | None


@dataclass(frozen=True, kw_only=True)
class HealthWindow:
    """A deployment-minute of reported health: sample count, status and each signal's roll-up."""

    kind: ClassVar[str] = "HealthWindow"
    id: str
    minute: datetime | None
    count: int
    status: str
    signals: dict[str, Rollup]

    def mean(self, signal: str) -> float | None:
        total = self.signals[signal].sum
        return total / self.count if total is not None and self.count else None

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            minute=time_of(p.get("minute")),
            count=int(p.get("count") or 0),
            status=str(p.get("status") or "UNKNOWN"),
            signals={s: Rollup(*(float_of(p.get(f"{s}.{part}")) for part in ("min", "max", "sum"))) for s in SIGNALS},
        )


@dataclass(frozen=True, kw_only=True)
class DeploymentEvent:
    """An immutable event in a deployment's life, as stored or as published to subscribers (where
    times are ISO text and details JSON text)."""

    kind: ClassVar[str] = "DeploymentEvent"
    id: str
    deployment_id: str
    seq: int
    type: str
    reason: str | None
    actor: str | None
    approved_by: str | None
    occurred_at: datetime | None
    from_state: str | None
    to_state: str | None
    details: Any

    @classmethod
    def of(cls, p: Props) -> Self:
        details, at = p.get("details"), p.get("occurred_at")
        return cls(
            id=str(p["id"]),
            deployment_id=str(required(p, "deployment_id", cls)),
            seq=int(required(p, "seq", cls)),
            type=str(required(p, "type", cls)),
            reason=text_of(p.get("reason")),
            actor=text_of(p.get("actor")),
            approved_by=text_of(p.get("approved_by")),
            occurred_at=datetime.fromisoformat(at) if isinstance(at, str) else time_of(at),
            from_state=text_of(p.get("from_state")),
            to_state=text_of(p.get("to_state")),
            details=json.loads(details) if isinstance(details, str) else details,
        )


@dataclass(frozen=True, kw_only=True)
class Annotation:
    """A note someone attached to a point in history."""

    kind: ClassVar[str] = "Annotation"
    id: str
    text: str | None
    actor: str
    created_at: datetime | None
    about_id: str
    about_kind: str

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            text=text_of(p.get("text")),
            actor=str(p.get("actor")),
            created_at=time_of(p.get("created_at")),
            about_id=str(p.get("about_id")),
            about_kind=str(p.get("about_kind")),
        )
