from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class DatasetVersionLookup(BaseModel):
    dataset_version: Optional["DatasetVersionLookupDatasetVersion"] = Field(
        alias="datasetVersion"
    )


class DatasetVersionLookupDatasetVersion(BaseModel):
    id: str
    dataset: str
    version: int
    source_uri: Optional[str] = Field(alias="sourceUri")
    digest: Optional[str]


DatasetVersionLookup.model_rebuild()
