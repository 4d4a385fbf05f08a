from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class RecordEvaluation(BaseModel):
    record_evaluation: Union[
        "RecordEvaluationRecordEvaluationHistoryWriteSuccess",
        "RecordEvaluationRecordEvaluationValidationError",
        "RecordEvaluationRecordEvaluationNotFoundError",
        "RecordEvaluationRecordEvaluationConflictError",
        "RecordEvaluationRecordEvaluationPermissionDeniedError",
        "RecordEvaluationRecordEvaluationUnavailableError",
        "RecordEvaluationRecordEvaluationReviewRequired",
    ] = Field(alias="recordEvaluation", discriminator="typename__")


class RecordEvaluationRecordEvaluationHistoryWriteSuccess(BaseModel):
    typename__: Literal["HistoryWriteSuccess"] = Field(alias="__typename")
    id: str
    kind: str
    replayed: bool


class RecordEvaluationRecordEvaluationValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RecordEvaluationRecordEvaluationNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RecordEvaluationRecordEvaluationConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RecordEvaluationRecordEvaluationPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class RecordEvaluationRecordEvaluationUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RecordEvaluationRecordEvaluationReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


RecordEvaluation.model_rebuild()
