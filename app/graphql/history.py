"""GraphQL for performance history and deployment status: HistoryQuery, HistoryMutation and
HistorySubscription (merged into the schema by app/graphql/schema.py)."""

from __future__ import annotations

import enum
from collections.abc import AsyncGenerator
from datetime import UTC, datetime, timedelta
from typing import Any

import strawberry
from strawberry.scalars import JSON

from app.domain import validation as v
from app.domain.history import HistoryBucket as Bucket
from app.domain.history import HistoryPoint as Point
from app.domain.history import Resolution
from app.domain.history import ServingSpan as Span
from app.errors import NotFound, ValidationFailed
from app.events.broker import DEPLOYMENT_EVENTS, HEALTH_CHANGES, broker
from app.graph import history_records as hrec
from app.graph import model_records as model_rec
from app.graph.history_reads import HistoryReader
from app.graphql.annotations import Annotation, annotations_of
from app.graphql.connection import Connection, asks_for_total, connection, decode, page_size
from app.graphql.context import Info
from app.graphql.deployment_feed import events_after
from app.graphql.enums import DesiredState, HealthStatus, ObservedState
from app.graphql.payloads import payload_union, run_command
from app.graphql.types.core import ValidationFinding, findings_of
from app.registry import history as h
from app.registry.commands import history as history_cmd
from app.registry.commands.base import Command
from app.registry.lookups import reader as core_reader
from app.registry.plan import Outcome


def _reader(info: Info) -> HistoryReader:
    return h.history(info.context.services)


@strawberry.type(description="A metric of one version in a comparison (null when it has none).")
class ComparedMetric:
    name: str = strawberry.field(description="Metric name, e.g. f1.")
    value: float | None = strawberry.field(description="Value; null when the version has no such metric.")


@strawberry.type(description="One evaluation's value of the requested metric, for plotting.")
class HistoryPoint:
    evaluation_id: strawberry.ID = strawberry.field(description="The evaluation behind the point.")
    version: int = strawberry.field(description="Model version number.")
    at: datetime = strawberry.field(description="When the evaluation was made (UTC).")
    value: float = strawberry.field(description="Metric value.")
    dataset_version_id: strawberry.ID | None = strawberry.field(description="The dataset snapshot evaluated on.")
    slice: str | None = strawberry.field(description="Slice/segment, e.g. region=EU.")

    @strawberry.field(description="Notes people attached to the evaluation behind this point, oldest first.")
    async def annotations(self, info: Info) -> list[Annotation]:
        return await annotations_of(info, str(self.evaluation_id))

    @classmethod
    def of(cls, p: Point) -> HistoryPoint:
        return cls(
            evaluation_id=strawberry.ID(p.evaluation_id),
            version=p.version,
            at=p.at,
            value=p.value,
            dataset_version_id=strawberry.ID(p.dataset_version_id) if p.dataset_version_id else None,
            slice=p.slice,
        )


HistoryResolution = strawberry.enum(Resolution, name="HistoryResolution", description="Bucket width.")


@strawberry.type(description="One version's evaluations of a metric within one time bucket.")
class HistoryBucket:
    version: int = strawberry.field(description="Model version number.")
    start: datetime = strawberry.field(description="Start of the bucket (UTC).")
    count: int = strawberry.field(description="Evaluations in the bucket.")
    mean: float = strawberry.field(description="Mean value.")
    min: float = strawberry.field(description="Lowest value.")
    max: float = strawberry.field(description="Highest value.")

    @classmethod
    def of(cls, b: Bucket) -> HistoryBucket:
        return cls(version=b.version, start=b.start, count=b.count, mean=b.mean, min=b.low, max=b.high)


@strawberry.type(description="One version's row of a side-by-side comparison (latest current evaluation).")
class ComparisonRow:
    version: int = strawberry.field(description="Model version number.")
    evaluation_id: strawberry.ID | None = strawberry.field(description="The evaluation used; null when none matched.")
    evaluated_at: datetime | None = strawberry.field(description="When that evaluation was made.")
    metrics: list[ComparedMetric] = strawberry.field(description="The requested metrics, in request order.")


