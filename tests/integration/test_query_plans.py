"""Every named Cypher query is planned without scanning all nodes: lookups go through indexes.

A label-less `MATCH (n {id: $id})` reads the whole graph on every request; this catches it
for each query constant in app/graph (and the per-label query tables)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

import pytest

import app.graph
from app.services import Services

pytestmark = pytest.mark.integration

# Queries that deliberately walk a whole label or all nodes (maintenance and paging of one label).
ALLOWED_FULL_SCANS = {
    # `modelgraph backup` exports, and `restore` checks the emptiness of, the whole graph.
    "app.graph.backup.EXPORT_NODES",
    "app.graph.backup.EXPORT_RELATIONSHIPS",
    "app.graph.backup.COUNT_DATA_NODES",
}
# Queries that may walk one (small) label: listings, vocabulary seeding, migration bookkeeping.
# Anything else must find its nodes through an index.
ALLOWED_LABEL_SCANS = {
    "app.graph.backup.MIGRATION_LEVEL",
    "app.graph.demo_queries.DATASET_VERSION_ID",
    "app.graph.migrations.APPLIED_MIGRATIONS",
    "app.graph.migrations.RECORD_MIGRATION",
    "app.graph.principals.LIST_PRINCIPALS",
    "app.graph.review_queries.LIST_REVIEWS",
    "app.graph.review_queries.PAGE_REVIEWS",
    "app.graph.review_reads.PAGE_REVIEWS",
    "app.graph.vocab_queries.LINK_BROADER",
    "app.graph.vocab_queries.LIST_TERMS",
    "app.graph.vocab_queries.LIST_SAVED_SEARCHES",
}
# Pieces the search compiler joins into whole queries (those are planned in the search tests).
FRAGMENTS = {
    f"app.graph.search_queries.{n}"
    for n in (
        "TEXT_CANDIDATES",
        "FILTER_CANDIDATES",
        "ALL_CANDIDATES",
        "RANKED_CANDIDATES",
        "RANKED_VERSION",
        "NEWEST_CANDIDATES",
        "CONTEXT",
        "FACETS_RETURN",
        "COUNT_RETURN",
        # The body of REFRESH_METRIC_SCORES (planned whole) and of the V0091 backfill.
        "METRIC_SCORES_OF_V",
    )
}
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def named_queries() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for info in pkgutil.iter_modules(app.graph.__path__):
        module = importlib.import_module(f"app.graph.{info.name}")
        for name, value in vars(module).items():
            if not name.isupper() or name.startswith("_"):
                continue
            items = value.items() if isinstance(value, dict) else [("", value)]
            for key, query in items:
                if f"{module.__name__}.{name}" in FRAGMENTS:
                    continue
                if isinstance(query, str) and re.match(r"\s*(MATCH|OPTIONAL|MERGE|CREATE|UNWIND|WITH|CALL)", query):
                    found.append((f"{module.__name__}.{name}{'[' + key + ']' if key else ''}", query))
    return found


def operators(plan: Any) -> list[str]:
    return [plan.get("operatorType", "").split("@")[0]] + [op for c in plan.get("children", []) for op in operators(c)]


@pytest.mark.parametrize(("name", "query"), named_queries(), ids=[n for n, _ in named_queries()])
async def test_query_uses_indexes_not_all_nodes_scans(services: Services, name: str, query: str) -> None:
    if name in ALLOWED_FULL_SCANS:
        pytest.skip("walks one label on purpose")
    params = {p: None for p in PARAM.findall(query)}
    async with services.driver.session(database=services.settings.neo4j_database) as session:
        summary = await (await session.run("EXPLAIN " + query, params)).consume()
    assert summary.plan is not None
    assert "AllNodesScan" not in operators(summary.plan), f"{name} scans every node"
    if name not in ALLOWED_LABEL_SCANS:
        assert "NodeByLabelScan" not in operators(summary.plan), f"{name} scans a whole label"
