from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import ModelFields


class ListModels(BaseModel):
    models: "ListModelsModels"


class ListModelsModels(BaseModel):
    edges: list["ListModelsModelsEdges"]
    page_info: "ListModelsModelsPageInfo" = Field(alias="pageInfo")


class ListModelsModelsEdges(BaseModel):
    node: "ListModelsModelsEdgesNode"


ListModelsModelsEdgesNode = ModelFields


class ListModelsModelsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


ListModels.model_rebuild()
ListModelsModels.model_rebuild()
ListModelsModelsEdges.model_rebuild()
