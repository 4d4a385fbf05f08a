from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class CreateExperiment(BaseModel):
    create_experiment: Union[
        "CreateExperimentCreateExperimentExperimentSuccess",
        "CreateExperimentCreateExperimentValidationError",
        "CreateExperimentCreateExperimentNotFoundError",
        "CreateExperimentCreateExperimentConflictError",
        "CreateExperimentCreateExperimentPermissionDeniedError",
        "CreateExperimentCreateExperimentUnavailableError",
        "CreateExperimentCreateExperimentReviewRequired",
    ] = Field(alias="createExperiment", discriminator="typename__")


class CreateExperimentCreateExperimentExperimentSuccess(BaseModel):
    typename__: Literal["ExperimentSuccess"] = Field(alias="__typename")
    replayed: bool
    experiment: "CreateExperimentCreateExperimentExperimentSuccessExperiment"


class CreateExperimentCreateExperimentExperimentSuccessExperiment(BaseModel):
    id: str
    name: str


class CreateExperimentCreateExperimentValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class CreateExperimentCreateExperimentNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class CreateExperimentCreateExperimentConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class CreateExperimentCreateExperimentPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class CreateExperimentCreateExperimentUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class CreateExperimentCreateExperimentReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


CreateExperiment.model_rebuild()
CreateExperimentCreateExperimentExperimentSuccess.model_rebuild()
