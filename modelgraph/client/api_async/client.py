from typing import Any, Optional, Union

from .add_run_inputs import AddRunInputs
from .alias_history import AliasHistory
from .approve_review import ApproveReview
from .async_base import AsyncBaseClient
from .base_model import UNSET, UnsetType
from .create_experiment import CreateExperiment
from .create_model import CreateModel
from .create_project import CreateProject
from .dataset_version_by_source import DatasetVersionBySource
from .dataset_version_lookup import DatasetVersionLookup
from .experiment_by_name import ExperimentByName
from .experiment_runs import ExperimentRuns
from .finish_run import FinishRun
from .get_model import GetModel
from .get_model_version import GetModelVersion
from .get_run import GetRun
from .input_types import (
    AddRunInputsInput,
    CreateExperimentInput,
    CreateModelInput,
    CreateProjectInput,
    DecideReviewInput,
    FinishRunInput,
    LineageInput,
    LogRunMetricsInput,
    PolicyCheckInput,
    RecordEvaluationInput,
    RegisterDatasetVersionInput,
    RegisterModelVersionInput,
    RemoveAliasInput,
    ReportHealthInput,
    ReviewsInput,
    RunMetricHistoryInput,
    SearchInput,
    SetAliasInput,
    StartRunInput,
    UpdateMetadataInput,
)
from .lineage import Lineage
from .list_model_versions import ListModelVersions
from .list_models import ListModels
from .list_reviews import ListReviews
from .log_run_metrics import LogRunMetrics
from .policy_check import PolicyCheck
from .record_evaluation import RecordEvaluation
from .register_dataset_version import RegisterDatasetVersion
from .register_model_version import RegisterModelVersion
from .reject_review import RejectReview
from .remove_alias import RemoveAlias
from .report_health import ReportHealth
from .run_metric_history import RunMetricHistory
from .search import Search
from .set_alias import SetAlias
from .start_run import StartRun
from .update_metadata import UpdateMetadata


def gql(q: str) -> str:
    return q


