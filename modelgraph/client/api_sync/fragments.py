from datetime import datetime
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .enums import ReviewStatus, RunStatus, VersionState


class AliasFields(BaseModel):
    alias: str
    version: int
    version_id: str = Field(alias="versionId")
    since: Optional[datetime]
    until: Optional[datetime]
    actor: Optional[str]


class ArtifactFields(BaseModel):
    uri: Optional[str]
    digest: str
    size: Optional[int]
    format: Optional[str]


class ModelFields(BaseModel):
    id: str
    name: str
    description: Optional[str]
    owners: list[str]
    domain: Optional[str]
    task: Optional[str]
    tags: list[str]
    licence: Optional[str]
    created_at: Optional[datetime] = Field(alias="createdAt")
    aliases: list["ModelFieldsAliases"]
    custom: list["ModelFieldsCustom"]
    revision: int


class ModelFieldsAliases(BaseModel):
    alias: str
    version: int
    version_id: str = Field(alias="versionId")
    since: Optional[datetime]
    actor: Optional[str]


class ModelFieldsCustom(BaseModel):
    name: str
    value: Any


class ReviewFields(BaseModel):
    id: str
    command: str
    action: str
    target_id: Optional[str] = Field(alias="targetId")
    requested_by: str = Field(alias="requestedBy")
    reasons: list[str]
    status: ReviewStatus
    created_at: Optional[datetime] = Field(alias="createdAt")
    decided_by: Optional[str] = Field(alias="decidedBy")
    comment: Optional[str]
    result_id: Optional[str] = Field(alias="resultId")


class RunFields(BaseModel):
    id: str
    name: Optional[str]
    status: RunStatus
    params: Any
    metrics: list["RunFieldsMetrics"]
    started_at: Optional[datetime] = Field(alias="startedAt")
    ended_at: Optional[datetime] = Field(alias="endedAt")
    external_id: Optional[str] = Field(alias="externalId")
    experiment: Optional["RunFieldsExperiment"]
    inputs: list[
        Annotated[
            Union["RunFieldsInputsDatasetVersion", "RunFieldsInputsFeature"],
            Field(discriminator="typename__"),
        ]
    ]


class RunFieldsMetrics(BaseModel):
    name: str
    value: float


class RunFieldsExperiment(BaseModel):
    id: str
    name: str


class RunFieldsInputsDatasetVersion(BaseModel):
    typename__: Literal["DatasetVersion"] = Field(alias="__typename")
    id: str
    dataset: str
    version: int


class RunFieldsInputsFeature(BaseModel):
    typename__: Literal["Feature"] = Field(alias="__typename")
    id: str
    name: str


class VersionFields(BaseModel):
    id: str
    model_name: str = Field(alias="modelName")
    version: int
    status: VersionState
    created_at: Optional[datetime] = Field(alias="createdAt")
    aliases: list[str]
    notes: Optional[str]
    artifact: "VersionFieldsArtifact"
    run: Optional["VersionFieldsRun"]
    custom: list["VersionFieldsCustom"]
    revision: int


class VersionFieldsArtifact(ArtifactFields):
    pass


class VersionFieldsRun(BaseModel):
    id: str
    name: Optional[str]
    external_id: Optional[str] = Field(alias="externalId")


class VersionFieldsCustom(BaseModel):
    name: str
    value: Any


AliasFields.model_rebuild()
ArtifactFields.model_rebuild()
ModelFields.model_rebuild()
ReviewFields.model_rebuild()
RunFields.model_rebuild()
VersionFields.model_rebuild()
