from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .fragments import RunFields


class AddRunInputs(BaseModel):
    add_run_inputs: Union[
        "AddRunInputsAddRunInputsRunSuccess",
        "AddRunInputsAddRunInputsValidationError",
        "AddRunInputsAddRunInputsNotFoundError",
        "AddRunInputsAddRunInputsConflictError",
        "AddRunInputsAddRunInputsPermissionDeniedError",
        "AddRunInputsAddRunInputsUnavailableError",
        "AddRunInputsAddRunInputsReviewRequired",
    ] = Field(alias="addRunInputs", discriminator="typename__")


class AddRunInputsAddRunInputsRunSuccess(BaseModel):
    typename__: Literal["RunSuccess"] = Field(alias="__typename")
    replayed: bool
    run: "AddRunInputsAddRunInputsRunSuccessRun"


AddRunInputsAddRunInputsRunSuccessRun = RunFields


class AddRunInputsAddRunInputsValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class AddRunInputsAddRunInputsNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class AddRunInputsAddRunInputsConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class AddRunInputsAddRunInputsPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class AddRunInputsAddRunInputsUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class AddRunInputsAddRunInputsReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


AddRunInputs.model_rebuild()
AddRunInputsAddRunInputsRunSuccess.model_rebuild()
