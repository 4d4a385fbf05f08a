from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class LogRunMetrics(BaseModel):
    log_run_metrics: Union[
        "LogRunMetricsLogRunMetricsRunMetricsLogged",
        "LogRunMetricsLogRunMetricsValidationError",
        "LogRunMetricsLogRunMetricsNotFoundError",
        "LogRunMetricsLogRunMetricsConflictError",
        "LogRunMetricsLogRunMetricsPermissionDeniedError",
        "LogRunMetricsLogRunMetricsUnavailableError",
        "LogRunMetricsLogRunMetricsReviewRequired",
    ] = Field(alias="logRunMetrics", discriminator="typename__")


class LogRunMetricsLogRunMetricsRunMetricsLogged(BaseModel):
    typename__: Literal["RunMetricsLogged"] = Field(alias="__typename")
    logged: int
    replayed: bool
    run: "LogRunMetricsLogRunMetricsRunMetricsLoggedRun"


class LogRunMetricsLogRunMetricsRunMetricsLoggedRun(BaseModel):
    id: str


class LogRunMetricsLogRunMetricsValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class LogRunMetricsLogRunMetricsNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class LogRunMetricsLogRunMetricsConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class LogRunMetricsLogRunMetricsPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class LogRunMetricsLogRunMetricsUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class LogRunMetricsLogRunMetricsReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


LogRunMetrics.model_rebuild()
LogRunMetricsLogRunMetricsRunMetricsLogged.model_rebuild()
