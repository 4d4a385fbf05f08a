"""Annotations read back through GraphQL against the real Neo4j and OPA: the notes written with
`annotate` come back on the performance-history points they are about and on the version, with
author, time and target; their text goes through the disclosure gate; a whole history costs one
annotation query however many points it has."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from neo4j import AsyncSession

from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.registry.actor import Actor, RequestMeta
from app.services import Services
from tests.integration.chain import build_chain, run

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)
ADMIN = Actor(id="ada", name="ada", roles=("admin",))
VIEWER = Actor(id="vic", name="vic", roles=("viewer",))
WRITER = RequestMeta(actor=Actor(id="nora", name="nora", roles=("admin",)), request_id="notes")
HISTORY = """query($input: PerformanceHistoryInput!) { performanceHistory(input: $input) {
    evaluationId at value annotations { id text author createdAt targetId targetKind } } }"""
VERSION = """{ model(name: "churn") { versions(first: 5) { edges { node { version
    annotations { text author targetId targetKind } } } } } }"""


async def gql(services: Services, actor: Actor, query: str, **variables: Any) -> Any:
    context = Context(request=None, response=None, services=services, principal=actor)  # type: ignore[arg-type]
    out = await build_schema(services.settings).execute(query, variable_values=variables, context_value=context)
    assert out.errors is None and out.data is not None, out.errors
    return out.data


def window() -> dict[str, Any]:
    return {
        "model": "churn",
        "metric": "f1",
        "from": (NOW - timedelta(days=30)).isoformat(),
        "to": (NOW + timedelta(days=1)).isoformat(),
    }


@pytest.fixture
async def annotated(clean_graph: Services) -> dict[str, Any]:
    """Three evaluations of churn v1; the first has two notes, the last one; the version one."""
    ids = await build_chain(clean_graph)
    evals = [
        await run(
            clean_graph,
            "record_evaluation",
            {"model": "churn", "version": 1, "metrics": {"f1": f1}, "evaluated_at": NOW - timedelta(days=days)},
        )
        for days, f1 in ((9, 0.81), (6, 0.84), (3, 0.79))
    ]
    first, _, last = (e["id"] for e in evals)
    for target, text in (
        (first, "labels re-audited"),
        (first, "holdout refreshed after the audit"),
        (last, "drop: upstream schema change in bureau feed"),
        (ids["model_version"], "shadow-tested for two weeks"),
    ):
        await run(clean_graph, "annotate", {"target_id": target, "text": text}, WRITER)
    return {"evals": [e["id"] for e in evals], "version": ids["model_version"]}


async def test_history_points_carry_the_notes_written_about_their_evaluations(
    clean_graph: Services, annotated: dict[str, Any]
) -> None:
    points = (await gql(clean_graph, VIEWER, HISTORY, input=window()))["performanceHistory"]
    assert [p["evaluationId"] for p in points] == annotated["evals"]
    notes = [[(a["text"], a["author"], a["targetKind"], a["targetId"]) for a in p["annotations"]] for p in points]
    first, middle, last = annotated["evals"]
    assert notes == [
        [
            ("labels re-audited", "nora", "EVALUATION", first),
            ("holdout refreshed after the audit", "nora", "EVALUATION", first),
        ],
        [],
        [("drop: upstream schema change in bureau feed", "nora", "EVALUATION", last)],
    ]
    written = [datetime.fromisoformat(a["createdAt"]) for a in points[0]["annotations"]]
    assert written == sorted(written) and all(NOW - timedelta(minutes=10) < w <= datetime.now(UTC) for w in written)
    assert middle not in {a["targetId"] for p in points for a in p["annotations"]}


async def test_a_version_carries_the_notes_about_itself_only(clean_graph: Services, annotated: dict[str, Any]) -> None:
    [edge] = (await gql(clean_graph, VIEWER, VERSION))["model"]["versions"]["edges"]
    assert edge["node"]["annotations"] == [
        {
            "text": "shadow-tested for two weeks",
            "author": "nora",
            "targetId": annotated["version"],
            "targetKind": "MODEL_VERSION",
        }
    ]


async def test_note_text_is_redacted_where_policy_withholds_internal_data(
    clean_graph: Services, annotated: dict[str, Any], internal_for_admins_only: None
) -> None:
    seen = (await gql(clean_graph, VIEWER, HISTORY, input=window()))["performanceHistory"]
    texts = [(a["text"], a["author"]) for p in seen for a in p["annotations"]]
    assert texts == [("[redacted: internal]", "nora")] * 3
    admin = (await gql(clean_graph, ADMIN, HISTORY, input=window()))["performanceHistory"]
    assert admin[0]["annotations"][0]["text"] == "labels re-audited"


async def test_notes_of_every_point_load_in_one_query(
    clean_graph: Services, annotated: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    original = AsyncSession.run

    async def counted(self: AsyncSession, query: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(query))
        return await original(self, query, *args, **kwargs)

    monkeypatch.setattr(AsyncSession, "run", counted)
    points = (await gql(clean_graph, VIEWER, HISTORY, input=window()))["performanceHistory"]
    assert sum(len(p["annotations"]) for p in points) == 3
    assert sum("MATCH (a:Annotation" in q for q in seen) == 1, seen
