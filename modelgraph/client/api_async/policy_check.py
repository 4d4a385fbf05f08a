from pydantic import Field

from .base_model import BaseModel


class PolicyCheck(BaseModel):
    policy_check: "PolicyCheckPolicyCheck" = Field(alias="policyCheck")


class PolicyCheckPolicyCheck(BaseModel):
    allow: bool
    requires_review: bool = Field(alias="requiresReview")
    reasons: list[str]


PolicyCheck.model_rebuild()