class Graph(AsyncBaseClient):
    async def create_project(
        self, input: CreateProjectInput, **kwargs: Any
    ) -> CreateProject:
        query = gql("""
            mutation CreateProject($input: CreateProjectInput!) {
              createProject(input: $input) {
                __typename
                ... on ProjectSuccess {
                  replayed
                  project {
                    id
                    name
                  }
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="CreateProject", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CreateProject.model_validate(data)

    async def create_experiment(
        self, input: CreateExperimentInput, **kwargs: Any
    ) -> CreateExperiment:
        query = gql("""
            mutation CreateExperiment($input: CreateExperimentInput!) {
              createExperiment(input: $input) {
                __typename
                ... on ExperimentSuccess {
                  replayed
                  experiment {
                    id
                    name
                  }
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="CreateExperiment",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return CreateExperiment.model_validate(data)

    async def register_dataset_version(
        self, input: RegisterDatasetVersionInput, **kwargs: Any
    ) -> RegisterDatasetVersion:
        query = gql("""
            mutation RegisterDatasetVersion($input: RegisterDatasetVersionInput!) {
              registerDatasetVersion(input: $input) {
                __typename
                ... on DatasetVersionSuccess {
                  replayed
                  datasetVersion {
                    id
                    dataset
                    version
                    sourceUri
                    digest
                  }
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="RegisterDatasetVersion",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RegisterDatasetVersion.model_validate(data)

    async def start_run(self, input: StartRunInput, **kwargs: Any) -> StartRun:
        query = gql("""
            mutation StartRun($input: StartRunInput!) {
              startRun(input: $input) {
                __typename
                ... on RunSuccess {
                  replayed
                  run {
                    ...RunFields
                  }
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }

            fragment RunFields on Run {
              id
              name
              status
              params
              metrics {
                name
                value
              }
              startedAt
              endedAt
              externalId
              experiment {
                id
                name
              }
              inputs {
                __typename
                ... on DatasetVersion {
                  id
                  dataset
                  version
                }
                ... on Feature {
                  id
                  name
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="StartRun", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return StartRun.model_validate(data)

    async def add_run_inputs(
        self, input: AddRunInputsInput, **kwargs: Any
    ) -> AddRunInputs:
        query = gql("""
            mutation AddRunInputs($input: AddRunInputsInput!) {
              addRunInputs(input: $input) {
                __typename
                ... on RunSuccess {
                  replayed
                  run {
                    ...RunFields
                  }
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }

            fragment RunFields on Run {
              id
              name
              status
              params
              metrics {
                name
                value
              }
              startedAt
              endedAt
              externalId
              experiment {
                id
                name
              }
              inputs {
                __typename
                ... on DatasetVersion {
                  id
                  dataset
                  version
                }
                ... on Feature {
                  id
                  name
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="AddRunInputs", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return AddRunInputs.model_validate(data)

    async def finish_run(self, input: FinishRunInput, **kwargs: Any) -> FinishRun:
        query = gql("""
            mutation FinishRun($input: FinishRunInput!) {
              finishRun(input: $input) {
                __typename
                ... on RunSuccess {
                  replayed
                  run {
                    ...RunFields
                  }
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }

            fragment RunFields on Run {
              id
              name
              status
              params
              metrics {
                name
                value
              }
              startedAt
              endedAt
              externalId
              experiment {
                id
                name
              }
              inputs {
                __typename
                ... on DatasetVersion {
                  id
                  dataset
                  version
                }
                ... on Feature {
                  id
                  name
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="FinishRun", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return FinishRun.model_validate(data)

    async def log_run_metrics(
        self, input: LogRunMetricsInput, **kwargs: Any
    ) -> LogRunMetrics:
        query = gql("""
            mutation LogRunMetrics($input: LogRunMetricsInput!) {
              logRunMetrics(input: $input) {
                __typename
                ... on RunMetricsLogged {
                  logged
                  replayed
                  run {
                    id
                  }
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="LogRunMetrics", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return LogRunMetrics.model_validate(data)

    async def create_model(self, input: CreateModelInput, **kwargs: Any) -> CreateModel:
        query = gql("""
            mutation CreateModel($input: CreateModelInput!) {
              createModel(input: $input) {
                __typename
                ... on ModelSuccess {
                  replayed
                  model {
                    ...ModelFields
                  }
                }
                ...PayloadError
              }
            }

            fragment ModelFields on Model {
              id
              name
              description
              owners
              domain
              task
              tags
              licence
              createdAt
              aliases {
                alias
                version
                versionId
                since
                actor
              }
              custom {
                name
                value
              }
              revision
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="CreateModel", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CreateModel.model_validate(data)

    async def register_model_version(
        self, input: RegisterModelVersionInput, **kwargs: Any
    ) -> RegisterModelVersion:
        query = gql("""
            mutation RegisterModelVersion($input: RegisterModelVersionInput!) {
              registerModelVersion(input: $input) {
                __typename
                ... on ModelVersionSuccess {
                  replayed
                  modelVersion {
                    ...VersionFields
                  }
                }
                ...PayloadError
              }
            }

            fragment ArtifactFields on ArtifactRef {
              uri
              digest
              size
              format
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }

            fragment VersionFields on ModelVersion {
              id
              modelName
              version
              status
              createdAt
              aliases
              notes
              artifact {
                ...ArtifactFields
              }
              run {
                id
                name
                externalId
              }
              custom {
                name
                value
              }
              revision
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="RegisterModelVersion",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RegisterModelVersion.model_validate(data)

    async def set_alias(self, input: SetAliasInput, **kwargs: Any) -> SetAlias:
        query = gql("""
            mutation SetAlias($input: SetAliasInput!) {
              setAlias(input: $input) {
                __typename
                ... on AliasSuccess {
                  replayed
                  model {
                    ...ModelFields
                  }
                }
                ...PayloadError
              }
            }

            fragment ModelFields on Model {
              id
              name
              description
              owners
              domain
              task
              tags
              licence
              createdAt
              aliases {
                alias
                version
                versionId
                since
                actor
              }
              custom {
                name
                value
              }
              revision
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="SetAlias", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return SetAlias.model_validate(data)

    async def remove_alias(self, input: RemoveAliasInput, **kwargs: Any) -> RemoveAlias:
        query = gql("""
            mutation RemoveAlias($input: RemoveAliasInput!) {
              removeAlias(input: $input) {
                __typename
                ... on AliasSuccess {
                  replayed
                  model {
                    ...ModelFields
                  }
                }
                ...PayloadError
              }
            }

            fragment ModelFields on Model {
              id
              name
              description
              owners
              domain
              task
              tags
              licence
              createdAt
              aliases {
                alias
                version
                versionId
                since
                actor
              }
              custom {
                name
                value
              }
              revision
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="RemoveAlias", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RemoveAlias.model_validate(data)

    async def update_metadata(
        self, input: UpdateMetadataInput, **kwargs: Any
    ) -> UpdateMetadata:
        query = gql("""
            mutation UpdateMetadata($input: UpdateMetadataInput!) {
              updateMetadata(input: $input) {
                __typename
                ... on UpdateSuccess {
                  replayed
                  node {
                    __typename
                    id
                  }
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="UpdateMetadata", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return UpdateMetadata.model_validate(data)

    async def record_evaluation(
        self, input: RecordEvaluationInput, **kwargs: Any
    ) -> RecordEvaluation:
        query = gql("""
            mutation RecordEvaluation($input: RecordEvaluationInput!) {
              recordEvaluation(input: $input) {
                __typename
                ... on HistoryWriteSuccess {
                  id
                  kind
                  replayed
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="RecordEvaluation",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RecordEvaluation.model_validate(data)

    async def report_health(
        self, input: ReportHealthInput, **kwargs: Any
    ) -> ReportHealth:
        query = gql("""
            mutation ReportHealth($input: ReportHealthInput!) {
              reportHealth(input: $input) {
                __typename
                ... on HistoryWriteSuccess {
                  id
                  kind
                  replayed
                  result
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="ReportHealth", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ReportHealth.model_validate(data)

    async def approve_review(
        self, input: DecideReviewInput, **kwargs: Any
    ) -> ApproveReview:
        query = gql("""
            mutation ApproveReview($input: DecideReviewInput!) {
              approveReview(input: $input) {
                __typename
                ... on ReviewDecided {
                  review {
                    ...ReviewFields
                  }
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }

            fragment ReviewFields on Review {
              id
              command
              action
              targetId
              requestedBy
              reasons
              status
              createdAt
              decidedBy
              comment
              resultId
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="ApproveReview", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ApproveReview.model_validate(data)

    async def reject_review(
        self, input: DecideReviewInput, **kwargs: Any
    ) -> RejectReview:
        query = gql("""
            mutation RejectReview($input: DecideReviewInput!) {
              rejectReview(input: $input) {
                __typename
                ... on ReviewDecided {
                  review {
                    ...ReviewFields
                  }
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }

            fragment ReviewFields on Review {
              id
              command
              action
              targetId
              requestedBy
              reasons
              status
              createdAt
              decidedBy
              comment
              resultId
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="RejectReview", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RejectReview.model_validate(data)

    async def get_model(self, name: str, **kwargs: Any) -> GetModel:
        query = gql("""
            query GetModel($name: String!) {
              model(name: $name) {
                ...ModelFields
              }
            }

            fragment ModelFields on Model {
              id
              name
              description
              owners
              domain
              task
              tags
              licence
              createdAt
              aliases {
                alias
                version
                versionId
                since
                actor
              }
              custom {
                name
                value
              }
              revision
            }
            """)
        variables: dict[str, object] = {"name": name}
        response = await self.execute(
            query=query, operation_name="GetModel", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return GetModel.model_validate(data)

    async def list_models(
        self, first: int, after: Union[Optional[str], UnsetType] = UNSET, **kwargs: Any
    ) -> ListModels:
        query = gql("""
            query ListModels($first: Int!, $after: String) {
              models(first: $first, after: $after) {
                edges {
                  node {
                    ...ModelFields
                  }
                }
                pageInfo {
                  hasNextPage
                  endCursor
                }
              }
            }

            fragment ModelFields on Model {
              id
              name
              description
              owners
              domain
              task
              tags
              licence
              createdAt
              aliases {
                alias
                version
                versionId
                since
                actor
              }
              custom {
                name
                value
              }
              revision
            }
            """)
        variables: dict[str, object] = {"first": first, "after": after}
        response = await self.execute(
            query=query, operation_name="ListModels", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ListModels.model_validate(data)

    async def get_model_version(
        self,
        model: str,
        version: Union[Optional[int], UnsetType] = UNSET,
        alias: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> GetModelVersion:
        query = gql("""
            query GetModelVersion($model: String!, $version: Int, $alias: String) {
              modelVersion(model: $model, version: $version, alias: $alias) {
                ...VersionFields
              }
            }

            fragment ArtifactFields on ArtifactRef {
              uri
              digest
              size
              format
            }

            fragment VersionFields on ModelVersion {
              id
              modelName
              version
              status
              createdAt
              aliases
              notes
              artifact {
                ...ArtifactFields
              }
              run {
                id
                name
                externalId
              }
              custom {
                name
                value
              }
              revision
            }
            """)
        variables: dict[str, object] = {
            "model": model,
            "version": version,
            "alias": alias,
        }
        response = await self.execute(
            query=query, operation_name="GetModelVersion", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return GetModelVersion.model_validate(data)

    async def list_model_versions(
        self,
        model: str,
        first: int,
        after: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> ListModelVersions:
        query = gql("""
            query ListModelVersions($model: String!, $first: Int!, $after: String) {
              model(name: $model) {
                versions(first: $first, after: $after) {
                  edges {
                    node {
                      ...VersionFields
                    }
                  }
                  pageInfo {
                    hasNextPage
                    endCursor
                  }
                }
              }
            }

            fragment ArtifactFields on ArtifactRef {
              uri
              digest
              size
              format
            }

            fragment VersionFields on ModelVersion {
              id
              modelName
              version
              status
              createdAt
              aliases
              notes
              artifact {
                ...ArtifactFields
              }
              run {
                id
                name
                externalId
              }
              custom {
                name
                value
              }
              revision
            }
            """)
        variables: dict[str, object] = {"model": model, "first": first, "after": after}
        response = await self.execute(
            query=query,
            operation_name="ListModelVersions",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return ListModelVersions.model_validate(data)

    async def alias_history(
        self, model: str, alias: Union[Optional[str], UnsetType] = UNSET, **kwargs: Any
    ) -> AliasHistory:
        query = gql("""
            query AliasHistory($model: String!, $alias: String) {
              model(name: $model) {
                aliasHistory(alias: $alias) {
                  ...AliasFields
                }
              }
            }

            fragment AliasFields on AliasState {
              alias
              version
              versionId
              since
              until
              actor
            }
            """)
        variables: dict[str, object] = {"model": model, "alias": alias}
        response = await self.execute(
            query=query, operation_name="AliasHistory", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return AliasHistory.model_validate(data)

    async def get_run(self, id: str, **kwargs: Any) -> GetRun:
        query = gql("""
            query GetRun($id: ID!) {
              run(id: $id) {
                ...RunFields
              }
            }

            fragment RunFields on Run {
              id
              name
              status
              params
              metrics {
                name
                value
              }
              startedAt
              endedAt
              externalId
              experiment {
                id
                name
              }
              inputs {
                __typename
                ... on DatasetVersion {
                  id
                  dataset
                  version
                }
                ... on Feature {
                  id
                  name
                }
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="GetRun", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return GetRun.model_validate(data)

    async def experiment_runs(
        self,
        id: str,
        first: int,
        after: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> ExperimentRuns:
        query = gql("""
            query ExperimentRuns($id: ID!, $first: Int!, $after: String) {
              experiment(id: $id) {
                runs(first: $first, after: $after) {
                  edges {
                    node {
                      ...RunFields
                    }
                  }
                  pageInfo {
                    hasNextPage
                    endCursor
                  }
                }
              }
            }

            fragment RunFields on Run {
              id
              name
              status
              params
              metrics {
                name
                value
              }
              startedAt
              endedAt
              externalId
              experiment {
                id
                name
              }
              inputs {
                __typename
                ... on DatasetVersion {
                  id
                  dataset
                  version
                }
                ... on Feature {
                  id
                  name
                }
              }
            }
            """)
        variables: dict[str, object] = {"id": id, "first": first, "after": after}
        response = await self.execute(
            query=query, operation_name="ExperimentRuns", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ExperimentRuns.model_validate(data)

    async def experiment_by_name(
        self, project: str, name: str, **kwargs: Any
    ) -> ExperimentByName:
        query = gql("""
            query ExperimentByName($project: String!, $name: String!) {
              experimentByName(project: $project, name: $name) {
                id
                name
                project {
                  id
                  name
                }
              }
            }
            """)
        variables: dict[str, object] = {"project": project, "name": name}
        response = await self.execute(
            query=query,
            operation_name="ExperimentByName",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return ExperimentByName.model_validate(data)

    async def run_metric_history(
        self, input: RunMetricHistoryInput, **kwargs: Any
    ) -> RunMetricHistory:
        query = gql("""
            query RunMetricHistory($input: RunMetricHistoryInput!) {
              runMetricHistory(input: $input) {
                points {
                  name
                  value
                  step
                  at
                }
                hasNextPage
                endCursor
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="RunMetricHistory",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RunMetricHistory.model_validate(data)

    async def dataset_version_lookup(
        self,
        dataset: str,
        version: Union[Optional[int], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> DatasetVersionLookup:
        query = gql("""
            query DatasetVersionLookup($dataset: String!, $version: Int) {
              datasetVersion(dataset: $dataset, version: $version) {
                id
                dataset
                version
                sourceUri
                digest
              }
            }
            """)
        variables: dict[str, object] = {"dataset": dataset, "version": version}
        response = await self.execute(
            query=query,
            operation_name="DatasetVersionLookup",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return DatasetVersionLookup.model_validate(data)

    async def dataset_version_by_source(
        self, source_uri: str, **kwargs: Any
    ) -> DatasetVersionBySource:
        query = gql("""
            query DatasetVersionBySource($sourceUri: String!) {
              datasetVersion(sourceUri: $sourceUri) {
                id
                dataset
                version
                sourceUri
                digest
              }
            }
            """)
        variables: dict[str, object] = {"sourceUri": source_uri}
        response = await self.execute(
            query=query,
            operation_name="DatasetVersionBySource",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return DatasetVersionBySource.model_validate(data)

    async def search(self, input: SearchInput, **kwargs: Any) -> Search:
        query = gql("""
            query Search($input: SearchInput!) {
              search(input: $input) {
                __typename
                ... on SearchResults {
                  total
                  totalIsExact
                  hasNextPage
                  endCursor
                  hits {
                    id
                    modelName
                    version
                    score
                    aliases
                    domain
                    task
                    metrics
                  }
                  facets {
                    field
                    values {
                      value
                      count
                    }
                  }
                }
                ...PayloadError
              }
            }

            fragment PayloadError on Error {
              code
              message
              field
              ... on PermissionDeniedError {
                reasons
              }
              ... on ReviewRequired {
                reviewId
                reasons
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="Search", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Search.model_validate(data)

    async def lineage(self, input: LineageInput, **kwargs: Any) -> Lineage:
        query = gql("""
            query Lineage($input: LineageInput!) {
              lineage(input: $input) {
                truncated
                nodes {
                  id
                  kind
                  label
                  properties
                }
                edges {
                  source
                  target
                  type
                  properties
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="Lineage", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Lineage.model_validate(data)

    async def list_reviews(
        self, input: Union[Optional[ReviewsInput], UnsetType] = UNSET, **kwargs: Any
    ) -> ListReviews:
        query = gql("""
            query ListReviews($input: ReviewsInput) {
              reviews(input: $input) {
                edges {
                  node {
                    ...ReviewFields
                  }
                }
                pageInfo {
                  hasNextPage
                  endCursor
                }
              }
            }

            fragment ReviewFields on Review {
              id
              command
              action
              targetId
              requestedBy
              reasons
              status
              createdAt
              decidedBy
              comment
              resultId
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="ListReviews", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ListReviews.model_validate(data)

    async def policy_check(self, input: PolicyCheckInput, **kwargs: Any) -> PolicyCheck:
        query = gql("""
            query PolicyCheck($input: PolicyCheckInput!) {
              policyCheck(input: $input) {
                allow
                requiresReview
                reasons
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="PolicyCheck", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return PolicyCheck.model_validate(data)
