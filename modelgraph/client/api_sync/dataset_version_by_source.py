from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class DatasetVersionBySource(BaseModel):
    dataset_version: Optional["DatasetVersionBySourceDatasetVersion"] = Field(
        alias="datasetVersion"
    )


class DatasetVersionBySourceDatasetVersion(BaseModel):
    id: str
    dataset: str
    version: int
    source_uri: Optional[str] = Field(alias="sourceUri")
    digest: Optional[str]


DatasetVersionBySource.model_rebuild()
