from typing import Optional

from .base_model import BaseModel
from .fragments import ModelFields


class GetModel(BaseModel):
    model: Optional["GetModelModel"]


GetModelModel = ModelFields
GetModel.model_rebuild()
