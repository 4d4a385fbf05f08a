"""An admitted request ends by its deadline: a write queued on a lock another transaction holds,
or a read that runs too long, is stopped by Neo4j (rolled back) and answered 503 with Retry-After,
against a real uvicorn and the real Neo4j, with a short deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.errors import DependencyUnavailable
from app.graph.deadline import DeadlineExceeded, deadline_in
from app.graph.reads import plain_rows, rows
from app.services import Services
from tests.conftest import serve
from tests.integration.chain import run

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

DEADLINE = 2.0
UPDATE = "mutation($i: UpdateMetadataInput!) { updateMetadata(input: $i) { __typename ... on Error { code message } } }"


@pytest.fixture(scope="module")
def deadline_server(settings: Settings) -> Iterator[str]:
    with serve(settings.model_copy(update={"request_deadline_seconds": DEADLINE})) as url:
        yield url


@pytest.fixture
async def client(deadline_server: str, settings: Settings, clean_graph: Services) -> AsyncIterator[httpx.AsyncClient]:
    token = settings.bootstrap_admin_key.get_secret_value()
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=deadline_server, headers=headers, timeout=30) as http:
        yield http


async def gql(http: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    return await http.post("/graphql", json={"query": query, "variables": variables})


async def test_a_write_waiting_on_a_lock_ends_at_the_deadline_and_writes_nothing(
    client: httpx.AsyncClient, clean_graph: Services
) -> None:
    # Set up outside the server under test: only the request that meets the lock runs with the deadline.
    await run(clean_graph, "create_model", {"name": "held", "licence": "MIT"})
    model = await clean_graph.repos.core.model_by_name("held")
    assert model is not None
    created = {"id": model.id, "revision": model.revision}
    change = {"id": created["id"], "expectedRevision": created["revision"], "changes": {"description": "new"}}
    async with clean_graph.driver.session(database=clean_graph.settings.neo4j_database) as session:
        holder = await session.begin_transaction()
        await holder.run("MATCH (m:Model {id: $id}) SET m.held_by_test = true", id=created["id"])
        started = time.monotonic()
        response = await gql(client, UPDATE, i=change)
        took = time.monotonic() - started
        await holder.rollback()
    assert response.status_code == 503 and response.headers["retry-after"], response.text
    assert took < DEADLINE + 1.5, took  # Neo4j checks timeouts every 200 ms (app/stack/neo4j.py)
    error = response.json()["data"]["updateMetadata"]
    assert error["__typename"] == "UnavailableError" and error["code"] == "DEPENDENCY_UNAVAILABLE"
    assert "deadline" in error["message"] and "nothing was written" in error["message"]
    unchanged = await clean_graph.repos.core.model_by_name("held")
    assert unchanged is not None and unchanged.description is None
    assert unchanged.revision == created["revision"]
    # With the lock gone the same request goes through (retried after Retry-After, as a client
    # would): the stopped attempt left nothing behind, not even a bumped revision.
    for _ in range(3):
        retried = (await gql(client, UPDATE, i=change)).json()["data"]["updateMetadata"]
        if retried["__typename"] != "UnavailableError":
            break
        await asyncio.sleep(float(response.headers["retry-after"]))
    assert retried["__typename"] == "UpdateSuccess", retried
    changed = await clean_graph.repos.core.model_by_name("held")
    assert changed is not None and changed.description == "new"


async def test_a_read_running_past_the_deadline_is_stopped_by_the_database(clean_graph: Services) -> None:
    slow = "UNWIND range(1, 400000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x) AS n"
    started = time.monotonic()
    with deadline_in(0.3), pytest.raises(DeadlineExceeded, match="deadline") as raised:
        await rows(clean_graph.driver, clean_graph.settings.neo4j_database, slow)
    assert time.monotonic() - started < 2.0
    assert isinstance(raised.value, DependencyUnavailable)  # answered as 503 with Retry-After
    # Outside a request there is no deadline.
    quick = "UNWIND range(1, 1000) AS x RETURN count(x) AS n"
    assert (await rows(clean_graph.driver, clean_graph.settings.neo4j_database, quick)) == [{"n": 1000}]


async def test_a_read_decoded_past_the_deadline_is_answered_as_busy(
    clean_graph: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neo4j finished in time, but decoding the rows in a busy process did not: the request stops
    there instead of building an answer after its deadline."""
    import neo4j

    values = neo4j.Record.values

    def slow_values(self: neo4j.Record, *keys: Any) -> list[Any]:
        time.sleep(0.02)  # a process busy with other requests
        return values(self, *keys)

    monkeypatch.setattr(neo4j.Record, "values", slow_values)
    twenty = "UNWIND range(1, 20) AS x RETURN x"
    with deadline_in(0.2), pytest.raises(DeadlineExceeded, match="deadline"):
        await plain_rows(clean_graph.driver, clean_graph.settings.neo4j_database, twenty)
    with deadline_in(5):
        assert len(await plain_rows(clean_graph.driver, clean_graph.settings.neo4j_database, twenty)) == 20


async def test_a_query_still_running_in_the_process_at_the_deadline_is_answered_503(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.graph.core_reads import CoreReader

    async def starved(*_: Any, **__: Any) -> None:  # work the database does not see: a busy process
        await asyncio.sleep(30)

    monkeypatch.setattr(CoreReader, "version_by_ref", starved)
    started = time.monotonic()
    response = await gql(client, 'query { modelVersion(model: "any", alias: "production") { id } }')
    took = time.monotonic() - started
    assert response.status_code == 503 and response.headers["retry-after"], response.text
    assert took < DEADLINE + 1.5, took
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "DEPENDENCY_UNAVAILABLE" and "deadline" in error["message"]
    monkeypatch.undo()
    assert (await gql(client, 'query { modelVersion(model: "any", alias: "production") { id } }')).status_code == 200
