from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import RunFields


class ExperimentRuns(BaseModel):
    experiment: Optional["ExperimentRunsExperiment"]


class ExperimentRunsExperiment(BaseModel):
    runs: "ExperimentRunsExperimentRuns"


class ExperimentRunsExperimentRuns(BaseModel):
    edges: list["ExperimentRunsExperimentRunsEdges"]
    page_info: "ExperimentRunsExperimentRunsPageInfo" = Field(alias="pageInfo")


class ExperimentRunsExperimentRunsEdges(BaseModel):
    node: "ExperimentRunsExperimentRunsEdgesNode"


ExperimentRunsExperimentRunsEdgesNode = RunFields


class ExperimentRunsExperimentRunsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


ExperimentRuns.model_rebuild()
ExperimentRunsExperiment.model_rebuild()
ExperimentRunsExperimentRuns.model_rebuild()
ExperimentRunsExperimentRunsEdges.model_rebuild()
