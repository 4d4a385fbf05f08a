"""What production served at a point in time, as a page: the question an incident review asks
("which versions answered customers at 14:02?"), bounded however long the serving history is."""

from __future__ import annotations

import json

import strawberry

from app.domain import validation as v
from app.domain.history import ProductionKey
from app.errors import ValidationFailed
from app.graphql.connection import Connection, connection, decode, page_size
from app.graphql.context import Info
from app.graphql.history import InProductionAtInput, ServingSpan
from app.registry import history as h


@strawberry.type(description="A page of serving spans in production at a time, by model, then deployment name.")
class ServingSpanConnection(Connection[ServingSpan]):
    pass


def production_key(cursor: str | None) -> ProductionKey | None:
    """The key an `after` cursor of this list stands for; any other cursor is refused naming `after`."""
    text = decode(cursor)
    if text is None:
        return None
    try:
        model, name, deployment_id, place = json.loads(text)
        if not all(isinstance(s, str) for s in (model, name, deployment_id)) or type(place) is not int:
            raise TypeError(text)
    except (ValueError, TypeError):
        raise ValidationFailed("after: not a cursor returned by this list", field="after") from None
    return model, name, deployment_id, place


async def production_page(
    info: Info, input: InProductionAtInput, first: int, after: str | None
) -> ServingSpanConnection:
    limit = page_size(first)
    reader = h.history(info.context.services)
    found = await reader.in_production_at(v.aware("at", input.at), input.model, limit + 1, production_key(after))
    page = connection([(json.dumps(list(key)), ServingSpan.of(span)) for key, span in found], limit)
    return ServingSpanConnection(edges=page.edges, page_info=page.page_info, total_count=None)


@strawberry.type
class ProductionQuery:
    @strawberry.field(
        description="What production deployments served at a point in time, a page at a time "
        "(by model, deployment name, then share of traffic). The cost does not grow with the serving history."
    )
    async def in_production_at_page(
        self, info: Info, input: InProductionAtInput, first: int = 100, after: str | None = None
    ) -> ServingSpanConnection:
        return await production_page(info, input, first, after)
