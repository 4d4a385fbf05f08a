from typing import Any

from pydantic import Field

from .base_model import BaseModel
from .enums import LineageEdgeType, LineageNodeKind


class Lineage(BaseModel):
    lineage: "LineageLineage"


class LineageLineage(BaseModel):
    truncated: bool
    nodes: list["LineageLineageNodes"]
    edges: list["LineageLineageEdges"]


class LineageLineageNodes(BaseModel):
    id: str
    kind: LineageNodeKind
    label: str
    properties: Any


class LineageLineageEdges(BaseModel):
    source: str
    target: str
    type_: LineageEdgeType = Field(alias="type")
    properties: Any


Lineage.model_rebuild()
LineageLineage.model_rebuild()
