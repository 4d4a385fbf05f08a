from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class CreateProject(BaseModel):
    create_project: Union[
        "CreateProjectCreateProjectProjectSuccess",
        "CreateProjectCreateProjectValidationError",
        "CreateProjectCreateProjectNotFoundError",
        "CreateProjectCreateProjectConflictError",
        "CreateProjectCreateProjectPermissionDeniedError",
        "CreateProjectCreateProjectUnavailableError",
        "CreateProjectCreateProjectReviewRequired",
    ] = Field(alias="createProject", discriminator="typename__")


class CreateProjectCreateProjectProjectSuccess(BaseModel):
    typename__: Literal["ProjectSuccess"] = Field(alias="__typename")
    replayed: bool
    project: "CreateProjectCreateProjectProjectSuccessProject"


class CreateProjectCreateProjectProjectSuccessProject(BaseModel):
    id: str
    name: str


class CreateProjectCreateProjectValidationError(BaseModel):
    typename__: Literal["ValidationError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class CreateProjectCreateProjectNotFoundError(BaseModel):
    typename__: Literal["NotFoundError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class CreateProjectCreateProjectConflictError(BaseModel):
    typename__: Literal["ConflictError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class CreateProjectCreateProjectPermissionDeniedError(BaseModel):
    typename__: Literal["PermissionDeniedError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    reasons: list[str]


class CreateProjectCreateProjectUnavailableError(BaseModel):
    typename__: Literal["UnavailableError"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]


class CreateProjectCreateProjectReviewRequired(BaseModel):
    typename__: Literal["ReviewRequired"] = Field(alias="__typename")
    code: str
    message: str
    field: Optional[str]
    review_id: str = Field(alias="reviewId")
    reasons: list[str]


CreateProject.model_rebuild()
CreateProjectCreateProjectProjectSuccess.model_rebuild()
