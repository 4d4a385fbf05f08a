"""Typed records of the nodes the API shows, decoded from stored properties here, where the driver's
values (Neo4j temporal types, JSON text, prefixed maps) stop. Above app/graph a field is an attribute."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from app.domain.entities import (
    PREFIX_CLASSIFICATION,
    PREFIX_CUSTOM,
    PREFIX_IMPORTANCE,
    PREFIX_METRIC,
    PREFIX_PARAM,
    Entity,
    prefixed,
    time_of,
)

Props = dict[str, Any]


def text_of(value: Any) -> str | None:
    return None if value is None else str(value)


def int_of(value: Any) -> int | None:
    return None if value is None else int(value)


def float_of(value: Any) -> float | None:
    return None if value is None else float(value)


def _strings(value: Any) -> list[str]:
    return [str(s) for s in value or []]


def _json(value: Any) -> Any:
    return None if value is None else json.loads(str(value))


def _revision(p: Props) -> int:
    return int(p.get("revision") or 1)


@dataclass(frozen=True)
class Custom:
    """Custom properties and the classification each was given at write time (absent: public)."""

    values: dict[str, Any]
    classes: dict[str, str]

    @classmethod
    def of(cls, p: Props) -> Custom:
        return cls(prefixed(p, PREFIX_CUSTOM), prefixed(p, PREFIX_CLASSIFICATION))


@dataclass(frozen=True, kw_only=True)
class Project:
    kind: ClassVar[str] = "Project"
    id: str
    name: str
    description: str | None
    owners: list[str]
    revision: int
    custom: Custom
    created_at: datetime | None

    @property
    def owner_teams(self) -> list[str]:
        """Projects are owned by principals only."""
        return []

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            name=str(p.get("name")),
            description=text_of(p.get("description")),
            owners=_strings(p.get("owners")),
            revision=_revision(p),
            custom=Custom.of(p),
            created_at=time_of(p.get("created_at")),
        )


@dataclass(frozen=True, kw_only=True)
class Experiment:
    kind: ClassVar[str] = "Experiment"
    id: str
    name: str
    description: str | None
    revision: int
    project_id: str | None
    custom: Custom

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            name=str(p.get("name")),
            description=text_of(p.get("description")),
            revision=_revision(p),
            project_id=text_of(p.get("project_id")),
            custom=Custom.of(p),
        )


@dataclass(frozen=True, kw_only=True)
class DatasetVersion:
    kind: ClassVar[str] = "DatasetVersion"
    id: str
    dataset: str
    version: int
    source_uri: str | None
    digest: str | None
    row_count: int | None
    schema: str | None
    data_domain: str | None
    training_allowed: bool | None
    commercial_use: bool | None
    contains_personal_data: bool | None
    preprocessing: list[str]
    description: str | None
    created_at: datetime | None
    source_namespace: str | None
    source_name: str | None
    data_source_name: str | None
    data_source_uri: str | None
    source_owners: list[str]
    facets: Any
    merged_from: str | None

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            dataset=str(p.get("dataset_name")),
            version=int(p["version"]),
            source_uri=text_of(p.get("source_uri")),
            digest=text_of(p.get("digest")),
            row_count=int_of(p.get("row_count")),
            schema=text_of(p.get("schema")),
            data_domain=text_of(p.get("data_domain")),
            training_allowed=p.get("training_allowed"),
            commercial_use=p.get("commercial_use"),
            contains_personal_data=p.get("contains_personal_data"),
            preprocessing=_strings(p.get("preprocessing")),
            description=text_of(p.get("description")),
            created_at=time_of(p.get("created_at")),
            source_namespace=text_of(p.get("source_namespace")),
            source_name=text_of(p.get("source_name")),
            data_source_name=text_of(p.get("data_source_name")),
            data_source_uri=text_of(p.get("data_source_uri")),
            source_owners=_strings(p.get("ol_owners")),
            facets=_json(p.get("ol_facets")),
            merged_from=text_of(p.get("merged_from")),
        )


@dataclass(frozen=True, kw_only=True)
class Feature:
    kind: ClassVar[str] = "Feature"
    id: str
    name: str
    dtype: str
    definition: str | None
    source_dataset_version_id: str | None

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            name=str(p.get("name")),
            dtype=str(p.get("dtype")),
            definition=text_of(p.get("definition")),
            source_dataset_version_id=text_of(p.get("source_dataset_version_id")),
        )


@dataclass(frozen=True, kw_only=True)
class Run:
    kind: ClassVar[str] = "Run"
    id: str
    name: str | None
    status: str | None
    params: dict[str, Any]
    metrics: dict[str, float]
    started_at: datetime | None
    ended_at: datetime | None
    duration_seconds: float | None
    code_version: str | None
    external_id: str | None
    notes: str | None
    revision: int
    framework: str | None
    framework_version: str | None
    hardware: str | None
    container_image: str | None
    python_version: str | None
    experiment_id: str | None
    facets: Any
    end_facets: Any
    job_facets: Any
    producer: str | None
    job_owners: list[str]
    parent_run_external_id: str | None
    parent_job_namespace: str | None
    parent_job_name: str | None
    custom: Custom

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            name=text_of(p.get("name")),
            status=text_of(p.get("status")),
            params=prefixed(p, PREFIX_PARAM),
            metrics=prefixed(p, PREFIX_METRIC),
            started_at=time_of(p.get("started_at")),
            ended_at=time_of(p.get("ended_at")),
            duration_seconds=float_of(p.get("duration_seconds")),
            code_version=text_of(p.get("code_version")),
            external_id=text_of(p.get("external_id")),
            notes=text_of(p.get("notes")),
            revision=_revision(p),
            framework=text_of(p.get("framework")),
            framework_version=text_of(p.get("framework_version")),
            hardware=text_of(p.get("hardware")),
            container_image=text_of(p.get("container_image")),
            python_version=text_of(p.get("python_version")),
            experiment_id=text_of(p.get("experiment_id")),
            facets=_json(p.get("ol_run_facets")),
            end_facets=_json(p.get("ol_end_facets")),
            job_facets=_json(p.get("ol_job_facets")),
            producer=text_of(p.get("ol_producer")),
            job_owners=_strings(p.get("ol_job_owners")),
            parent_run_external_id=text_of(p.get("parent_run_external_id")),
            parent_job_namespace=text_of(p.get("parent_job_namespace")),
            parent_job_name=text_of(p.get("parent_job_name")),
            custom=Custom.of(p),
        )


@dataclass(frozen=True, kw_only=True)
class Artifact:
    """Where a version's bytes are; the digest is immutable."""

    uri: str | None
    digest: str
    size: int | None
    format: str | None


