from datetime import datetime
from typing import Any, Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import (
    DeploymentEventType,
    FeedbackKind,
    FilterField,
    FilterOp,
    HistoryResolution,
    LineageDirection,
    LineageNodeKind,
    ReviewStatus,
    RunEnd,
    SortBy,
    TextMode,
)


class AddRunInputsInput(BaseModel):
    """Declare more inputs of a run that is still running."""

    run_id: str = Field(alias="runId")
    "Run id."
    inputs: list[str]
    "Dataset version / feature ids."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class AnnotateInput(BaseModel):
    """Annotate a point in history (evaluation, version, deployment, event, window)."""

    target_id: str = Field(alias="targetId")
    "Id of the thing annotated."
    text: str
    "The note."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Makes a retry a no-op."


class ArchiveVersionInput(BaseModel):
    """Archive (retire) a version."""

    model: str
    "Model name."
    version: int
    "Version number."
    reason: str
    "Why it is retired."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class ArtifactInput(BaseModel):
    """Artifact reference of a version."""

    uri: str
    "Reference (recorded; never used as our storage key)."
    digest: str
    "sha256:<hex>."
    size: Optional[int] = None
    "Bytes."
    format: Optional[str] = None
    "Format."


class AuditTrailInput(BaseModel):
    """Filter the audit trail."""

    target: Optional[str] = None
    "Target node id."
    actor: Optional[str] = None
    "Actor name."
    action: Optional[str] = None
    "Action prefix, e.g. promote."
    from_: Optional[datetime] = Field(alias="from", default=None)
    "From (inclusive)."
    to: Optional[datetime] = None
    "To (exclusive)."
    after: Optional[str] = None
    "Cursor from a previous page: older events."
    first: int = 50
    "Page size (at most 100)."


class CompareVersionsInput(BaseModel):
    """Side-by-side comparison of versions."""

    model: str
    "Model name."
    versions: list[int]
    "Version numbers (at most 20)."
    metrics: list[str]
    "Metric names (at most 50)."
    dataset_version_id: Optional[str] = Field(alias="datasetVersionId", default=None)
    "Only this dataset snapshot."
    slice_: Optional[str] = Field(alias="slice", default=None)
    "Only this slice (default: unsliced)."


class CreateDeploymentInput(BaseModel):
    """Create a deployment (serving in production counts as a promotion)."""

    name: str
    "Name, unique per environment."
    model: str
    "Model name."
    environment: "EnvironmentInput"
    "Where it runs."
    serving: list["TrafficInput"]
    "Versions served and their traffic split."
    endpoint: Optional[str] = None
    "Serving endpoint."
    max_concurrency: Optional[int] = Field(alias="maxConcurrency", default=None)
    "Concurrency limit."
    rollback_version: Optional[int] = Field(alias="rollbackVersion", default=None)
    "Version a rollback returns to."
    owners: Optional[list[str]] = None
    "Owners (include the health agent)."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Makes a retry a no-op."


class CreateExperimentInput(BaseModel):
    """Create an experiment in a project."""

    project: str
    "Project name."
    name: str
    "Experiment name, unique in the project."
    description: Optional[str] = None
    "Narrative."
    custom: Optional[Any] = None
    "Typed custom properties."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class CreateGrantInput(BaseModel):
    """Grant an action on a resource (or *) until a time."""

    principal: str
    "Principal name."
    action: str
    "publish, modify, retire, promote, read_artifact, ..."
    resource_id: Optional[str] = Field(alias="resourceId", default=None)
    "Resource id or * (default)."
    expires_at: Optional[datetime] = Field(alias="expiresAt", default=None)
    "Stops working at this instant."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key."


class CreateModelInput(BaseModel):
    """Register a model."""

    name: str
    "Unique name."
    description: Optional[str] = None
    "Free text."
    owners: Optional[list[str]] = None
    "Owners (default: you)."
    owner_teams: Optional[list[str]] = Field(alias="ownerTeams", default=None)
    "Owning teams."
    domain: Optional[str] = None
    "Business domain."
    task: Optional[str] = None
    "ML task."
    tags: Optional[list[str]] = None
    "Tags."
    licence: Optional[str] = None
    "Licence."
    regulatory: Optional[list[str]] = None
    "Regulatory constraints (controlled)."
    intended_use: Optional[str] = Field(alias="intendedUse", default=None)
    "Intended use."
    commercial_use: Optional[bool] = Field(alias="commercialUse", default=None)
    "Used commercially."
    project: Optional[str] = None
    "Project name."
    custom: Optional[Any] = None
    "Typed custom properties."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class CreatePrincipalInput(BaseModel):
    """Create a principal."""

    name: str
    "Unique name."
    kind: str = "user"
    "user or service."
    roles: list[str]
    "viewer, contributor, publisher, approver, admin."
    teams: Optional[list[str]] = None
    "Teams."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key."