@strawberry.type(description="A deployment serving a model version with a share of traffic over [since, until).")
class ServingSpan:
    deployment_id: strawberry.ID = strawberry.field(description="The deployment.")
    deployment: str | None = strawberry.field(description="Deployment name.")
    environment: str | None = strawberry.field(description="Environment name (tier/region/cluster).")
    model: str = strawberry.field(description="Model name.")
    version: int = strawberry.field(description="Version number.")
    traffic_percent: float = strawberry.field(description="Share of traffic, 0-100.")
    since: datetime = strawberry.field(description="Start of serving.")
    until: datetime | None = strawberry.field(description="End of serving; null while still serving.")

    @classmethod
    def of(cls, s: Span) -> ServingSpan:
        return cls(
            deployment_id=strawberry.ID(s.deployment_id),
            deployment=s.deployment,
            environment=s.environment,
            model=s.model,
            version=s.version,
            traffic_percent=s.traffic_percent,
            since=s.since,
            until=s.until,
        )


@strawberry.type(description="An immutable event in a deployment's life.")
class DeploymentEvent:
    id: strawberry.ID = strawberry.field(description="Event id.")
    deployment_id: strawberry.ID = strawberry.field(description="The deployment.")
    seq: int = strawberry.field(description="Position in the deployment's timeline (1-based).")
    type: DeploymentEventType = strawberry.field(description="What happened.")
    reason: str | None = strawberry.field(description="Why (required for rollbacks and incidents).")
    actor: str | None = strawberry.field(description="Who recorded it (for a reviewed change: who asked for it).")
    approved_by: str | None = strawberry.field(
        description="Who approved the review that let this event through, when it needed one."
    )
    occurred_at: datetime | None = strawberry.field(description="When it happened.")
    from_state: ObservedState | None = strawberry.field(description="Observed state before.")
    to_state: ObservedState | None = strawberry.field(description="Observed state after.")
    details: JSON | None = strawberry.field(description="Event details, e.g. the new traffic split.")

    @classmethod
    def of(cls, e: hrec.DeploymentEvent) -> DeploymentEvent:
        return cls(
            id=strawberry.ID(e.id),
            deployment_id=strawberry.ID(e.deployment_id),
            seq=e.seq,
            type=DeploymentEventType(e.type),
            reason=e.reason,
            actor=e.actor,
            approved_by=e.approved_by,
            occurred_at=e.occurred_at,
            from_state=_observed(e.from_state),
            to_state=_observed(e.to_state),
            details=e.details,
        )


def _observed(value: Any) -> ObservedState | None:
    return None if value is None else ObservedState(value)


