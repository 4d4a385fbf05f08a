from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class RunMetricHistory(BaseModel):
    run_metric_history: "RunMetricHistoryRunMetricHistory" = Field(
        alias="runMetricHistory"
    )


class RunMetricHistoryRunMetricHistory(BaseModel):
    points: list["RunMetricHistoryRunMetricHistoryPoints"]
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class RunMetricHistoryRunMetricHistoryPoints(BaseModel):
    name: str
    value: float
    step: int
    at: datetime


RunMetricHistory.model_rebuild()
RunMetricHistoryRunMetricHistory.model_rebuild()