class CreateProjectInput(BaseModel):
    """Create a project."""

    name: str
    "Unique name (letters, digits, . _ -)."
    description: Optional[str] = None
    "Free text."
    owners: Optional[list[str]] = None
    "Owners (default: you)."
    custom: Optional[Any] = None
    "Typed custom properties {name: value}."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class CreateWebhookSubscriptionInput(BaseModel):
    """Subscribe a URL to registry events."""

    url: str
    "http(s) URL; private and metadata addresses only when allow-listed."
    event_types: Optional[list[str]] = Field(alias="eventTypes", default=None)
    "Event types to send (none: all)."
    model: Optional[str] = None
    "Only this model's events (its owners may subscribe); none: all (admins only)."
    description: Optional[str] = None
    "What it is for."
    secret: Optional[str] = None
    "Signing secret whsec_<base64> (24-64 bytes); none: one is generated."


class DecideReviewInput(BaseModel):
    """Approve or reject a pending review."""

    id: str
    "The pending review."
    comment: Optional[str] = None
    "Why (kept with the review and the audit event)."


class DeleteWebhookSubscriptionInput(BaseModel):
    """Delete a webhook subscription (its pending deliveries are cancelled)."""

    id: str
    "Subscription id."


class DerivedFromInput(BaseModel):
    """A dataset version this one was derived from."""

    dataset_version_id: str = Field(alias="datasetVersionId")
    "Source dataset version id."
    step: Optional[str] = None
    "Transformation step."


class EnvironmentInput(BaseModel):
    """Where a deployment runs."""

    tier: str
    "dev, staging or production."
    region: Optional[str] = None
    "Region."
    cluster: Optional[str] = None
    "Cluster."


class FeatureImportanceInput(BaseModel):
    """Feature importance entry."""

    feature: str
    "Feature name."
    score: float
    "Score."


class FilterGroupInput(BaseModel):
    """Conditions that must all hold."""

    all_of: list["FilterInput"] = Field(alias="allOf")
    "All of these conditions."


class FilterInput(BaseModel):
    """One condition: a field, an operator and the value its kind needs."""

    field: FilterField
    "The field to test."
    op: FilterOp
    "The operator."
    value: Optional[str] = None
    "String value (EQ, NEQ, PREFIX)."
    values: Optional[list[str]] = None
    "Values for IN."
    number: Optional[float] = None
    "Number for numeric fields."
    flag: Optional[bool] = None
    "Boolean for boolean fields."
    at: Optional[datetime] = None
    "Time for CREATED_AT / UPDATED_AT."
    key: Optional[str] = None
    "Property or feature name."


class FinishRunInput(BaseModel):
    """Finish a run with its final metrics; its inputs and metrics then never change."""

    run_id: str = Field(alias="runId")
    "Run id."
    status: RunEnd = RunEnd.FINISHED
    "How the run ended."
    metrics: Optional[Any] = None
    "Final metrics {name: finite number}."
    ended_at: Optional[datetime] = Field(alias="endedAt", default=None)
    "End time (default now)."
    notes: Optional[str] = None
    "Notes."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class HealthSampleInput(BaseModel):
    """One health sample from a serving system."""

    deployment_id: str = Field(alias="deploymentId")
    "The deployment."
    at: datetime
    "Sample time (at most 5 minutes in the future)."
    latency_p_50_ms: Optional[float] = Field(alias="latencyP50Ms", default=None)
    "p50 latency, ms."
    latency_p_95_ms: Optional[float] = Field(alias="latencyP95Ms", default=None)
    "p95 latency, ms."
    latency_p_99_ms: Optional[float] = Field(alias="latencyP99Ms", default=None)
    "p99 latency, ms."
    error_rate: Optional[float] = Field(alias="errorRate", default=None)
    "Errors / requests, 0-1."
    request_rate: Optional[float] = Field(alias="requestRate", default=None)
    "Requests per second."
    cpu: Optional[float] = None
    "CPU utilisation."
    memory_mb: Optional[float] = Field(alias="memoryMb", default=None)
    "Memory, MB."


