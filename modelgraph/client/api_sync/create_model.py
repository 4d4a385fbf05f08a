from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .fragments import ModelFields


class CreateModel(BaseModel):
    create_model: Union[
        "CreateModelCreateModelModelSuccess",
        "CreateModelCreateModelValidationError",
        "CreateModelCreateModelNotFoundError",
        "CreateModelCreateModelConflictError",
        "CreateModelCreateModelPermissionDeniedError",
        "CreateModelCreateModelUnavailableError",
        "CreateModelCreateModelReviewRequired",
    ] = Field(alias="createModel", discriminator="typename__")


class CreateModelCreateModelModelSuccess(BaseModel):
    typename__: Literal["ModelSuccess"] = Field(alias="__typename")
    replayed: bool
    model: "CreateModelCreateModelModelSuccessModel"


CreateModelCreateModelModelSuccessModel = ModelFields


class CreateModelCreateModelValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class CreateModelCreateModelNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class CreateModelCreateModelConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class CreateModelCreateModelPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class CreateModelCreateModelUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class CreateModelCreateModelReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


CreateModel.model_rebuild()
CreateModelCreateModelModelSuccess.model_rebuild()
