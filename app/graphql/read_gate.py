"""Every GraphQL read asks policy once per operation: a principal may read the registry only when
policy says `read` is allowed (mutations make their own, finer decisions)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from app.errors import DependencyUnavailable, PermissionDenied, RegistryError, Unauthenticated
from app.registry.execute import Plan, decide


async def _nothing(*_: object) -> dict[str, object]:
    return {}


class ReadGate(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        ctx = self.execution_context
        operation = ctx.operation_type
        context = ctx.context
        if operation in (OperationType.QUERY, OperationType.SUBSCRIPTION) and not _introspection_only(ctx):
            try:
                if context.principal is None:
                    raise Unauthenticated("a bearer token is required")
                from app.registry.actor import RequestMeta

                meta = RequestMeta(actor=context.principal, request_id=context.request_id)
                await decide(context.services, meta, Plan("read", {"kind": "registry"}, _nothing), "read")
            except DependencyUnavailable:
                # The policy client's message speaks of writes; a read was refused, nothing more.
                message = "policy engine unavailable; the read was refused, retry shortly"
                raise GraphQLError(message, extensions={"code": DependencyUnavailable.code, "reasons": []}) from None
            except RegistryError as exc:
                reasons = exc.reasons if isinstance(exc, PermissionDenied) else []
                raise GraphQLError(exc.message, extensions={"code": exc.code, "reasons": reasons}) from None
        yield


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