class ImpactedVersionsInput(BaseModel):
    """Model versions affected by a dataset version, a page at a time."""

    dataset_version: str = Field(alias="datasetVersion")
    "The dataset version (dsv_...)."
    first: int = 100
    "Page size (1 to 100)."
    after: Optional[str] = None
    "endCursor of the previous page."


class InProductionAtInput(BaseModel):
    """What was in production at a point in time."""

    at: datetime
    "Point in time (UTC)."
    model: Optional[str] = None
    "Only this model."


class IssueApiKeyInput(BaseModel):
    """Issue an API key for a principal (shown once)."""

    principal: str
    "Principal name."
    label: Optional[str] = None
    "What the key is for."
    expires_at: Optional[datetime] = Field(alias="expiresAt", default=None)
    "Expiry (UTC)."


class LineageInput(BaseModel):
    """Lineage traversal request (bounded)."""

    start: str
    "Start node id."
    direction: LineageDirection = LineageDirection.UPSTREAM
    "Direction."
    max_hops: int = Field(alias="maxHops", default=3)
    "Hops (clamped to 1..10)."
    kinds: Optional[list[LineageNodeKind]] = None
    "Only these node kinds."
    as_of: Optional[datetime] = Field(alias="asOf", default=None)
    "The graph as it was at this time."
    max_nodes: int = Field(alias="maxNodes", default=500)
    "Node cap (at most 2000)."


class LogRunMetricsInput(BaseModel):
    """A batch of metric points for one running run."""

    run_id: str = Field(alias="runId")
    "The run (must be RUNNING)."
    points: list["MetricPointInput"]
    "1 to 1000 points; re-sent points are no-ops."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why (recorded in the audit trail)."


class MetricPointInput(BaseModel):
    """One point of a metric series."""

    name: str
    "Metric name (letters, digits, . _ - /)."
    value: float
    "Finite value."
    step: int = 0
    "Training step (epoch, batch, ...)."
    at: Optional[datetime] = None
    "When it was measured (default: now)."


class MetricThresholdInput(BaseModel):
    """A metric threshold on the latest non-superseded evaluation, else the run's metric."""

    name: str
    "Metric name or a synonym (f1 finds f1_score)."
    op: FilterOp
    "GT, GTE, LT, LTE, EQ or NEQ."
    value: float
    "The threshold."
    dataset: Optional[str] = None
    "Dataset version id or dataset name evaluated on."
    slice_: Optional[str] = Field(alias="slice", default=None)
    "Evaluation slice (default: whole dataset)."


class ModelVersionItemInput(BaseModel):
    """A model version to register (alone, or as one item of a batch)."""

    run_id: str = Field(alias="runId")
    "Finished run that produced it."
    artifact: "ArtifactInput"
    "Artifact reference."
    signature: Optional[str] = None
    "Input signature."
    feature_importance: Optional[list["FeatureImportanceInput"]] = Field(
        alias="featureImportance", default=None
    )
    "Importance."
    fine_tuned_from: Optional[str] = Field(alias="fineTunedFrom", default=None)
    "Base model version id."
    notes: Optional[str] = None
    "Notes."
    custom: Optional[Any] = None
    "Typed custom properties."


class PerformanceHistoryInput(BaseModel):
    """Performance history of one metric across versions."""

    model: str
    "Model name."
    metric: str
    "Metric name."
    from_: datetime = Field(alias="from")
    "Start (inclusive)."
    to: datetime
    "End (exclusive)."
    version: Optional[int] = None
    "Only this version."
    dataset_version_id: Optional[str] = Field(alias="datasetVersionId", default=None)
    "Only this dataset snapshot."
    slice_: Optional[str] = Field(alias="slice", default=None)
    "Only this slice."


