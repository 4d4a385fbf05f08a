from typing import Any, Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .enums import FilterField


class Search(BaseModel):
    search: Union[
        "SearchSearchSearchResults",
        "SearchSearchValidationError",
        "SearchSearchNotFoundError",
        "SearchSearchConflictError",
        "SearchSearchPermissionDeniedError",
        "SearchSearchUnavailableError",
        "SearchSearchReviewRequired",
    ] = Field(discriminator="typename__")


class SearchSearchSearchResults(BaseModel):
    typename__: Literal["SearchResults"] = Field(alias="__typename")
    total: int
    total_is_exact: bool = Field(alias="totalIsExact")
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")
    hits: list["SearchSearchSearchResultsHits"]
    facets: list["SearchSearchSearchResultsFacets"]


class SearchSearchSearchResultsHits(BaseModel):
    id: str
    model_name: str = Field(alias="modelName")
    version: int
    score: float
    aliases: list[str]
    domain: Optional[str]
    task: Optional[str]
    metrics: Any


class SearchSearchSearchResultsFacets(BaseModel):
    field: FilterField
    values: list["SearchSearchSearchResultsFacetsValues"]


class SearchSearchSearchResultsFacetsValues(BaseModel):
    value: str
    count: int


class SearchSearchValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class SearchSearchNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class SearchSearchConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class SearchSearchPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class SearchSearchUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class SearchSearchReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


Search.model_rebuild()
SearchSearchSearchResults.model_rebuild()
SearchSearchSearchResultsFacets.model_rebuild()
