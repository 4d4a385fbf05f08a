from typing import Any, Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class ReportHealth(BaseModel):
    report_health: Union[
        "ReportHealthReportHealthHistoryWriteSuccess",
        "ReportHealthReportHealthValidationError",
        "ReportHealthReportHealthNotFoundError",
        "ReportHealthReportHealthConflictError",
        "ReportHealthReportHealthPermissionDeniedError",
        "ReportHealthReportHealthUnavailableError",
        "ReportHealthReportHealthReviewRequired",
    ] = Field(alias="reportHealth", discriminator="typename__")


class ReportHealthReportHealthHistoryWriteSuccess(BaseModel):
    typename__: Literal["HistoryWriteSuccess"] = Field(alias="__typename")
    id: str
    kind: str
    replayed: bool
    result: Any


class ReportHealthReportHealthValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class ReportHealthReportHealthNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class ReportHealthReportHealthConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class ReportHealthReportHealthPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class ReportHealthReportHealthUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class ReportHealthReportHealthReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


ReportHealth.model_rebuild()