class PerformanceSeriesInput(BaseModel):
    """A metric's history bucketed by time: constant size however many evaluations."""

    model: str
    "Model name."
    metric: str
    "Metric name."
    from_: datetime = Field(alias="from")
    "Start (inclusive)."
    to: datetime
    "End (exclusive)."
    version: Optional[int] = None
    "Only this version."
    dataset_version_id: Optional[str] = Field(alias="datasetVersionId", default=None)
    "Only this dataset snapshot."
    slice_: Optional[str] = Field(alias="slice", default=None)
    "Only this slice."
    resolution: HistoryResolution = HistoryResolution.DAY
    "Bucket width."


class PolicyCheckInput(BaseModel):
    """Ask policy about a command without running it (CI gates)."""

    command: str
    "e.g. move_alias, register_model_version, archive_version."
    payload: Any
    "The command's input (snake_case keys)."


class RecordDeploymentEventInput(BaseModel):
    """Record a deployment event; traffic changes apply in the same transaction."""

    deployment_id: str = Field(alias="deploymentId")
    "The deployment."
    type_: DeploymentEventType = Field(alias="type")
    "Event type."
    reason: Optional[str] = None
    "Required for rollbacks and incidents."
    version: Optional[int] = None
    "promoted / canary_started: the version."
    traffic_percent: Optional[float] = Field(alias="trafficPercent", default=None)
    "canary_started: canary share."
    split: Optional[list["TrafficInput"]] = None
    "traffic_shifted: new split."
    occurred_at: Optional[datetime] = Field(alias="occurredAt", default=None)
    "When (default: now)."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Makes a retry a no-op."


class RecordEvaluationInput(BaseModel):
    """Record an immutable evaluation."""

    model: str
    "Model name."
    version: int
    "Version number."
    metrics: Any
    "Metric name -> finite number."
    dataset_version_id: Optional[str] = Field(alias="datasetVersionId", default=None)
    "Dataset snapshot evaluated on."
    slice_: Optional[str] = Field(alias="slice", default=None)
    "Slice, e.g. region=EU."
    method: Optional[str] = None
    "Scoring method / metric definitions."
    code_version: Optional[str] = Field(alias="codeVersion", default=None)
    "Evaluation code version."
    evaluator: Optional[str] = None
    "Evaluator (default: caller)."
    evaluated_at: Optional[datetime] = Field(alias="evaluatedAt", default=None)
    "When (default: now)."
    confidence: Optional[Any] = None
    "Metric -> [low, high]."
    reports: Optional[list[str]] = None
    "Report artifact ids."
    notes: Optional[str] = None
    "Free text."
    supersedes: Optional[str] = None
    "Evaluation this one corrects."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Makes a retry a no-op."


class RecordFeedbackInput(BaseModel):
    """A production metric or drift statistic for a deployed version."""

    model: str
    "Model name."
    version: int
    "Version number."
    statistic: str
    "Statistic name (psi, ks, f1, ...)."
    value: float
    "Observed value."
    kind: FeedbackKind = FeedbackKind.METRIC
    "metric or drift."
    threshold: Optional[float] = None
    "Drift threshold (required for drift)."
    baseline: Optional[float] = None
    "Baseline (default: latest evaluation)."
    margin: Optional[float] = None
    "Allowed distance below the baseline."
    deployment_id: Optional[str] = Field(alias="deploymentId", default=None)
    "Where it was observed."
    slice_: Optional[str] = Field(alias="slice", default=None)
    "Slice."
    observed_at: Optional[datetime] = Field(alias="observedAt", default=None)
    "When (default: now)."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Makes a retry a no-op."


class RedeliverWebhookInput(BaseModel):
    """Send a delivery again (e.g. a dead-lettered one), with a fresh retry window."""

    id: str
    "Delivery id."


