from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import AliasFields


class AliasHistory(BaseModel):
    model: Optional["AliasHistoryModel"]


class AliasHistoryModel(BaseModel):
    alias_history: list["AliasHistoryModelAliasHistory"] = Field(alias="aliasHistory")


AliasHistoryModelAliasHistory = AliasFields
AliasHistory.model_rebuild()
AliasHistoryModel.model_rebuild()
