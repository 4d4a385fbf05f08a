from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class RegisterDatasetVersion(BaseModel):
    register_dataset_version: Union[
        "RegisterDatasetVersionRegisterDatasetVersionDatasetVersionSuccess",
        "RegisterDatasetVersionRegisterDatasetVersionValidationError",
        "RegisterDatasetVersionRegisterDatasetVersionNotFoundError",
        "RegisterDatasetVersionRegisterDatasetVersionConflictError",
        "RegisterDatasetVersionRegisterDatasetVersionPermissionDeniedError",
        "RegisterDatasetVersionRegisterDatasetVersionUnavailableError",
        "RegisterDatasetVersionRegisterDatasetVersionReviewRequired",
    ] = Field(alias="registerDatasetVersion", discriminator="typename__")


class RegisterDatasetVersionRegisterDatasetVersionDatasetVersionSuccess(BaseModel):
    typename__: Literal["DatasetVersionSuccess"] = Field(alias="__typename")
    replayed: bool
    dataset_version: "RegisterDatasetVersionRegisterDatasetVersionDatasetVersionSuccessDatasetVersion" = Field(
        alias="datasetVersion"
    )


class RegisterDatasetVersionRegisterDatasetVersionDatasetVersionSuccessDatasetVersion(
    BaseModel
):
    id: str
    dataset: str
    version: int
    source_uri: Optional[str] = Field(alias="sourceUri")
    digest: Optional[str]


class RegisterDatasetVersionRegisterDatasetVersionValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RegisterDatasetVersionRegisterDatasetVersionNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RegisterDatasetVersionRegisterDatasetVersionConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RegisterDatasetVersionRegisterDatasetVersionPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class RegisterDatasetVersionRegisterDatasetVersionUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RegisterDatasetVersionRegisterDatasetVersionReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


RegisterDatasetVersion.model_rebuild()
RegisterDatasetVersionRegisterDatasetVersionDatasetVersionSuccess.model_rebuild()
