"""Lists that grow are Relay connections: pages of at most 100 with cursors a client passes back."""

from __future__ import annotations

from typing import Any

import pytest

from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.registry.actor import Actor
from app.services import Services
from tests.integration.chain import build_chain, new_run, run

pytestmark = pytest.mark.integration

ROOT = Actor(id="root", name="root", roles=("admin",))
PAGE = "edges { cursor node { name } } pageInfo { hasNextPage endCursor }"


async def execute(services: Services, query: str, **variables: Any) -> Any:
    context = Context(request=None, response=None, services=services, principal=ROOT)  # type: ignore[arg-type]
    return await build_schema(services.settings).execute(query, variable_values=variables, context_value=context)


async def data(services: Services, query: str, **variables: Any) -> dict[str, Any]:
    out = await execute(services, query, **variables)
    assert out.errors is None and out.data is not None, out.errors
    return out.data


async def test_models_page_by_name_with_cursors(clean_graph: Services) -> None:
    for name in ("gamma", "alpha", "beta"):
        await run(clean_graph, "create_model", {"name": name, "licence": "MIT"})
    query = f"query($after: String) {{ models(first: 2, after: $after) {{ {PAGE} }} }}"
    first = (await data(clean_graph, query, after=None))["models"]
    assert [e["node"]["name"] for e in first["edges"]] == ["alpha", "beta"]
    assert first["pageInfo"] == {"hasNextPage": True, "endCursor": first["edges"][-1]["cursor"]}
    rest = (await data(clean_graph, query, after=first["pageInfo"]["endCursor"]))["models"]
    assert [e["node"]["name"] for e in rest["edges"]] == ["gamma"] and rest["pageInfo"]["hasNextPage"] is False

    forged = await execute(clean_graph, query, after="alpha")
    assert forged.errors is not None and forged.errors[0].extensions["code"] == "VALIDATION_FAILED"
    assert forged.errors[0].message == "after: not a cursor returned by this API"


async def test_a_page_holds_at_most_100_and_a_larger_first_is_refused(clean_graph: Services) -> None:
    for n in range(101):
        await run(clean_graph, "create_principal", {"name": f"p{n:03d}", "roles": ["viewer"]})
    query = "{ principals(first: 100) { totalCount edges { node { name } } pageInfo { hasNextPage } } }"
    page = (await data(clean_graph, query))["principals"]
    assert len(page["edges"]) == 100 and page["pageInfo"]["hasNextPage"] is True
    assert page["totalCount"] >= 101

    await run(clean_graph, "create_model", {"name": "paged", "licence": "MIT"})
    for first in (101, 0, -1):
        refused = await execute(clean_graph, f"{{ principals(first: {first}) {{ totalCount }} }}")
        assert refused.errors is not None and refused.errors[0].extensions["code"] == "VALIDATION_FAILED"
        assert refused.errors[0].message == f"first: must be between 1 and 100 (got {first})"
        paged = f'{{ model(name: "paged") {{ versions(first: {first}) {{ totalCount }} }} }}'
        versions = await execute(clean_graph, paged)
        assert versions.errors is not None and versions.errors[0].extensions["field"] == "first"


async def test_the_audit_trail_pages_newest_first(clean_graph: Services) -> None:
    for name in ("one", "two", "three"):
        await run(clean_graph, "create_model", {"name": name, "licence": "MIT"})
    query = """query($after: String) { auditTrail(input: {action: "publish", first: 2, after: $after}) {
      edges { node { action targetId } } pageInfo { hasNextPage endCursor } } }"""
    first = (await data(clean_graph, query, after=None))["auditTrail"]
    second = (await data(clean_graph, query, after=first["pageInfo"]["endCursor"]))["auditTrail"]
    assert len(first["edges"]) == 2 and first["pageInfo"]["hasNextPage"] is True
    assert len(second["edges"]) == 1 and second["pageInfo"]["hasNextPage"] is False
    targets = [e["node"]["targetId"] for e in first["edges"] + second["edges"]]
    assert len(set(targets)) == 3


