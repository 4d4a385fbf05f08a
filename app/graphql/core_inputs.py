"""Inputs of the core mutations. Each carries an optional idempotencyKey and purpose."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from app.graphql.enums import LineageNodeKind, RunEnd

KEY = "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
PURPOSE = "Why you are doing this (recorded in the audit trail)."


@strawberry.input(description="Create a project.")
class CreateProjectInput:
    name: str = strawberry.field(description="Unique name (letters, digits, . _ -).")
    description: str | None = strawberry.field(default=None, description="Free text.")
    owners: list[str] | None = strawberry.field(default=None, description="Owners (default: you).")
    custom: JSON | None = strawberry.field(default=None, description="Typed custom properties {name: value}.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Create an experiment in a project.")
class CreateExperimentInput:
    project: str = strawberry.field(description="Project name.")
    name: str = strawberry.field(description="Experiment name, unique in the project.")
    description: str | None = strawberry.field(default=None, description="Narrative.")
    custom: JSON | None = strawberry.field(default=None, description="Typed custom properties.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Usage rights of a dataset version.")
class UsageRightsInput:
    training_allowed: bool | None = strawberry.field(default=None, description="May train models.")
    commercial_use: bool | None = strawberry.field(default=None, description="May be used commercially.")
    contains_personal_data: bool | None = strawberry.field(default=None, description="Contains personal data.")


@strawberry.input(description="A dataset version this one was derived from.")
class DerivedFromInput:
    dataset_version_id: strawberry.ID = strawberry.field(description="Source dataset version id.")
    step: str | None = strawberry.field(default=None, description="Transformation step.")


@strawberry.input(description="Register a new immutable dataset version (the dataset is created on first use).")
class RegisterDatasetVersionInput:
    dataset: str = strawberry.field(description="Dataset name.")
    source_uri: str = strawberry.field(description="Where the data came from.")
    digest: str | None = strawberry.field(default=None, description="sha256:<hex> of the content.")
    row_count: int | None = strawberry.field(default=None, description="Rows.")
    schema: str | None = strawberry.field(default=None, description="Schema (JSON or text).")
    data_domain: str | None = strawberry.field(default=None, description="Data domain.")
    usage_rights: UsageRightsInput | None = strawberry.field(default=None, description="Usage rights.")
    preprocessing: list[str] | None = strawberry.field(default=None, description="Preprocessing steps.")
    description: str | None = strawberry.field(default=None, description="Free text.")
    derived_from: list[DerivedFromInput] | None = strawberry.field(default=None, description="Sources.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Register a feature computed from a dataset version.")
class RegisterFeatureInput:
    project: str = strawberry.field(description="Project name.")
    name: str = strawberry.field(description="Feature name.")
    dtype: str = strawberry.field(
        description="string, integer, float, boolean, categorical, datetime, embedding, text."
    )
    definition: str = strawberry.field(description="Definition / transformation.")
    source_dataset_version_id: strawberry.ID = strawberry.field(description="Source dataset version.")
    description: str | None = strawberry.field(default=None, description="Free text.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Environment of a run.")
class RunEnvironmentInput:
    framework: str | None = strawberry.field(default=None, description="Framework.")
    framework_version: str | None = strawberry.field(default=None, description="Framework version.")
    hardware: str | None = strawberry.field(default=None, description="Hardware.")
    container_image: str | None = strawberry.field(default=None, description="Container image.")
    python_version: str | None = strawberry.field(default=None, description="Python version.")


@strawberry.input(description="Start a run in an experiment.")
class StartRunInput:
    experiment_id: strawberry.ID = strawberry.field(description="Experiment id.")
    name: str | None = strawberry.field(default=None, description="Display name.")
    params: JSON | None = strawberry.field(default=None, description="Parameters {name: string|number|bool}.")
    inputs: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Dataset version / feature ids used."
    )
    environment: RunEnvironmentInput | None = strawberry.field(default=None, description="Environment.")
    code_version: str | None = strawberry.field(default=None, description="Code version.")
    external_id: str | None = strawberry.field(
        default=None, description="This run's id in the system that produced it (e.g. an OpenLineage runId); unique."
    )
    notes: str | None = strawberry.field(default=None, description="Notes.")
    started_at: datetime | None = strawberry.field(default=None, description="Start time (default now).")
    custom: JSON | None = strawberry.field(default=None, description="Typed custom properties.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Declare more inputs of a run that is still running.")
class AddRunInputsInput:
    run_id: strawberry.ID = strawberry.field(description="Run id.")
    inputs: list[strawberry.ID] = strawberry.field(description="Dataset version / feature ids.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Finish a run with its final metrics; its inputs and metrics then never change.")
class FinishRunInput:
    run_id: strawberry.ID = strawberry.field(description="Run id.")
    status: RunEnd = strawberry.field(default=RunEnd.FINISHED, description="How the run ended.")
    metrics: JSON | None = strawberry.field(default=None, description="Final metrics {name: finite number}.")
    ended_at: datetime | None = strawberry.field(default=None, description="End time (default now).")
    notes: str | None = strawberry.field(default=None, description="Notes.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Register a model.")
class CreateModelInput:
    name: str = strawberry.field(description="Unique name.")
    description: str | None = strawberry.field(default=None, description="Free text.")
    owners: list[str] | None = strawberry.field(default=None, description="Owners (default: you).")
    owner_teams: list[str] | None = strawberry.field(default=None, description="Owning teams.")
    domain: str | None = strawberry.field(default=None, description="Business domain.")
    task: str | None = strawberry.field(default=None, description="ML task.")
    tags: list[str] | None = strawberry.field(default=None, description="Tags.")
    licence: str | None = strawberry.field(default=None, description="Licence.")
    regulatory: list[str] | None = strawberry.field(default=None, description="Regulatory constraints (controlled).")
    intended_use: str | None = strawberry.field(default=None, description="Intended use.")
    commercial_use: bool | None = strawberry.field(default=None, description="Used commercially.")
    project: str | None = strawberry.field(default=None, description="Project name.")
    custom: JSON | None = strawberry.field(default=None, description="Typed custom properties.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Artifact reference of a version.")
class ArtifactInput:
    uri: str = strawberry.field(description="Reference (recorded; never used as our storage key).")
    digest: str = strawberry.field(description="sha256:<hex>.")
    size: int | None = strawberry.field(default=None, description="Bytes.")
    format: str | None = strawberry.field(default=None, description="Format.")


@strawberry.input(description="Feature importance entry.")
class FeatureImportanceInput:
    feature: str = strawberry.field(description="Feature name.")
    score: float = strawberry.field(description="Score.")


@strawberry.input(description="A model version to register (alone, or as one item of a batch).")
class ModelVersionItemInput:
    run_id: strawberry.ID = strawberry.field(description="Finished run that produced it.")
    artifact: ArtifactInput = strawberry.field(description="Artifact reference.")
    signature: str | None = strawberry.field(default=None, description="Input signature.")
    feature_importance: list[FeatureImportanceInput] | None = strawberry.field(default=None, description="Importance.")
    fine_tuned_from: strawberry.ID | None = strawberry.field(default=None, description="Base model version id.")
    notes: str | None = strawberry.field(default=None, description="Notes.")
    custom: JSON | None = strawberry.field(default=None, description="Typed custom properties.")


@strawberry.input(description="Register a new version of a model from a finished run.")
class RegisterModelVersionInput(ModelVersionItemInput):
    model: str = strawberry.field(description="Model name.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Register up to 500 versions of one model at once: all or none, numbered in order.")
class RegisterModelVersionsInput:
    model: str = strawberry.field(description="Model name.")
    versions: list[ModelVersionItemInput] = strawberry.field(description="The versions, in numbering order.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Point an alias at a version (creates or moves it; history is kept).")
class SetAliasInput:
    model: str = strawberry.field(description="Model name.")
    alias: str = strawberry.field(description="Alias, e.g. staging or production.")
    version: int = strawberry.field(description="Version number.")
    reason: str | None = strawberry.field(default=None, description="Why.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Remove an alias (its history is kept).")
class RemoveAliasInput:
    model: str = strawberry.field(description="Model name.")
    alias: str = strawberry.field(description="Alias.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Archive (retire) a version.")
class ArchiveVersionInput:
    model: str = strawberry.field(description="Model name.")
    version: int = strawberry.field(description="Version number.")
    reason: str = strawberry.field(description="Why it is retired.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.input(description="Change mutable metadata, stating the revision you read.")
class UpdateMetadataInput:
    id: strawberry.ID = strawberry.field(description="Model, version, project, experiment or run id.")
    expected_revision: int = strawberry.field(description="The revision you based the change on.")
    changes: JSON = strawberry.field(description="{field: new value}; immutable fields are refused.")
    custom: JSON | None = strawberry.field(default=None, description="Custom properties to set.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description=PURPOSE)


@strawberry.enum(description="Which way to walk the provenance graph.")
class LineageDirection(Enum):
    UPSTREAM = "UPSTREAM"
    DOWNSTREAM = "DOWNSTREAM"
    BOTH = "BOTH"


@strawberry.input(description="Lineage traversal request (bounded).")
class LineageInput:
    start: strawberry.ID = strawberry.field(description="Start node id.")
    direction: LineageDirection = strawberry.field(default=LineageDirection.UPSTREAM, description="Direction.")
    max_hops: int = strawberry.field(default=3, description="Hops (clamped to 1..10).")
    kinds: list[LineageNodeKind] | None = strawberry.field(default=None, description="Only these node kinds.")
    as_of: datetime | None = strawberry.field(default=None, description="The graph as it was at this time.")
    max_nodes: int = strawberry.field(default=500, description="Node cap (at most 2000).")