def _time(value: Any) -> datetime | None:
    """A time of a broker message (ISO text)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value if isinstance(value, datetime) else None


@strawberry.type(description="Health of a deployment over one minute (roll-up of reported samples).")
class HealthWindow:
    id: strawberry.ID = strawberry.field(description="Window id.")
    minute: datetime = strawberry.field(description="Start of the minute (UTC).")
    count: int = strawberry.field(description="Samples rolled into this window.")
    status: HealthStatus = strawberry.field(description="Health of the minute.")
    latency_p95_ms_max: float | None = strawberry.field(description="Worst p95 latency reported in the minute.")
    latency_p99_ms_max: float | None = strawberry.field(description="Worst p99 latency reported in the minute.")
    error_rate_mean: float | None = strawberry.field(description="Mean reported error rate.")
    request_rate_mean: float | None = strawberry.field(description="Mean reported request rate.")

    @classmethod
    def of(cls, w: hrec.HealthWindow) -> HealthWindow:
        return cls(
            id=strawberry.ID(w.id),
            minute=w.minute or datetime.now(UTC),
            count=w.count,
            status=HealthStatus(w.status),
            latency_p95_ms_max=w.signals["latency_p95_ms"].max,
            latency_p99_ms_max=w.signals["latency_p99_ms"].max,
            error_rate_mean=w.mean("error_rate"),
            request_rate_mean=w.mean("request_rate"),
        )


@strawberry.type(description="A deployment: where a model is served, what it serves, and how healthy it is.")
class Deployment:
    record: strawberry.Private[hrec.Deployment]

    @strawberry.field(description="Deployment id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field(description="Deployment name.")
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description="Environment tier: dev, staging or production.")
    def environment(self) -> str:
        return self.record.environment

    @strawberry.field(description="Environment name (tier/region/cluster).")
    def environment_name(self) -> str:
        return self.record.environment_name

    @strawberry.field(description="Serving endpoint.")
    def endpoint(self) -> str | None:
        return self.record.endpoint

    @strawberry.field(description="Concurrency limit.")
    def max_concurrency(self) -> int | None:
        return self.record.max_concurrency

    @strawberry.field(description="What the owner wants: DEPLOYED or RETIRED.")
    def desired_state(self) -> DesiredState:
        return DesiredState(self.record.desired_state)

    @strawberry.field(description="Last observed state.")
    def observed_state(self) -> ObservedState:
        return ObservedState(self.record.observed_state)

    @strawberry.field(description="Latest derived health status.")
    def health_status(self) -> HealthStatus:
        return HealthStatus(self.record.health_status)

    @strawberry.field(description="Minute of the latest health window.")
    def health_at(self) -> datetime | None:
        return self.record.health_at

    @strawberry.field(description="Version id a rollback returns to.")
    def rollback_target_id(self) -> strawberry.ID | None:
        found = self.record.rollback_target_id
        return strawberry.ID(found) if found else None

    @strawberry.field(description="What it serves at `at` (default now), with traffic split.")
    async def serving(self, info: Info, at: datetime | None = None) -> list[ServingSpan]:
        spans = await _reader(info).serving_at(self.record, v.aware("at", at) or datetime.now(UTC))
        return [ServingSpan.of(s) for s in spans]

    @strawberry.field(description="Health windows in [from, to) (default: the last hour).")
    async def health(
        self, info: Info, since: datetime | None = None, until: datetime | None = None
    ) -> list[HealthWindow]:
        end = v.aware("until", until) or datetime.now(UTC) + timedelta(minutes=1)
        start = v.aware("since", since) or end - timedelta(hours=1)
        found = await _reader(info).health_windows(self.record.id, start, end)
        return [HealthWindow.of(w) for w in found]


@strawberry.type(description="A production-feedback or drift flag on a model version.")
class VersionFlag:
    id: strawberry.ID = strawberry.field(description="Feedback record id.")
    kind: str = strawberry.field(description="metric or drift.")
    statistic: str = strawberry.field(description="Named statistic, e.g. psi or f1.")
    value: float = strawberry.field(description="Observed value.")
    reason: str = strawberry.field(description="Why it was flagged.")
    observed_at: datetime | None = strawberry.field(description="When it was observed.")


@strawberry.type(description="A model version's live status: where it serves, how healthy, and its flags.")
class VersionStatus:
    deployments: list[Deployment] = strawberry.field(description="Deployments currently serving the version.")
    flags: list[VersionFlag] = strawberry.field(description="Most recent flags (newest first).")
    findings: list[ValidationFinding] = strawberry.field(description="Open findings of the continuous validator.")


@strawberry.type(description="A deployment's health status changed.")
class HealthChange:
    deployment_id: strawberry.ID = strawberry.field(description="The deployment.")
    before: HealthStatus = strawberry.field(description="Previous status.")
    after: HealthStatus = strawberry.field(description="New status.")
    minute: datetime | None = strawberry.field(description="The window that caused the change.")


# ---- inputs -----------------------------------------------------------------------------------
@strawberry.input(description="Performance history of one metric across versions.")
class PerformanceHistoryInput:
    model: str = strawberry.field(description="Model name.")
    metric: str = strawberry.field(description="Metric name.")
    since: datetime = strawberry.field(name="from", description="Start (inclusive).")
    until: datetime = strawberry.field(name="to", description="End (exclusive).")
    version: int | None = strawberry.field(default=None, description="Only this version.")
    dataset_version_id: strawberry.ID | None = strawberry.field(default=None, description="Only this dataset snapshot.")
    slice: str | None = strawberry.field(default=None, description="Only this slice.")


@strawberry.input(description="A metric's history bucketed by time: constant size however many evaluations.")
class PerformanceSeriesInput(PerformanceHistoryInput):
    resolution: HistoryResolution = strawberry.field(default=Resolution.DAY, description="Bucket width.")


@strawberry.input(description="Side-by-side comparison of versions.")
class CompareVersionsInput:
    model: str = strawberry.field(description="Model name.")
    versions: list[int] = strawberry.field(description="Version numbers (at most 20).")
    metrics: list[str] = strawberry.field(description="Metric names (at most 50).")
    dataset_version_id: strawberry.ID | None = strawberry.field(default=None, description="Only this dataset snapshot.")
    slice: str | None = strawberry.field(default=None, description="Only this slice (default: unsliced).")


@strawberry.input(description="What was in production at a point in time.")
class InProductionAtInput:
    at: datetime = strawberry.field(description="Point in time (UTC).")
    model: str | None = strawberry.field(default=None, description="Only this model.")


@strawberry.input(description="Record an immutable evaluation.")
class RecordEvaluationInput:
    model: str = strawberry.field(description="Model name.")
    version: int = strawberry.field(description="Version number.")
    metrics: JSON = strawberry.field(description="Metric name -> finite number.")
    dataset_version_id: strawberry.ID | None = strawberry.field(
        default=None, description="Dataset snapshot evaluated on."
    )
    slice: str | None = strawberry.field(default=None, description="Slice, e.g. region=EU.")
    method: str | None = strawberry.field(default=None, description="Scoring method / metric definitions.")
    code_version: str | None = strawberry.field(default=None, description="Evaluation code version.")
    evaluator: str | None = strawberry.field(default=None, description="Evaluator (default: caller).")
    evaluated_at: datetime | None = strawberry.field(default=None, description="When (default: now).")
    confidence: JSON | None = strawberry.field(default=None, description="Metric -> [low, high].")
    reports: list[str] | None = strawberry.field(default=None, description="Report artifact ids.")
    notes: str | None = strawberry.field(default=None, description="Free text.")
    supersedes: strawberry.ID | None = strawberry.field(default=None, description="Evaluation this one corrects.")
    idempotency_key: str | None = strawberry.field(default=None, description="Makes a retry a no-op.")


@strawberry.input(description="Annotate a point in history (evaluation, version, deployment, event, window).")
class AnnotateInput:
    target_id: strawberry.ID = strawberry.field(description="Id of the thing annotated.")
    text: str = strawberry.field(description="The note.")
    idempotency_key: str | None = strawberry.field(default=None, description="Makes a retry a no-op.")


@strawberry.enum(description="Feedback kind.")
class FeedbackKind(enum.Enum):
    METRIC = "metric"
    DRIFT = "drift"


@strawberry.input(description="A production metric or drift statistic for a deployed version.")
class RecordFeedbackInput:
    model: str = strawberry.field(description="Model name.")
    version: int = strawberry.field(description="Version number.")
    statistic: str = strawberry.field(description="Statistic name (psi, ks, f1, ...).")
    value: float = strawberry.field(description="Observed value.")
    kind: FeedbackKind = strawberry.field(default=FeedbackKind.METRIC, description="metric or drift.")
    threshold: float | None = strawberry.field(default=None, description="Drift threshold (required for drift).")
    baseline: float | None = strawberry.field(default=None, description="Baseline (default: latest evaluation).")
    margin: float | None = strawberry.field(default=None, description="Allowed distance below the baseline.")
    deployment_id: strawberry.ID | None = strawberry.field(default=None, description="Where it was observed.")
    slice: str | None = strawberry.field(default=None, description="Slice.")
    observed_at: datetime | None = strawberry.field(default=None, description="When (default: now).")
    idempotency_key: str | None = strawberry.field(default=None, description="Makes a retry a no-op.")


@strawberry.input(description="Where a deployment runs.")
class EnvironmentInput:
    tier: str = strawberry.field(description="dev, staging or production.")
    region: str | None = strawberry.field(default=None, description="Region.")
    cluster: str | None = strawberry.field(default=None, description="Cluster.")


@strawberry.input(description="A version and its share of traffic.")
class TrafficInput:
    version: int = strawberry.field(description="Version number.")
    traffic_percent: float = strawberry.field(default=100, description="Share of traffic (all add up to 100).")


@strawberry.input(description="Create a deployment (serving in production counts as a promotion).")
class CreateDeploymentInput:
    name: str = strawberry.field(description="Name, unique per environment.")
    model: str = strawberry.field(description="Model name.")
    environment: EnvironmentInput = strawberry.field(description="Where it runs.")
    serving: list[TrafficInput] = strawberry.field(description="Versions served and their traffic split.")
    endpoint: str | None = strawberry.field(default=None, description="Serving endpoint.")
    max_concurrency: int | None = strawberry.field(default=None, description="Concurrency limit.")
    rollback_version: int | None = strawberry.field(default=None, description="Version a rollback returns to.")
    owners: list[str] | None = strawberry.field(default=None, description="Owners (include the health agent).")
    idempotency_key: str | None = strawberry.field(default=None, description="Makes a retry a no-op.")


@strawberry.enum(description="Deployment event types (CREATED is recorded by createDeployment only).")
class DeploymentEventType(enum.Enum):
    CREATED = "created"
    PROMOTED = "promoted"
    CANARY_STARTED = "canary_started"
    TRAFFIC_SHIFTED = "traffic_shifted"
    ROLLED_BACK = "rolled_back"
    INCIDENT_OPENED = "incident_opened"
    INCIDENT_RESOLVED = "incident_resolved"
    RETIRED = "retired"


@strawberry.input(description="Record a deployment event; traffic changes apply in the same transaction.")
class RecordDeploymentEventInput:
    deployment_id: strawberry.ID = strawberry.field(description="The deployment.")
    type: DeploymentEventType = strawberry.field(description="Event type.")
    reason: str | None = strawberry.field(default=None, description="Required for rollbacks and incidents.")
    version: int | None = strawberry.field(default=None, description="promoted / canary_started: the version.")
    traffic_percent: float | None = strawberry.field(default=None, description="canary_started: canary share.")
    split: list[TrafficInput] | None = strawberry.field(default=None, description="traffic_shifted: new split.")
    occurred_at: datetime | None = strawberry.field(default=None, description="When (default: now).")
    idempotency_key: str | None = strawberry.field(default=None, description="Makes a retry a no-op.")


@strawberry.input(description="One health sample from a serving system.")
class HealthSampleInput:
    deployment_id: strawberry.ID = strawberry.field(description="The deployment.")
    at: datetime = strawberry.field(description="Sample time (at most 5 minutes in the future).")
    latency_p50_ms: float | None = strawberry.field(default=None, description="p50 latency, ms.")
    latency_p95_ms: float | None = strawberry.field(default=None, description="p95 latency, ms.")
    latency_p99_ms: float | None = strawberry.field(default=None, description="p99 latency, ms.")
    error_rate: float | None = strawberry.field(default=None, description="Errors / requests, 0-1.")
    request_rate: float | None = strawberry.field(default=None, description="Requests per second.")
    cpu: float | None = strawberry.field(default=None, description="CPU utilisation.")
    memory_mb: float | None = strawberry.field(default=None, description="Memory, MB.")


@strawberry.input(description="A batch of health samples (at most 5000).")
class ReportHealthInput:
    samples: list[HealthSampleInput] = strawberry.field(description="Samples.")
    idempotency_key: str | None = strawberry.field(default=None, description="Makes a retry a no-op.")


@strawberry.type(description="A history or deployment write was applied.")
class HistoryWriteSuccess:
    id: strawberry.ID = strawberry.field(description="Id of what was written.")
    kind: str = strawberry.field(description="Evaluation, Annotation, Feedback, Deployment, DeploymentEvent, ...")
    replayed: bool = strawberry.field(description="True when an earlier request with this key was returned.")
    result: JSON = strawberry.field(description="Write details (flags, health changes, the event).")


def _union(name: str) -> Any:
    return payload_union(name, HistoryWriteSuccess)


async def _write(info: Info, command: type[Command], inp: Any) -> Any:
    async def success(outcome: Outcome) -> HistoryWriteSuccess:
        result = outcome.result or {}
        return HistoryWriteSuccess(
            id=strawberry.ID(str(result.get("id"))),
            kind=str(result.get("kind")),
            replayed=outcome.replayed,
            result=JSON(result),
        )

    return await run_command(info, command, inp, success)


@strawberry.type
class HistoryMutation:
    @strawberry.mutation(description="Record an evaluation (optionally superseding an earlier one).")
    async def record_evaluation(self, info: Info, input: RecordEvaluationInput) -> _union("RecordEvaluationPayload"):
        return await _write(info, history_cmd.RecordEvaluation, input)

    @strawberry.mutation(description="Annotate any point in history.")
    async def annotate(self, info: Info, input: AnnotateInput) -> _union("AnnotatePayload"):
        return await _write(info, history_cmd.Annotate, input)

    @strawberry.mutation(description="Record production feedback or a drift statistic; flags when crossed.")
    async def record_feedback(self, info: Info, input: RecordFeedbackInput) -> _union("RecordFeedbackPayload"):
        return await _write(info, history_cmd.RecordFeedback, input)

    @strawberry.mutation(description="Create a deployment.")
    async def create_deployment(self, info: Info, input: CreateDeploymentInput) -> _union("CreateDeploymentPayload"):
        return await _write(info, history_cmd.CreateDeployment, input)

    @strawberry.mutation(description="Record a deployment event (promote, canary, shift, rollback, incident, retire).")
    async def record_deployment_event(self, info: Info, input: RecordDeploymentEventInput) -> _union(
        "RecordDeploymentEventPayload"
    ):
        return await _write(info, history_cmd.RecordDeploymentEvent, input)

    @strawberry.mutation(description="Report a batch of health samples (rolled up per minute).")
    async def report_health(self, info: Info, input: ReportHealthInput) -> _union("ReportHealthPayload"):
        return await _write(info, history_cmd.ReportHealth, input)


async def _model_id(info: Info, name: str) -> str:
    model = await core_reader(info.context.services).model_by_name(name)
    if model is None:
        raise NotFound(f"model: no model named {name!r}", field="model")
    return model.id


@strawberry.type
class HistoryQuery:
    @strawberry.field(description="Time series of one metric across versions (superseded evaluations hidden).")
    async def performance_history(self, info: Info, input: PerformanceHistoryInput) -> list[HistoryPoint]:
        points = await _reader(info).performance_history(
            await _model_id(info, input.model),
            input.metric,
            v.aware("from", input.since),
            v.aware("to", input.until),
            version=input.version,
            dataset_version_id=input.dataset_version_id,
            slice_=input.slice,
        )
        return [HistoryPoint.of(p) for p in points]

    @strawberry.field(
        description="A metric's history per version in time buckets (mean, min, max, count); for long ranges."
    )
    async def performance_series(self, info: Info, input: PerformanceSeriesInput) -> list[HistoryBucket]:
        buckets = await _reader(info).performance_series(
            await _model_id(info, input.model),
            input.metric,
            input.since,
            input.until,
            input.resolution,
            version=input.version,
            dataset_version_id=input.dataset_version_id,
            slice_=input.slice,
        )
        return [HistoryBucket.of(b) for b in buckets]

    @strawberry.field(description="Side-by-side metrics of versions (latest current evaluation of each).")
    async def compare_versions(self, info: Info, input: CompareVersionsInput) -> list[ComparisonRow]:
        if len(input.versions) > 20 or len(input.metrics) > 50:
            raise ValidationFailed("versions/metrics: at most 20 versions and 50 metrics", field="versions")
        table = await _reader(info).compare_versions(
            await _model_id(info, input.model), input.versions, input.dataset_version_id, input.slice
        )
        return [_row(n, table.get(n), input.metrics) for n in input.versions]

    @strawberry.field(description="A deployment by id.")
    async def deployment(self, info: Info, id: strawberry.ID) -> Deployment | None:
        found = await _reader(info).deployment(str(id))
        return Deployment(record=found) if found else None

    @strawberry.field(description="A deployment's events in order (at most 1000 after `afterSeq`).")
    async def deployment_timeline(self, info: Info, id: strawberry.ID, after_seq: int = 0) -> list[DeploymentEvent]:
        return [DeploymentEvent.of(e) for e in await _reader(info).timeline(str(id), after_seq)]

    @strawberry.field(
        description="What production deployments served at a point in time (at most 1000 spans; "
        "`inProductionAtPage` pages through any number)."
    )
    async def in_production_at(self, info: Info, input: InProductionAtInput) -> list[ServingSpan]:
        at = v.aware("at", input.at)
        return [ServingSpan.of(s) for _, s in await _reader(info).in_production_at(at, input.model)]

    @strawberry.field(description="A version's live status: serving deployments with health, and its flags.")
    async def version_status(self, info: Info, model: str, version: int) -> VersionStatus | None:
        found = await core_reader(info.context.services).version(await _model_id(info, model), version)
        return await version_status_of(info, found.id) if found else None


async def version_status_of(info: Info, version_id: str) -> VersionStatus:
    """Deployments serving the version (with their latest health) and its flags."""
    reader = _reader(info)
    deployments = [Deployment(record=d) for d, _ in await reader.version_deployments(version_id)]
    flags = [_flag(f) for f in await reader.flags(version_id)]
    return VersionStatus(deployments=deployments, flags=flags, findings=await findings_of(info, version_id, False))


def _row(version: int, e: model_rec.Evaluation | None, metrics: list[str]) -> ComparisonRow:
    values = e.metrics if e else {}
    return ComparisonRow(
        version=version,
        evaluation_id=strawberry.ID(e.id) if e else None,
        evaluated_at=e.evaluated_at if e else None,
        metrics=[ComparedMetric(name=m, value=values.get(m)) for m in metrics],
    )


def _flag(f: hrec.Flag) -> VersionFlag:
    return VersionFlag(
        id=strawberry.ID(f.id),
        kind=f.feedback_kind,
        statistic=f.statistic,
        value=f.value,
        reason=f.reason,
        observed_at=f.observed_at,
    )


@strawberry.type
class HistorySubscription:
    @strawberry.subscription(
        description="Events of one deployment as they are recorded (through any replica). With `afterSeq`: "
        "first the events recorded after that seq, then live ones, each once and in order."
    )
    async def deployment_events(
        self, info: Info, deployment_id: strawberry.ID, after_seq: int | None = None
    ) -> AsyncGenerator[DeploymentEvent, None]:
        if after_seq is None:
            async for message in broker.subscribe(DEPLOYMENT_EVENTS, str(deployment_id)):
                yield DeploymentEvent.of(hrec.DeploymentEvent.of(message))
            return
        after = v.non_negative_int("afterSeq", after_seq) or 0
        async for event in events_after(_reader(info), str(deployment_id), after):
            yield DeploymentEvent.of(event)

    @strawberry.subscription(description="Health status changes of one deployment (through any replica).")
    async def health_changes(self, info: Info, deployment_id: strawberry.ID) -> AsyncGenerator[HealthChange, None]:
        async for m in broker.subscribe(HEALTH_CHANGES, str(deployment_id)):
            yield HealthChange(
                deployment_id=strawberry.ID(m["deployment_id"]),
                before=HealthStatus(m["before"]),
                after=HealthStatus(m["after"]),
                minute=_time(m.get("minute")),
            )


@strawberry.type(description="A page of a model's deployments, by name.")
class DeploymentConnection(Connection[Deployment]):
    pass


async def deployments_page(info: Info, model_id: str, first: int, after: str | None) -> DeploymentConnection:
    limit = page_size(first)
    found = await _reader(info).deployments_of(model_id, decode(after), limit + 1)
    total = await _reader(info).count_deployments_of(model_id) if asks_for_total(info) else None
    page = connection([(d.name, Deployment(record=d)) for d in found], limit)
    return DeploymentConnection(edges=page.edges, page_info=page.page_info, total_count=total)
