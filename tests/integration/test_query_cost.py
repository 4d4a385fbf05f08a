"""Query cost as a client sees it: reported on every answer, and a query over the budget is refused
before anything runs, with an error naming the limit and the cost."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import get_introspection_query

from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.registry.actor import Actor
from app.services import Services

pytestmark = pytest.mark.integration

ROOT = Actor(id="root", name="root", roles=("admin",))


async def execute(services: Services, query: str, max_cost: int | None = None, **variables: Any) -> Any:
    settings = services.settings
    if max_cost is not None:
        settings = settings.model_copy(update={"max_query_cost": max_cost})
    context = Context(request=None, response=None, services=services, principal=ROOT)  # type: ignore[arg-type]
    return await build_schema(settings).execute(query, variable_values=variables, context_value=context)


async def test_every_answer_reports_its_cost(clean_graph: Services) -> None:
    # reviews, edges, then 3 x (node, id, status): the connection's `first` sizes its edges.
    query = "query($n: Int!) { reviews(input: {first: $n}) { edges { node { id status } } } me { name roles } }"
    out = await execute(clean_graph, query, n=3)
    assert out.errors is None and out.extensions == {"cost": 1 + (1 + 3 * 3) + (1 + 2)}


async def test_a_query_over_the_budget_is_refused_naming_limit_and_cost(clean_graph: Services) -> None:
    query = "{ reviews(input: {first: 100}) { edges { node { id status } } } }"
    out = await execute(clean_graph, query, max_cost=50)
    assert out.data is None and out.extensions == {"cost": 302}
    [error] = out.errors
    assert error.message == "query cost 302 exceeds the limit of 50; ask for fewer items (first)"
    assert error.extensions == {"code": "QUERY_TOO_COSTLY", "cost": 302, "limit": 50}


async def test_introspection_is_counted_like_any_query_and_graphiqls_fetch_fits(clean_graph: Services) -> None:
    small = await execute(clean_graph, "{ __schema { types { name } } }")
    assert small.extensions == {"cost": 1 + (1 + 5 * 1)}  # __schema, types, 5 x name
    full = await execute(clean_graph, get_introspection_query(descriptions=True, input_value_deprecation=True))
    assert full.errors is None and 5_000 < full.extensions["cost"] <= clean_graph.settings.max_query_cost
    refused = await execute(clean_graph, get_introspection_query(), max_cost=1_000)
    assert refused.data is None and refused.errors[0].extensions["code"] == "QUERY_TOO_COSTLY"
