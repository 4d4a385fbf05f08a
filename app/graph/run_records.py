"""Typed records of the experiment side of the provenance core: projects, experiments and runs,
decoded from stored properties (app/graph/props.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from app.domain.entities import PREFIX_METRIC, PREFIX_PARAM, prefixed, time_of
from app.graph.props import Custom, Props, float_of, json_of, revision_of, strings_of, text_of


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
            owners=strings_of(p.get("owners")),
            revision=revision_of(p),
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
            revision=revision_of(p),
            project_id=text_of(p.get("project_id")),
            custom=Custom.of(p),
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
    created_by: str | None

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
            revision=revision_of(p),
            framework=text_of(p.get("framework")),
            framework_version=text_of(p.get("framework_version")),
            hardware=text_of(p.get("hardware")),
            container_image=text_of(p.get("container_image")),
            python_version=text_of(p.get("python_version")),
            experiment_id=text_of(p.get("experiment_id")),
            facets=json_of(p.get("ol_run_facets")),
            end_facets=json_of(p.get("ol_end_facets")),
            job_facets=json_of(p.get("ol_job_facets")),
            producer=text_of(p.get("ol_producer")),
            job_owners=strings_of(p.get("ol_job_owners")),
            parent_run_external_id=text_of(p.get("parent_run_external_id")),
            parent_job_namespace=text_of(p.get("parent_job_namespace")),
            parent_job_name=text_of(p.get("parent_job_name")),
            custom=Custom.of(p),
            created_by=text_of(p.get("created_by")),
        )