async def test_browse_a_project_to_its_models_and_experiments_and_an_experiment_to_its_runs(
    clean_graph: Services,
) -> None:
    ids = await build_chain(clean_graph)
    await run(clean_graph, "create_model", {"name": "churn-b", "licence": "MIT", "project": "churn-proj"})
    await run(clean_graph, "create_model", {"name": "churn-a", "licence": "MIT", "project": "churn-proj"})
    await run(clean_graph, "create_experiment", {"project": "churn-proj", "name": "exp0"})
    extra = [await new_run(clean_graph, ids["experiment"], [], {"f1": 0.5}) for _ in range(2)]

    query = """query($id: ID!, $after: String) { experiment(id: $id) { project { id
        models(first: 5) { edges { node { name } } }
        experiments { edges { node { name } } } }
      runs(first: 2, after: $after) { edges { node { id status } } pageInfo { hasNextPage endCursor } } } }"""
    first = (await data(clean_graph, query, id=ids["experiment"], after=None))["experiment"]
    assert [e["node"]["name"] for e in first["project"]["models"]["edges"]] == ["churn-a", "churn-b"]
    assert [e["node"]["name"] for e in first["project"]["experiments"]["edges"]] == ["exp0", "exp1"]
    runs = first["runs"]
    assert [e["node"]["id"] for e in runs["edges"]] == extra[::-1] and runs["pageInfo"]["hasNextPage"]
    rest = (await data(clean_graph, query, id=ids["experiment"], after=runs["pageInfo"]["endCursor"]))["experiment"]
    assert [e["node"]["id"] for e in rest["runs"]["edges"]] == [ids["run"]]
    assert rest["runs"]["pageInfo"]["hasNextPage"] is False


async def test_a_models_deployments_page_by_name(clean_graph: Services) -> None:
    await build_chain(clean_graph)
    for name in ("churn-us", "churn-eu", "churn-ap"):
        deployment = {
            "name": name,
            "model": "churn",
            "environment": {"tier": "staging", "region": name[-2:]},
            "owners": ["root"],
            "serving": [{"version": 1, "traffic_percent": 100}],
        }
        await run(clean_graph, "create_deployment", deployment)
    query = """query($after: String) { model(name: "churn") { deployments(first: 2, after: $after) {
      edges { node { name desiredState observedState healthStatus } } pageInfo { hasNextPage endCursor } } } }"""
    first = (await data(clean_graph, query, after=None))["model"]["deployments"]
    assert [e["node"]["name"] for e in first["edges"]] == ["churn-ap", "churn-eu"]
    assert first["edges"][0]["node"] == {
        "name": "churn-ap",
        "desiredState": "DEPLOYED",
        "observedState": "CREATING",
        "healthStatus": "UNKNOWN",
    }
    rest = (await data(clean_graph, query, after=first["pageInfo"]["endCursor"]))["model"]["deployments"]
    assert [e["node"]["name"] for e in rest["edges"]] == ["churn-us"] and not rest["pageInfo"]["hasNextPage"]


async def test_total_count_is_counted_when_selected_directly_or_through_a_fragment(clean_graph: Services) -> None:
    first = await build_chain(clean_graph, "alpha")
    await build_chain(clean_graph, "beta", source="s3://raw/beta/customers.parquet")
    await new_run(clean_graph, first["experiment"], [], {"f1": 0.5})
    await run(clean_graph, "create_model", {"name": "gamma", "project": "alpha-proj", "licence": "MIT"})
    found = await data(clean_graph, "query($e: ID!) { experiment(id: $e) { project { id } } }", e=first["experiment"])
    project = found["experiment"]["project"]["id"]
    query = """query($p: ID!, $e: ID!) {
      models(first: 1) { ...Total edges { node { name } } }
      project(id: $p) {
        models(first: 1) { totalCount }
        experiments(first: 1) { ... on ExperimentConnection { totalCount } } }
      experiment(id: $e) { runs(first: 1) { totalCount edges { node { id } } } } }
    fragment Total on ModelConnection { totalCount }"""
    got = await data(clean_graph, query, p=project, e=first["experiment"])
    assert got["models"]["totalCount"] == 3 and len(got["models"]["edges"]) == 1
    assert got["project"] == {"models": {"totalCount": 1}, "experiments": {"totalCount": 1}}
    assert got["experiment"]["runs"]["totalCount"] == 2 and len(got["experiment"]["runs"]["edges"]) == 1