class RegisterDatasetVersionInput(BaseModel):
    """Register a new immutable dataset version (the dataset is created on first use)."""

    dataset: str
    "Dataset name."
    source_uri: str = Field(alias="sourceUri")
    "Where the data came from."
    digest: Optional[str] = None
    "sha256:<hex> of the content."
    row_count: Optional[int] = Field(alias="rowCount", default=None)
    "Rows."
    schema_: Optional[str] = Field(alias="schema", default=None)
    "Schema (JSON or text)."
    data_domain: Optional[str] = Field(alias="dataDomain", default=None)
    "Data domain."
    usage_rights: Optional["UsageRightsInput"] = Field(
        alias="usageRights", default=None
    )
    "Usage rights."
    preprocessing: Optional[list[str]] = None
    "Preprocessing steps."
    description: Optional[str] = None
    "Free text."
    derived_from: Optional[list["DerivedFromInput"]] = Field(
        alias="derivedFrom", default=None
    )
    "Sources."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class RegisterFeatureInput(BaseModel):
    """Register a feature computed from a dataset version."""

    project: str
    "Project name."
    name: str
    "Feature name."
    dtype: str
    "string, integer, float, boolean, categorical, datetime, embedding, text."
    definition: str
    "Definition / transformation."
    source_dataset_version_id: str = Field(alias="sourceDatasetVersionId")
    "Source dataset version."
    description: Optional[str] = None
    "Free text."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class RegisterModelVersionInput(BaseModel):
    """Register a new version of a model from a finished run."""

    run_id: str = Field(alias="runId")
    "Finished run that produced it."
    artifact: "ArtifactInput"
    "Artifact reference."
    signature: Optional[str] = None
    "Input signature."
    feature_importance: Optional[list["FeatureImportanceInput"]] = Field(
        alias="featureImportance", default=None
    )
    "Importance."
    fine_tuned_from: Optional[str] = Field(alias="fineTunedFrom", default=None)
    "Base model version id."
    notes: Optional[str] = None
    "Notes."
    custom: Optional[Any] = None
    "Typed custom properties."
    model: str
    "Model name."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class RegisterModelVersionsInput(BaseModel):
    """Register up to 500 versions of one model at once: all or none, numbered in order."""

    model: str
    "Model name."
    versions: list["ModelVersionItemInput"]
    "The versions, in numbering order."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class RegistryEventFilter(BaseModel):
    """Which registry events (all conditions hold)."""

    types: Optional[list[str]] = None
    "Only these types (short or envelope form); none: every type."
    model: Optional[str] = None
    "Only events about this model."


class RemoveAliasInput(BaseModel):
    """Remove an alias (its history is kept)."""

    model: str
    "Model name."
    alias: str
    "Alias."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class ReportHealthInput(BaseModel):
    """A batch of health samples (at most 5000)."""

    samples: list["HealthSampleInput"]
    "Samples."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Makes a retry a no-op."


class ReviewsInput(BaseModel):
    """Which reviews to list (all conditions hold), newest first."""

    status: Optional[ReviewStatus] = None
    "Only reviews in this state."
    model: Optional[str] = None
    "Only reviews of changes to this model."
    requested_by: Optional[str] = Field(alias="requestedBy", default=None)
    "Only reviews this principal filed."
    waiting_for_me: bool = Field(alias="waitingForMe", default=False)
    "Only pending reviews I may approve and did not file myself."
    first: int = 50
    "Page size (at most 100)."
    after: Optional[str] = None
    "Cursor from a previous page."


class RevokeApiKeyInput(BaseModel):
    """Revoke an API key; it stops working at once."""

    id: str
    "Key id, as issueApiKey returned it."


class RevokeGrantInput(BaseModel):
    """Revoke a grant; it stops working at once and stays on record."""

    id: str
    "Grant id."
    reason: Optional[str] = None
    "Why (kept with the grant and the audit event)."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key."


class RunEnvironmentInput(BaseModel):
    """Environment of a run."""

    framework: Optional[str] = None
    "Framework."
    framework_version: Optional[str] = Field(alias="frameworkVersion", default=None)
    "Framework version."
    hardware: Optional[str] = None
    "Hardware."
    container_image: Optional[str] = Field(alias="containerImage", default=None)
    "Container image."
    python_version: Optional[str] = Field(alias="pythonVersion", default=None)
    "Python version."


class RunMetricHistoryInput(BaseModel):
    """Which part of a run's metric series to read."""

    run_id: str = Field(alias="runId")
    "The run."
    name: Optional[str] = None
    "Only this metric (default: all)."
    first: int = 500
    "Points per page (1-1000)."
    after: Optional[str] = None
    "endCursor of the previous page."


class SaveSearchInput(BaseModel):
    """Save a search under a shared name."""

    name: str
    "Unique name (overwrites)."
    description: Optional[str] = None
    "What it finds."
    search: "SearchInput"
    "The search to save."


