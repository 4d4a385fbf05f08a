"""Every GraphQL operation asks policy once: a principal may read the registry only when policy says
`read` is allowed. Mutations pass the same gate (their payloads carry versions and metrics back) and
then make their own, finer decisions.

A subscription (and anything not sent over HTTP) is asked before it runs. A query over HTTP is asked
while it runs, and a refusal replaces its answer (a query writes nothing; the disclosure audit waits for
the answer). A mutation over HTTP whose root fields all write
through the command path (`execute`, which decides before it writes) is asked together with its first
command decision, in one policy call (app/registry/decisions.py `ReadCheck`); if it ends before deciding
anything, it is asked alone before its answer leaves, and a refusal replaces that answer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult, GraphQLError
from graphql.language import OperationDefinitionNode
from starlette.requests import Request
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from app.errors import DependencyUnavailable, PermissionDenied, RegistryError, Unauthenticated
from app.graphql.outcomes import answer_instead
from app.registry.actor import RequestMeta
from app.registry.decisions import ReadCheck

# Mutations whose resolvers change nothing except through `execute` (so nothing is written before
# the command's decision, which carries the read check along). Any other mutation is asked up front.
ASKED_WITH_THE_COMMAND = frozenset(
    {
        "createProject",
        "createExperiment",
        "registerDatasetVersion",
        "registerFeature",
        "startRun",
        "addRunInputs",
        "finishRun",
        "createModel",
        "registerModelVersion",
        "registerModelVersions",
        "setAlias",
        "removeAlias",
        "archiveVersion",
        "updateMetadata",
        "recordEvaluation",
        "annotate",
        "recordFeedback",
        "createDeployment",
        "recordDeploymentEvent",
        "reportHealth",
        "logRunMetrics",
        "upsertTerm",
        "saveSearch",
    }
)


class ReadGate(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        operation = ctx.operation_type
        gated = (OperationType.QUERY, OperationType.MUTATION, OperationType.SUBSCRIPTION)
        if operation not in gated or _introspection_only(ctx):
            yield
            return
        context = ctx.context
        mutation = operation is OperationType.MUTATION
        context.read_check = None
        if context.principal is None:
            refusal: GraphQLError | None = _error(Unauthenticated("a bearer token is required"), mutation)
        else:
            check = ReadCheck(context.services, RequestMeta(actor=context.principal, request_id=context.request_id))
            over_http = isinstance(getattr(context, "request", None), Request)
            if over_http and operation is OperationType.QUERY:
                # Asked while the query runs: a query changes nothing, and a refusal replaces its answer.
                context.read_check = check
                asked = asyncio.ensure_future(check.refusal())
                try:
                    yield
                finally:
                    refused = _error(await asked, mutation)
                if refused is not None:
                    answer_instead(ctx, refused)
                return
            if over_http and mutation and _asked_with_the_command(ctx):
                context.read_check = check
                yield
                refused = _error(await check.refusal(), mutation)
                if refused is not None:  # it ran before the check was answered: the refusal is all it says
                    answer_instead(ctx, refused)
                return
            refusal = _error(await check.refusal(), mutation)
        if refusal is not None and operation is not OperationType.SUBSCRIPTION:
            # Answered here (not raised) so the error goes through TypedErrors like any other:
            # counted in /metrics, and a 503 when policy could not be asked.
            ctx.result = ExecutionResult(data=None, errors=[refusal])
        elif refusal is not None:
            raise refusal
        yield


def _error(exc: RegistryError | None, mutation: bool) -> GraphQLError | None:
    """None when policy lets the caller read; otherwise the error that says why not."""
    if exc is None:
        return None
    if isinstance(exc, DependencyUnavailable):
        # A mutation stops before it writes; a query or subscription changes nothing anyway.
        message = (
            "policy engine unavailable; the request was denied and nothing was written"
            if mutation
            else "policy engine unavailable; the read was refused, retry shortly"
        )
        return GraphQLError(message, extensions={"code": DependencyUnavailable.code, "reasons": []})
    reasons = exc.reasons if isinstance(exc, PermissionDenied) else []
    return GraphQLError(exc.message, extensions={"code": exc.code, "reasons": reasons})


def _asked_with_the_command(ctx: Any) -> bool:
    """Every root field of the operation is a mutation that writes only through `execute`."""
    document = getattr(ctx, "graphql_document", None)
    if document is None:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if ctx.operation_name is None or (o.name and o.name.value == ctx.operation_name)]
    if len(chosen) != 1:
        return False
    selections = chosen[0].selection_set.selections
    names = [getattr(getattr(s, "name", None), "value", None) for s in selections]
    return bool(names) and all(name in ASKED_WITH_THE_COMMAND for name in names)


def _introspection_only(ctx: object) -> bool:
    """GraphiQL's schema fetch carries no registry data."""
    document = getattr(ctx, "graphql_document", None)
    if document is None:
        return False
    for definition in document.definitions:
        selections = getattr(getattr(definition, "selection_set", None), "selections", [])
        if any(not getattr(s, "name", None) or not s.name.value.startswith("__") for s in selections):
            return False
    return True
