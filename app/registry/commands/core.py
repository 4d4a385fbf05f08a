"""Commands of the provenance core: projects, experiments, data, features, runs, models, versions,
aliases and metadata. Field names are the GraphQL inputs' (snake_case); handlers validate values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.registry.commands.base import Command, Json, Record


@dataclass(frozen=True, kw_only=True)
class CreateProject(Command):
    command_name = "create_project"
    name: str
    description: str | None = None
    owners: tuple[str, ...] | None = None
    custom: Json = None


@dataclass(frozen=True, kw_only=True)
class CreateExperiment(Command):
    command_name = "create_experiment"
    project: str
    name: str
    description: str | None = None
    custom: Json = None


@dataclass(frozen=True, kw_only=True)
class UsageRights(Record):
    training_allowed: bool | None = None
    commercial_use: bool | None = None
    contains_personal_data: bool | None = None


@dataclass(frozen=True, kw_only=True)
class DerivedFrom(Record):
    dataset_version_id: str
    step: str | None = None


@dataclass(frozen=True, kw_only=True)
class RegisterDatasetVersion(Command):
    command_name = "register_dataset_version"
    dataset: str
    source_uri: str | None = None
    digest: str | None = None
    row_count: int | None = None
    schema: str | None = None
    data_domain: str | None = None
    usage_rights: UsageRights | None = None
    preprocessing: tuple[str, ...] | None = None
    description: str | None = None
    derived_from: tuple[DerivedFrom, ...] | None = None
    # The run that wrote this version (OpenLineage outputs) and the event's dataset facets.
    produced_by: str | None = None
    openlineage: Json = None


@dataclass(frozen=True, kw_only=True)
class RegisterFeature(Command):
    command_name = "register_feature"
    project: str
    name: str
    dtype: str
    definition: str | None = None
    source_dataset_version_id: str
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class RunEnvironment(Record):
    framework: str | None = None
    framework_version: str | None = None
    hardware: str | None = None
    container_image: str | None = None
    python_version: str | None = None


@dataclass(frozen=True, kw_only=True)
class StartRun(Command):
    command_name = "start_run"
    experiment_id: str
    name: str | None = None
    params: Json = None
    inputs: tuple[str, ...] | None = None
    environment: RunEnvironment | None = None
    code_version: str | None = None
    external_id: str | None = None
    notes: str | None = None
    started_at: datetime | None = None
    custom: Json = None
    openlineage: Json = None


@dataclass(frozen=True, kw_only=True)
class AddRunInputs(Command):
    command_name = "add_run_inputs"
    run_id: str
    inputs: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class FinishRun(Command):
    command_name = "finish_run"
    run_id: str
    status: str | None = None
    metrics: Json = None
    ended_at: datetime | None = None
    notes: str | None = None
    openlineage: Json = None


@dataclass(frozen=True, kw_only=True)
class CreateModel(Command):
    command_name = "create_model"
    name: str
    description: str | None = None
    owners: tuple[str, ...] | None = None
    owner_teams: tuple[str, ...] | None = None
    domain: str | None = None
    task: str | None = None
    tags: tuple[str, ...] | None = None
    licence: str | None = None
    regulatory: tuple[str, ...] | None = None
    intended_use: str | None = None
    commercial_use: bool | None = None
    project: str | None = None
    custom: Json = None


@dataclass(frozen=True, kw_only=True)
class Artifact(Record):
    uri: str | None = None
    digest: str | None = None
    size: int | None = None
    format: str | None = None


@dataclass(frozen=True, kw_only=True)
class FeatureImportance(Record):
    feature: str
    score: float


@dataclass(frozen=True, kw_only=True)
class ModelVersionItem(Record):
    run_id: str
    artifact: Artifact | None = None
    signature: str | None = None
    feature_importance: tuple[FeatureImportance, ...] | None = None
    fine_tuned_from: str | None = None
    notes: str | None = None
    custom: Json = None


@dataclass(frozen=True, kw_only=True)
class RegisterModelVersion(ModelVersionItem, Command):
    command_name = "register_model_version"
    model: str


@dataclass(frozen=True, kw_only=True)
class RegisterModelVersions(Command):
    command_name = "register_model_versions"
    model: str
    versions: tuple[ModelVersionItem, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class MoveAlias(Command):
    command_name = "move_alias"
    model: str
    alias: str
    version: int
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class RemoveAlias(Command):
    command_name = "remove_alias"
    model: str
    alias: str


@dataclass(frozen=True, kw_only=True)
class ArchiveVersion(Command):
    command_name = "archive_version"
    model: str
    version: int
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class UpdateMetadata(Command):
    command_name = "update_metadata"
    id: str
    expected_revision: int
    changes: Json = None
    custom: Json = None
