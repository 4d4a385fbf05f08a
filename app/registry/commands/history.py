"""Commands of performance history and deployment status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.registry.commands.base import Command, Json, Record


@dataclass(frozen=True, kw_only=True)
class RecordEvaluation(Command):
    command_name = "record_evaluation"
    model: str
    version: int
    metrics: Json = None
    dataset_version_id: str | None = None
    slice: str | None = None
    method: str | None = None
    code_version: str | None = None
    evaluator: str | None = None
    evaluated_at: datetime | None = None
    confidence: Json = None
    reports: tuple[str, ...] | None = None
    notes: str | None = None
    supersedes: str | None = None


@dataclass(frozen=True, kw_only=True)
class Annotate(Command):
    command_name = "annotate"
    target_id: str | None = None
    text: str | None = None


@dataclass(frozen=True, kw_only=True)
class RecordFeedback(Command):
    command_name = "record_feedback"
    model: str
    version: int
    statistic: str
    value: float
    kind: str | None = None
    threshold: float | None = None
    baseline: float | None = None
    margin: float | None = None
    deployment_id: str | None = None
    slice: str | None = None
    observed_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Environment(Record):
    tier: str | None = None
    region: str | None = None
    cluster: str | None = None


@dataclass(frozen=True, kw_only=True)
class Traffic(Record):
    version: int | None = None
    traffic_percent: float | None = None


@dataclass(frozen=True, kw_only=True)
class CreateDeployment(Command):
    command_name = "create_deployment"
    name: str
    model: str
    environment: Environment | None = None
    serving: tuple[Traffic, ...] | None = None
    endpoint: str | None = None
    max_concurrency: int | None = None
    rollback_version: int | None = None
    owners: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class RecordDeploymentEvent(Command):
    command_name = "record_deployment_event"
    deployment_id: str | None = None
    type: str | None = None
    reason: str | None = None
    version: int | None = None
    traffic_percent: float | None = None
    split: tuple[Traffic, ...] | None = None
    occurred_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ReportHealth(Command):
    command_name = "report_health"
    # Samples are objects of deployment_id, at and the metrics app/domain/history.py knows; the
    # handler checks each (REST agents send them as plain JSON).
    samples: tuple[Json, ...] | None = None
