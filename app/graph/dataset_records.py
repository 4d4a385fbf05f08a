"""Typed records of the data side of the provenance core: dataset versions and features, decoded
from stored properties (app/graph/props.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from app.domain.entities import time_of
from app.graph.props import Props, int_of, json_of, required, strings_of, text_of


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
            version=int(required(p, "version", cls)),
            source_uri=text_of(p.get("source_uri")),
            digest=text_of(p.get("digest")),
            row_count=int_of(p.get("row_count")),
            schema=text_of(p.get("schema")),
            data_domain=text_of(p.get("data_domain")),
            training_allowed=p.get("training_allowed"),
            commercial_use=p.get("commercial_use"),
            contains_personal_data=p.get("contains_personal_data"),
            preprocessing=strings_of(p.get("preprocessing")),
            description=text_of(p.get("description")),
            created_at=time_of(p.get("created_at")),
            source_namespace=text_of(p.get("source_namespace")),
            source_name=text_of(p.get("source_name")),
            data_source_name=text_of(p.get("data_source_name")),
            data_source_uri=text_of(p.get("data_source_uri")),
            source_owners=strings_of(p.get("ol_owners")),
            facets=json_of(p.get("ol_facets")),
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
class Dataset:
    """A dataset, the series its versions are numbered in (the API shows its versions, not it)."""

    kind: ClassVar[str] = "Dataset"
    id: str
    name: str

    @classmethod
    def of(cls, p: Props) -> Self:
        return cls(id=str(p["id"]), name=str(p.get("name")))