@dataclass(frozen=True, kw_only=True)
class ModelVersion:
    kind: ClassVar[str] = "ModelVersion"
    id: str
    model_name: str
    version: int
    status: str | None
    artifact: Artifact
    signature: str | None
    feature_importance: dict[str, float]
    notes: str | None
    revision: int
    created_at: datetime | None
    run_id: str | None
    model_id: str | None
    custom: Custom

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            model_name=str(p.get("model_name")),
            version=int(p["version"]),
            status=text_of(p.get("status")),
            artifact=Artifact(
                uri=text_of(p.get("artifact_uri")),
                digest=str(p.get("artifact_digest")),
                size=int_of(p.get("artifact_size")),
                format=text_of(p.get("artifact_format")),
            ),
            signature=text_of(p.get("signature")),
            feature_importance=prefixed(p, PREFIX_IMPORTANCE),
            notes=text_of(p.get("notes")),
            revision=_revision(p),
            created_at=time_of(p.get("created_at")),
            run_id=text_of(p.get("run_id")),
            model_id=text_of(p.get("model_id")),
            custom=Custom.of(p),
        )


@dataclass(frozen=True, kw_only=True)
class Model:
    kind: ClassVar[str] = "Model"
    id: str
    name: str
    description: str | None
    owners: list[str]
    owner_teams: list[str]
    domain: str | None
    task: str | None
    tags: list[str]
    licence: str | None
    regulatory: list[str]
    intended_use: str | None
    revision: int
    created_at: datetime | None
    custom: Custom
    version_count: int

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            name=str(p.get("name")),
            description=text_of(p.get("description")),
            owners=_strings(p.get("owners")),
            owner_teams=_strings(p.get("owner_teams")),
            domain=text_of(p.get("domain")),
            task=text_of(p.get("task")),
            tags=_strings(p.get("tags")),
            licence=text_of(p.get("licence")),
            regulatory=_strings(p.get("regulatory")),
            intended_use=text_of(p.get("intended_use")),
            revision=_revision(p),
            created_at=time_of(p.get("created_at")),
            custom=Custom.of(p),
            version_count=int(p.get("seq") or 0),
        )


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    kind: ClassVar[str] = "Evaluation"
    id: str
    version: int
    slice: str | None
    method: str | None
    code_version: str | None
    evaluator: str | None
    evaluated_at: datetime | None
    reports: list[str]
    notes: str | None
    created_at: datetime | None
    created_by: str | None
    metrics: dict[str, float]
    confidence: dict[str, Any]
    dataset_version_id: str | None
    supersedes_id: str | None

    @classmethod
    def of(cls, p: Props) -> Self:
        confidence = p.get("confidence")
        return cls(
            id=str(p["id"]),
            version=int(p["version"]),
            slice=text_of(p.get("slice")),
            method=text_of(p.get("method")),
            code_version=text_of(p.get("code_version")),
            evaluator=text_of(p.get("evaluator")),
            evaluated_at=time_of(p.get("evaluated_at")),
            reports=_strings(p.get("reports")),
            notes=text_of(p.get("notes")),
            created_at=time_of(p.get("created_at")),
            created_by=text_of(p.get("created_by")),
            metrics=prefixed(p, PREFIX_METRIC),
            confidence=(json.loads(confidence) if isinstance(confidence, str) and confidence else None) or {},
            dataset_version_id=text_of(p.get("dataset_version_id")) or None,
            supersedes_id=text_of(p.get("supersedes")) or None,
        )


Record = Project | Experiment | DatasetVersion | Feature | Run | ModelVersion | Model | Evaluation
DECODERS: dict[str, Callable[[Props], Record]] = {
    cls.kind: cls.of for cls in (Project, Experiment, DatasetVersion, Feature, Run, ModelVersion, Model, Evaluation)
}


def record_of(kind: str, props: Props) -> Record | None:
    """The typed record of a stored node (None for a kind the API shows no type for)."""
    decode = DECODERS.get(kind)
    return None if decode is None else decode(props)


def of_entity(e: Entity | None) -> Record | None:
    return None if e is None else record_of(e.kind, e.props)
