from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import VersionFields


class ListModelVersions(BaseModel):
    model: Optional["ListModelVersionsModel"]


class ListModelVersionsModel(BaseModel):
    versions: "ListModelVersionsModelVersions"


class ListModelVersionsModelVersions(BaseModel):
    edges: list["ListModelVersionsModelVersionsEdges"]
    page_info: "ListModelVersionsModelVersionsPageInfo" = Field(alias="pageInfo")


class ListModelVersionsModelVersionsEdges(BaseModel):
    node: "ListModelVersionsModelVersionsEdgesNode"


ListModelVersionsModelVersionsEdgesNode = VersionFields


class ListModelVersionsModelVersionsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


ListModelVersions.model_rebuild()
ListModelVersionsModel.model_rebuild()
ListModelVersionsModelVersions.model_rebuild()
ListModelVersionsModelVersionsEdges.model_rebuild()
