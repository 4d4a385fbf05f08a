"""Dataset identity migrations (V0071, V0072) on a graph as it was before them: every registered
source gets its DatasetSource, and a copy the OpenLineage intake made of a registered dataset is
merged into it, its versions renumbered after the registered ones and its run links kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.graph.migrations import split_statements
from app.services import Services
from tests.integration.chain import build_chain, run

pytestmark = pytest.mark.integration

MIGRATIONS = Path(__file__).parents[2] / "graph_schema"
OPENLINEAGE_COPY = "Seen first in an OpenLineage event"


async def cypher(services: Services, query: str, **params: Any) -> list[dict[str, Any]]:
    async with services.driver.session(database=services.settings.neo4j_database) as session:
        result = await session.run(query, **params)
        return [record.data() async for record in result]


async def apply(services: Services, name: str) -> None:
    [path] = MIGRATIONS.glob(f"{name}__*.cypher")
    for statement in split_statements(path.read_text()):
        await cypher(services, statement)


async def test_backfill_links_sources_and_merges_openlineage_copies(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph, "churn")  # dataset churn-data from s3://raw/customers.parquet
    await cypher(clean_graph, "MATCH (s:DatasetSource) DETACH DELETE s")  # as before V0070: copies possible
    copy = await run(
        clean_graph,
        "register_dataset_version",
        {
            "dataset": "s3-raw-customers.parquet",
            "source_uri": "S3://RAW/customers.parquet/",
            "description": OPENLINEAGE_COPY,
        },
    )
    other = await run(clean_graph, "register_dataset_version", {"dataset": "events", "source_uri": "s3://raw/events"})
    used = await run(clean_graph, "start_run", {"experiment_id": ids["experiment"], "inputs": [copy["id"]]})
    await cypher(clean_graph, "MATCH (s:DatasetSource) DETACH DELETE s")  # as before V0070

    await apply(clean_graph, "V0071")
    await apply(clean_graph, "V0072")

    sources = await cypher(
        clean_graph,
        "MATCH (s:DatasetSource)-[:SOURCE_OF]->(d:Dataset) RETURN s.key AS key, d.name AS name ORDER BY key",
    )
    assert sources == [
        {"key": "s3://raw/customers.parquet", "name": "churn-data"},
        {"key": "s3://raw/events", "name": "events"},
    ]
    versions = await cypher(
        clean_graph,
        """MATCH (v:DatasetVersion)-[:VERSION_OF]->(d:Dataset) RETURN d.name AS dataset, v.version AS version,
           v.id AS id, v.merged_from AS merged_from ORDER BY dataset, version""",
    )
    assert versions == [
        {"dataset": "churn-data", "version": 1, "id": ids["dataset_version"], "merged_from": None},
        {"dataset": "churn-data", "version": 2, "id": copy["id"], "merged_from": "s3-raw-customers.parquet"},
        {"dataset": "events", "version": 1, "id": other["id"], "merged_from": None},
    ]
    assert await cypher(clean_graph, "MATCH (d:Dataset {name: 's3-raw-customers.parquet'}) RETURN d") == []
    linked = await cypher(
        clean_graph, "MATCH (:Run {id: $id})-[:USED]->(v:DatasetVersion) RETURN v.id AS id", id=used["id"]
    )
    assert linked == [{"id": copy["id"]}]
    moved = await cypher(clean_graph, "MATCH (v:DatasetVersion {id: $id}) RETURN v.dataset_name AS n", id=copy["id"])
    assert moved == [{"n": "churn-data"}]
