from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .fragments import ModelFields


class RemoveAlias(BaseModel):
    remove_alias: Union[
        "RemoveAliasRemoveAliasAliasSuccess",
        "RemoveAliasRemoveAliasValidationError",
        "RemoveAliasRemoveAliasNotFoundError",
        "RemoveAliasRemoveAliasConflictError",
        "RemoveAliasRemoveAliasPermissionDeniedError",
        "RemoveAliasRemoveAliasUnavailableError",
        "RemoveAliasRemoveAliasReviewRequired",
    ] = Field(alias="removeAlias", discriminator="typename__")


class RemoveAliasRemoveAliasAliasSuccess(BaseModel):
    typename__: Literal["AliasSuccess"] = Field(alias="__typename")
    replayed: bool
    model: "RemoveAliasRemoveAliasAliasSuccessModel"


RemoveAliasRemoveAliasAliasSuccessModel = ModelFields


class RemoveAliasRemoveAliasValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RemoveAliasRemoveAliasNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RemoveAliasRemoveAliasConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RemoveAliasRemoveAliasPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class RemoveAliasRemoveAliasUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RemoveAliasRemoveAliasReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


RemoveAlias.model_rebuild()
RemoveAliasRemoveAliasAliasSuccess.model_rebuild()
