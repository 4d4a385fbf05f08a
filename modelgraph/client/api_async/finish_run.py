from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .fragments import RunFields


class FinishRun(BaseModel):
    finish_run: Union[
        "FinishRunFinishRunRunSuccess",
        "FinishRunFinishRunValidationError",
        "FinishRunFinishRunNotFoundError",
        "FinishRunFinishRunConflictError",
        "FinishRunFinishRunPermissionDeniedError",
        "FinishRunFinishRunUnavailableError",
        "FinishRunFinishRunReviewRequired",
    ] = Field(alias="finishRun", discriminator="typename__")


class FinishRunFinishRunRunSuccess(BaseModel):
    typename__: Literal["RunSuccess"] = Field(alias="__typename")
    replayed: bool
    run: "FinishRunFinishRunRunSuccessRun"


FinishRunFinishRunRunSuccessRun = RunFields


class FinishRunFinishRunValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class FinishRunFinishRunNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class FinishRunFinishRunConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class FinishRunFinishRunPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class FinishRunFinishRunUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class FinishRunFinishRunReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


FinishRun.model_rebuild()
FinishRunFinishRunRunSuccess.model_rebuild()
