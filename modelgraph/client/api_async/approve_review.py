from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .fragments import ReviewFields


class ApproveReview(BaseModel):
    approve_review: Union[
        "ApproveReviewApproveReviewReviewDecided",
        "ApproveReviewApproveReviewValidationError",
        "ApproveReviewApproveReviewNotFoundError",
        "ApproveReviewApproveReviewConflictError",
        "ApproveReviewApproveReviewPermissionDeniedError",
        "ApproveReviewApproveReviewUnavailableError",
        "ApproveReviewApproveReviewReviewRequired",
    ] = Field(alias="approveReview", discriminator="typename__")


class ApproveReviewApproveReviewReviewDecided(BaseModel):
    typename__: Literal["ReviewDecided"] = Field(alias="__typename")
    review: "ApproveReviewApproveReviewReviewDecidedReview"


ApproveReviewApproveReviewReviewDecidedReview = ReviewFields


class ApproveReviewApproveReviewValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class ApproveReviewApproveReviewNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class ApproveReviewApproveReviewConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class ApproveReviewApproveReviewPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class ApproveReviewApproveReviewUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class ApproveReviewApproveReviewReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


ApproveReview.model_rebuild()
ApproveReviewApproveReviewReviewDecided.model_rebuild()
