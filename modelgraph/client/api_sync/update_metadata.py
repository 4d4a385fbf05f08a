from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class UpdateMetadata(BaseModel):
    update_metadata: Union[
        "UpdateMetadataUpdateMetadataUpdateSuccess",
        "UpdateMetadataUpdateMetadataValidationError",
        "UpdateMetadataUpdateMetadataNotFoundError",
        "UpdateMetadataUpdateMetadataConflictError",
        "UpdateMetadataUpdateMetadataPermissionDeniedError",
        "UpdateMetadataUpdateMetadataUnavailableError",
        "UpdateMetadataUpdateMetadataReviewRequired",
    ] = Field(alias="updateMetadata", discriminator="typename__")


class UpdateMetadataUpdateMetadataUpdateSuccess(BaseModel):
    typename__: Literal["UpdateSuccess"] = Field(alias="__typename")
    replayed: bool
    node: "UpdateMetadataUpdateMetadataUpdateSuccessNode"


class UpdateMetadataUpdateMetadataUpdateSuccessNode(BaseModel):
    typename__: Literal[
        "DatasetVersion",
        "Evaluation",
        "Experiment",
        "Feature",
        "Model",
        "ModelVersion",
        "Node",
        "Project",
        "Run",
    ] = Field(alias="__typename")
    id: str


class UpdateMetadataUpdateMetadataValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class UpdateMetadataUpdateMetadataNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class UpdateMetadataUpdateMetadataConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class UpdateMetadataUpdateMetadataPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class UpdateMetadataUpdateMetadataUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class UpdateMetadataUpdateMetadataReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


UpdateMetadata.model_rebuild()
UpdateMetadataUpdateMetadataUpdateSuccess.model_rebuild()
