from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import VersionFields


class GetModelVersion(BaseModel):
    model_version: Optional["GetModelVersionModelVersion"] = Field(alias="modelVersion")


GetModelVersionModelVersion = VersionFields
GetModelVersion.model_rebuild()
