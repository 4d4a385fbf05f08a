"""Typed records of the model side of the provenance core: models, their versions (with the
artifact) and evaluations, decoded from stored properties (app/graph/props.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from app.domain.entities import PREFIX_IMPORTANCE, PREFIX_METRIC, prefixed, time_of
from app.graph.props import Custom, Props, int_of, required, revision_of, strings_of, text_of


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
            version=int(required(p, "version", cls)),
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
            revision=revision_of(p),
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
    commercial_use: bool | None
    known_sources: list[str]

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(
            id=str(p["id"]),
            name=str(p.get("name")),
            description=text_of(p.get("description")),
            owners=strings_of(p.get("owners")),
            owner_teams=strings_of(p.get("owner_teams")),
            domain=text_of(p.get("domain")),
            task=text_of(p.get("task")),
            tags=strings_of(p.get("tags")),
            licence=text_of(p.get("licence")),
            regulatory=strings_of(p.get("regulatory")),
            intended_use=text_of(p.get("intended_use")),
            revision=revision_of(p),
            created_at=time_of(p.get("created_at")),
            custom=Custom.of(p),
            version_count=int(p.get("seq") or 0),
            commercial_use=p.get("commercial_use"),
            known_sources=strings_of(p.get("known_sources")),
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
            version=int(required(p, "version", cls)),
            slice=text_of(p.get("slice")),
            method=text_of(p.get("method")),
            code_version=text_of(p.get("code_version")),
            evaluator=text_of(p.get("evaluator")),
            evaluated_at=time_of(p.get("evaluated_at")),
            reports=strings_of(p.get("reports")),
            notes=text_of(p.get("notes")),
            created_at=time_of(p.get("created_at")),
            created_by=text_of(p.get("created_by")),
            metrics=prefixed(p, PREFIX_METRIC),
            confidence=(json.loads(confidence) if isinstance(confidence, str) and confidence else None) or {},
            dataset_version_id=text_of(p.get("dataset_version_id")) or None,
            supersedes_id=text_of(p.get("supersedes")) or None,
        )
