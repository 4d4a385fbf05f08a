"""Every GraphQL operation asks policy once: a principal may read the registry only when policy says
`read` is allowed. Mutations pass the same gate (their payloads carry versions and metrics back) and
then make their own, finer decisions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from app.errors import DependencyUnavailable, PermissionDenied, RegistryError, Unauthenticated
from app.registry.actor import RequestMeta
from app.registry.decisions import decide
from app.registry.plan import Plan


async def _nothing(*_: object) -> dict[str, object]:
    return {}


class ReadGate(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        operation = ctx.operation_type
        gated = (OperationType.QUERY, OperationType.MUTATION, OperationType.SUBSCRIPTION)
        if operation in gated and not _introspection_only(ctx):
            refusal = await _refusal(ctx.context, operation is OperationType.MUTATION)
            if refusal is not None and operation is not OperationType.SUBSCRIPTION:
                # Answered here (not raised) so the error goes through TypedErrors like any other:
                # counted in /metrics, and a 503 when policy could not be asked.
                ctx.result = ExecutionResult(data=None, errors=[refusal])
            elif refusal is not None:
                raise refusal
        yield


async def _refusal(context: Any, mutation: bool) -> GraphQLError | None:
    """None when policy lets the caller read; otherwise the error that says why not."""
    try:
        if context.principal is None:
            raise Unauthenticated("a bearer token is required")
        meta = RequestMeta(actor=context.principal, request_id=context.request_id)
        await decide(context.services, meta, Plan("read", {"kind": "registry"}, _nothing), "read")
    except DependencyUnavailable:
        # A mutation stops here before it runs; a query or subscription changes nothing anyway.
        message = (
            "policy engine unavailable; the request was denied and nothing was written"
            if mutation
            else "policy engine unavailable; the read was refused, retry shortly"
        )
        return GraphQLError(message, extensions={"code": DependencyUnavailable.code, "reasons": []})
    except RegistryError as exc:
        reasons = exc.reasons if isinstance(exc, PermissionDenied) else []
        return GraphQLError(exc.message, extensions={"code": exc.code, "reasons": reasons})
    return None


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
