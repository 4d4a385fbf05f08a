"""A page of versions costs a fixed number of Neo4j queries, however many items it holds."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import AsyncSession

from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.registry.actor import Actor
from app.services import Services
from tests.integration.chain import DIGEST, build_chain, run

pytestmark = pytest.mark.integration

PAGE = """query($first: Int!) { model(name: "churn") { versions(first: $first) { totalCount edges { node {
    version status aliases revisions { revision } model { name aliases { alias version } }
    run { status inputs { __typename } } } } } } }"""


MODELS = """query($first: Int!) { models(first: $first) { edges { node { name
    versions(first: 3) { totalCount edges { node { version } } } } } } }"""


async def page(
    services: Services, first: int, counter: list[str], monkeypatch: pytest.MonkeyPatch, query: str = PAGE
) -> Any:
    original = AsyncSession.run

    async def counted(self: AsyncSession, query: Any, *args: Any, **kwargs: Any) -> Any:
        counter.append(str(query))
        return await original(self, query, *args, **kwargs)

    monkeypatch.setattr(AsyncSession, "run", counted)
    root = Actor(id="root", name="root", roles=("admin",))
    context = Context(request=None, response=None, services=services, principal=root)  # type: ignore[arg-type]
    try:
        out = await build_schema(services.settings).execute(
            query, variable_values={"first": first}, context_value=context
        )
    finally:
        monkeypatch.setattr(AsyncSession, "run", original)
    assert out.errors is None and out.data is not None, out.errors
    return out.data["model"]["versions"] if query == PAGE else out.data["models"]


async def test_a_page_of_100_versions_costs_as_many_queries_as_a_page_of_2(
    clean_graph: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await build_chain(clean_graph)
    item = {"run_id": ids["run"], "artifact": {"uri": "s3://m/b", "digest": DIGEST}}
    await run(clean_graph, "register_model_versions", {"model": "churn", "versions": [item] * 109})
    await run(clean_graph, "move_alias", {"model": "churn", "alias": "staging", "version": 100})

    small: list[str] = []
    two = await page(clean_graph, 2, small, monkeypatch)
    large: list[str] = []
    hundred = await page(clean_graph, 100, large, monkeypatch)

    assert len(two["edges"]) == 2 and len(hundred["edges"]) == 100 and hundred["totalCount"] == 110
    staged = [e["node"] for e in hundred["edges"] if e["node"]["aliases"]]
    assert [(v["version"], v["aliases"]) for v in staged] == [(100, ["staging"])]
    assert hundred["edges"][0]["node"]["model"]["aliases"] == [{"alias": "staging", "version": 100}]
    # policy read, model, versions page, models and runs by id, aliases: the same for 2 or 100 items
    assert len(large) == len(small), "\n---\n".join(large)
    assert len(large) <= 8


async def test_a_page_of_models_with_their_versions_costs_the_same_for_2_or_10_models(
    clean_graph: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(10):
        ids = await build_chain(clean_graph, f"m{n}", source=f"s3://raw/m{n}/customers.parquet")
        item = {"run_id": ids["run"], "artifact": {"uri": "s3://m/b", "digest": DIGEST}}
        if n:
            await run(clean_graph, "register_model_versions", {"model": f"m{n}", "versions": [item] * n})

    small: list[str] = []
    two = await page(clean_graph, 2, small, monkeypatch, MODELS)
    large: list[str] = []
    ten = await page(clean_graph, 10, large, monkeypatch, MODELS)

    assert [e["node"]["name"] for e in two["edges"]] == ["m0", "m1"]
    by_name = {e["node"]["name"]: e["node"]["versions"] for e in ten["edges"]}
    assert by_name["m9"]["totalCount"] == 10 and by_name["m0"]["totalCount"] == 1
    assert [e["node"]["version"] for e in by_name["m9"]["edges"]] == [10, 9, 8]
    assert [e["node"]["version"] for e in by_name["m0"]["edges"]] == [1]
    assert len(large) == len(small), "\n---\n".join(large)


async def test_a_batch_from_many_runs_reads_their_training_data_in_one_query(
    clean_graph: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Policy judges a batch by every run's training data (a feature counts as the dataset version it
    was computed from), each dataset version once; reading it costs the same for 2 runs or 6."""
    from app.registry.actor import RequestMeta
    from app.registry.handlers import command_from, handler_for
    from tests.integration.chain import ADMIN, new_run

    ids = await build_chain(clean_graph)
    rights = {"training_allowed": True, "commercial_use": True, "contains_personal_data": False}
    other = await run(
        clean_graph,
        "register_dataset_version",
        {"dataset": "extra", "source_uri": "s3://raw/x", "usage_rights": rights},
    )
    first = [await new_run(clean_graph, ids["experiment"], [ids["dataset_version"]], {"f1": 0.8}) for _ in range(3)]
    later = [
        await new_run(clean_graph, ids["experiment"], [other["id"], ids["feature"]], {"f1": 0.8}) for _ in range(3)
    ]

    async def plan_of(run_ids: list[str]) -> tuple[list[str], list[str]]:
        seen: list[str] = []
        original = AsyncSession.run

        async def counted(self: AsyncSession, query: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(str(query))
            return await original(self, query, *args, **kwargs)

        items = [{"run_id": r, "artifact": {"uri": "s3://m/b", "digest": DIGEST}} for r in run_ids]
        command = command_from("register_model_versions", {"model": "churn", "versions": items})
        monkeypatch.setattr(AsyncSession, "run", counted)
        try:
            plan = await handler_for(command)(clean_graph, RequestMeta(actor=ADMIN.actor, request_id="t"), command)
        finally:
            monkeypatch.setattr(AsyncSession, "run", original)
        return [d["id"] for d in plan.context["training_data"]], seen

    two, two_queries = await plan_of([first[0], later[0]])
    six, six_queries = await plan_of([*first, *later])
    assert two == six == [ids["dataset_version"], other["id"]]  # the feature's source is already listed
    alone, _ = await plan_of(later)  # one run's data in id order: both, each once
    assert alone == sorted([other["id"], ids["dataset_version"]])
    assert len(six_queries) == len(two_queries), "\n---\n".join(six_queries)
