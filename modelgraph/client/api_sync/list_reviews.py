from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import ReviewFields


class ListReviews(BaseModel):
    reviews: "ListReviewsReviews"


class ListReviewsReviews(BaseModel):
    edges: list["ListReviewsReviewsEdges"]
    page_info: "ListReviewsReviewsPageInfo" = Field(alias="pageInfo")


class ListReviewsReviewsEdges(BaseModel):
    node: "ListReviewsReviewsEdgesNode"


ListReviewsReviewsEdgesNode = ReviewFields


class ListReviewsReviewsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


ListReviews.model_rebuild()
ListReviewsReviews.model_rebuild()
ListReviewsReviewsEdges.model_rebuild()
