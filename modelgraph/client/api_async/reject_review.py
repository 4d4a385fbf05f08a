from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .fragments import ReviewFields


class RejectReview(BaseModel):
    reject_review: Union[
        "RejectReviewRejectReviewReviewDecided",
        "RejectReviewRejectReviewValidationError",
        "RejectReviewRejectReviewNotFoundError",
        "RejectReviewRejectReviewConflictError",
        "RejectReviewRejectReviewPermissionDeniedError",
        "RejectReviewRejectReviewUnavailableError",
        "RejectReviewRejectReviewReviewRequired",
    ] = Field(alias="rejectReview", discriminator="typename__")


class RejectReviewRejectReviewReviewDecided(BaseModel):
    typename__: Literal["ReviewDecided"] = Field(alias="__typename")
    review: "RejectReviewRejectReviewReviewDecidedReview"


RejectReviewRejectReviewReviewDecidedReview = ReviewFields


class RejectReviewRejectReviewValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RejectReviewRejectReviewNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RejectReviewRejectReviewConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RejectReviewRejectReviewPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class RejectReviewRejectReviewUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class RejectReviewRejectReviewReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


RejectReview.model_rebuild()
RejectReviewRejectReviewReviewDecided.model_rebuild()
