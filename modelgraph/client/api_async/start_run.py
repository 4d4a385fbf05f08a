from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .fragments import RunFields


class StartRun(BaseModel):
    start_run: Union[
        "StartRunStartRunRunSuccess",
        "StartRunStartRunValidationError",
        "StartRunStartRunNotFoundError",
        "StartRunStartRunConflictError",
        "StartRunStartRunPermissionDeniedError",
        "StartRunStartRunUnavailableError",
        "StartRunStartRunReviewRequired",
    ] = Field(alias="startRun", discriminator="typename__")


class StartRunStartRunRunSuccess(BaseModel):
    typename__: Literal["RunSuccess"] = Field(alias="__typename")
    replayed: bool
    run: "StartRunStartRunRunSuccessRun"


StartRunStartRunRunSuccessRun = RunFields


class StartRunStartRunValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class StartRunStartRunNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class StartRunStartRunConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class StartRunStartRunPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class StartRunStartRunUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class StartRunStartRunReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


StartRun.model_rebuild()
StartRunStartRunRunSuccess.model_rebuild()
