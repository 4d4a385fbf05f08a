from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .fragments import ModelFields


class SetAlias(BaseModel):
    set_alias: Union[
        "SetAliasSetAliasAliasSuccess",
        "SetAliasSetAliasValidationError",
        "SetAliasSetAliasNotFoundError",
        "SetAliasSetAliasConflictError",
        "SetAliasSetAliasPermissionDeniedError",
        "SetAliasSetAliasUnavailableError",
        "SetAliasSetAliasReviewRequired",
    ] = Field(alias="setAlias", discriminator="typename__")


class SetAliasSetAliasAliasSuccess(BaseModel):
    typename__: Literal["AliasSuccess"] = Field(alias="__typename")
    replayed: bool
    model: "SetAliasSetAliasAliasSuccessModel"


SetAliasSetAliasAliasSuccessModel = ModelFields


class SetAliasSetAliasValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class SetAliasSetAliasNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class SetAliasSetAliasConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class SetAliasSetAliasPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class SetAliasSetAliasUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class SetAliasSetAliasReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


SetAlias.model_rebuild()
SetAliasSetAliasAliasSuccess.model_rebuild()
