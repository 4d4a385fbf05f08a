from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .fragments import VersionFields


class RegisterModelVersion(BaseModel):
    register_model_version: Union[
        "RegisterModelVersionRegisterModelVersionModelVersionSuccess",
        "RegisterModelVersionRegisterModelVersionValidationError",
        "RegisterModelVersionRegisterModelVersionNotFoundError",
        "RegisterModelVersionRegisterModelVersionConflictError",
        "RegisterModelVersionRegisterModelVersionPermissionDeniedError",
        "RegisterModelVersionRegisterModelVersionUnavailableError",
        "RegisterModelVersionRegisterModelVersionReviewRequired",
    ] = Field(alias="registerModelVersion", discriminator="typename__")


class RegisterModelVersionRegisterModelVersionModelVersionSuccess(BaseModel):
    typename__: Literal["ModelVersionSuccess"] = Field(alias="__typename")
    replayed: bool
    model_version: "RegisterModelVersionRegisterModelVersionModelVersionSuccessModelVersion" = Field(
        alias="modelVersion"
    )


RegisterModelVersionRegisterModelVersionModelVersionSuccessModelVersion = VersionFields


class RegisterModelVersionRegisterModelVersionValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RegisterModelVersionRegisterModelVersionNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RegisterModelVersionRegisterModelVersionConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RegisterModelVersionRegisterModelVersionPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class RegisterModelVersionRegisterModelVersionUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RegisterModelVersionRegisterModelVersionReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


RegisterModelVersion.model_rebuild()
RegisterModelVersionRegisterModelVersionModelVersionSuccess.model_rebuild()
