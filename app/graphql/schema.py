"""Compose the per-domain Query/Mutation classes into one schema with the API's limits."""

from __future__ import annotations

import logging
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from app.config import Settings
from app.errors import RegistryError
from app.graphql.core import CoreMutation, CoreQuery
from app.graphql.cost import QueryCost
from app.graphql.disclosure import DisclosureAudit
from app.graphql.events import EventsMutation, EventsQuery, EventsSubscription
from app.graphql.governance import GovernanceMutation, GovernanceQuery
from app.graphql.history import HistoryMutation, HistoryQuery, HistorySubscription
from app.graphql.outcomes import FiniteNumbers, TypedErrors
from app.graphql.production import ProductionQuery
from app.graphql.queries.registry import RegistryQuery
from app.graphql.read_gate import ReadGate
from app.graphql.run_metrics import RunMetricsMutation, RunMetricsQuery
from app.graphql.search import SearchMutation, SearchQuery
from app.graphql.types.core import (
    DatasetVersion,
    Evaluation,
    Experiment,
    Feature,
    Model,
    ModelVersion,
    Project,
    Run,
)

log = logging.getLogger(__name__)

SDL_PATH = Path(__file__).with_name("schema.graphql")
# The SDL of the last release: from then on the schema changes only additively (export-schema --check).
RELEASED_SDL_PATH = Path(__file__).with_name("schema.released.graphql")

QUERY_CLASSES: tuple[type, ...] = (
    RegistryQuery,
    CoreQuery,
    GovernanceQuery,
    SearchQuery,
    HistoryQuery,
    ProductionQuery,
    EventsQuery,
    RunMetricsQuery,
)
MUTATION_CLASSES: tuple[type, ...] = (
    CoreMutation,
    GovernanceMutation,
    SearchMutation,
    HistoryMutation,
    EventsMutation,
    RunMetricsMutation,
)
SUBSCRIPTION_CLASSES: tuple[type, ...] = (HistorySubscription, EventsSubscription)
# Node implementations reachable only through the Node interface must be listed.
NODE_TYPES: tuple[type, ...] = (
    Evaluation,
    Project,
    Experiment,
    DatasetVersion,
    Feature,
    Run,
    Model,
    ModelVersion,
)


# Distinct documents kept parsed and validated; clients send the same few operations over and over.
DOCUMENT_CACHE_SIZE = 512


class RegistrySchema(strawberry.Schema):
    """Foreseen failures (registry errors, errors in the caller's document or variables) are typed
    answers, logged as one line; only the unforeseen keeps Strawberry's error log with its traceback
    (TypedErrors also logs it with the request id)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        unforeseen = []
        for error in errors:
            original = error.original_error
            if original is None or isinstance(original, RegistryError | GraphQLError):
                code = (error.extensions or {}).get("code") or getattr(original, "code", "GRAPHQL_VALIDATION_FAILED")
                log.info("graphql error %s at %s: %s", code, error.path, error.message)
            else:
                unforeseen.append(error)
        super().process_errors(unforeseen, execution_context)


def build_schema(settings: Settings) -> strawberry.Schema:
    # The limit rules are built once: the validation cache keys on the rule classes, and a limiter
    # built per request would make a new class (and a cache miss) every time.
    limits = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_query_aliases).validation_rules,
    ]
    query = merge_types("Query", QUERY_CLASSES)
    mutation = merge_types("Mutation", MUTATION_CLASSES)
    subscription = merge_types("Subscription", SUBSCRIPTION_CLASSES)
    return RegistrySchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        types=NODE_TYPES,
        extensions=[
            # Factories, not instances: extension instances must not be shared across requests.
            lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
            lambda: AddValidationRules([*limits, FiniteNumbers]),
            lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: QueryCost(max_cost=settings.max_query_cost),
            ReadGate,
            DisclosureAudit,
            TypedErrors,
        ],
    )


def export_sdl(settings: Settings) -> str:
    return build_schema(settings).as_str() + "\n"


def breaking_changes(released_sdl: str, current_sdl: str) -> list[str]:
    """What a client written against the released SDL would see break in the current one (removed
    types or fields, changed types, new required arguments...); additions are not breaking."""
    from graphql import build_schema as parse_sdl
    from graphql.utilities import find_breaking_changes

    changes = find_breaking_changes(parse_sdl(released_sdl), parse_sdl(current_sdl))
    return [f"{c.type.name}: {c.description}" for c in changes]
