"""Every GraphQL operation asks policy once: a principal may read the registry only when policy says
`read` is allowed. Mutations pass the same gate (their payloads carry versions and metrics back) and
then make their own, finer decisions."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from app.errors import PermissionDenied, RegistryError, Unauthenticated
from app.registry.actor import RequestMeta
from app.registry.execute import Plan, decide
from app.services import Services


async def _nothing(*_: object) -> dict[str, object]:
    return {}


class ReadGate(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        ctx = self.execution_context
        operation = ctx.operation_type
        context = ctx.context
        gated = (OperationType.QUERY, OperationType.MUTATION, OperationType.SUBSCRIPTION)
        if operation in gated and not _introspection_only(ctx):
            try:
                if context.principal is None:
                    raise Unauthenticated("a bearer token is required")
                await _may_read(context.services, RequestMeta(actor=context.principal, request_id=context.request_id))
            except RegistryError as exc:
                reasons = exc.reasons if isinstance(exc, PermissionDenied) else []
                raise GraphQLError(exc.message, extensions={"code": exc.code, "reasons": reasons}) from None
        yield


async def _may_read(services: Services, meta: RequestMeta) -> None:
    """Ask policy, or reuse an allow given to the same principal within the cache's time-to-live."""
    key = json.dumps(meta.actor.policy_view(), sort_keys=True)
    if services.read_decisions.get(key) is not None:
        return
    decision = await decide(services, meta, Plan("read", {"kind": "registry"}, _nothing), "read")
    services.read_decisions.put(key, decision)


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