class SearchInput(BaseModel):
    """A search over model versions: text, filters (OR of AND), metric thresholds."""

    text: Optional[str] = None
    "Free text over names, descriptions, notes, tags."
    text_mode: Optional[TextMode] = Field(alias="textMode", default=None)
    "SIMPLE (default) or LUCENE."
    any_of: Optional[list["FilterGroupInput"]] = Field(alias="anyOf", default=None)
    "Groups; any may match."
    metrics: Optional[list["MetricThresholdInput"]] = None
    "All must hold."
    facets: Optional[list[FilterField]] = None
    "Facets to count."
    facet_size: Optional[int] = Field(alias="facetSize", default=None)
    "Values per facet (max 50)."
    sort: Optional["SortInput"] = None
    "Order (default relevance / newest)."
    first: Optional[int] = None
    "Page size (max 100)."
    after: Optional[str] = None
    "Cursor from a previous page."


class SetAliasInput(BaseModel):
    """Point an alias at a version (creates or moves it; history is kept)."""

    model: str
    "Model name."
    alias: str
    "Alias, e.g. staging or production."
    version: int
    "Version number."
    reason: Optional[str] = None
    "Why."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class SortInput(BaseModel):
    """Result order."""

    by: SortBy
    "Sort key."
    descending: bool = True
    "Largest / newest first."
    metric: Optional[str] = None
    "Metric name when sorting by METRIC."
    dataset: Optional[str] = None
    "Dataset for the METRIC sort."


class StartRunInput(BaseModel):
    """Start a run in an experiment."""

    experiment_id: str = Field(alias="experimentId")
    "Experiment id."
    name: Optional[str] = None
    "Display name."
    params: Optional[Any] = None
    "Parameters {name: string|number|bool}."
    inputs: Optional[list[str]] = None
    "Dataset version / feature ids used."
    environment: Optional["RunEnvironmentInput"] = None
    "Environment."
    code_version: Optional[str] = Field(alias="codeVersion", default=None)
    "Code version."
    external_id: Optional[str] = Field(alias="externalId", default=None)
    "This run's id in the system that produced it (e.g. an OpenLineage runId); unique."
    notes: Optional[str] = None
    "Notes."
    started_at: Optional[datetime] = Field(alias="startedAt", default=None)
    "Start time (default now)."
    custom: Optional[Any] = None
    "Typed custom properties."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class TrafficInput(BaseModel):
    """A version and its share of traffic."""

    version: int
    "Version number."
    traffic_percent: float = Field(alias="trafficPercent", default=100)
    "Share of traffic (all add up to 100)."


class UpdateMetadataInput(BaseModel):
    """Change mutable metadata, stating the revision you read."""

    id: str
    "Model, version, project, experiment or run id."
    expected_revision: int = Field(alias="expectedRevision")
    "The revision you based the change on."
    changes: Any
    "{field: new value}; immutable fields are refused."
    custom: Optional[Any] = None
    "Custom properties to set."
    idempotency_key: Optional[str] = Field(alias="idempotencyKey", default=None)
    "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
    purpose: Optional[str] = None
    "Why you are doing this (recorded in the audit trail)."


class UpsertTermInput(BaseModel):
    """Create or update a vocabulary term."""

    vocabulary: str
    "Vocabulary name."
    value: str
    "Canonical value."
    synonyms: Optional[list[str]] = None
    "Synonyms."
    broader: Optional[str] = None
    "Parent value in the same vocabulary."
    description: Optional[str] = None
    "Meaning."


class UsageRightsInput(BaseModel):
    """Usage rights of a dataset version."""

    training_allowed: Optional[bool] = Field(alias="trainingAllowed", default=None)
    "May train models."
    commercial_use: Optional[bool] = Field(alias="commercialUse", default=None)
    "May be used commercially."
    contains_personal_data: Optional[bool] = Field(
        alias="containsPersonalData", default=None
    )
    "Contains personal data."


CreateDeploymentInput.model_rebuild()
FilterGroupInput.model_rebuild()
LogRunMetricsInput.model_rebuild()
ModelVersionItemInput.model_rebuild()
RecordDeploymentEventInput.model_rebuild()
RegisterDatasetVersionInput.model_rebuild()
RegisterModelVersionInput.model_rebuild()
RegisterModelVersionsInput.model_rebuild()
ReportHealthInput.model_rebuild()
SaveSearchInput.model_rebuild()
SearchInput.model_rebuild()
StartRunInput.model_rebuild()
