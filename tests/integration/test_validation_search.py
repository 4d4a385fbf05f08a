"""Open validation findings in search, against the real Neo4j, S3 store and OPA: a deleted artifact
makes its version a hit of the FINDING filter and a value of the FINDING facet within one validator
cycle, restoring it takes the version out again, and the backfill gives versions found before the
facet existed the same search document."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.artifacts.store import content_key
from app.graph.migrations import discover, split_statements
from app.graph.validation import Subject, ValidationRepo
from app.services import Services
from app.validation import Validator
from tests.integration.chain import run
from tests.integration.test_validation import gql, s3, stored_version

pytestmark = pytest.mark.integration

SEARCH = """query($input: SearchInput!) { search(input: $input) {
  ... on SearchResults { total hits { modelName version openFindings } facets { field values { value count } } }
  ... on Error { code message field } } }"""


def where(field: str, op: str, **value: Any) -> dict[str, Any]:
    return {"anyOf": [{"allOf": [{"field": field, "op": op, **value}]}], "facets": ["FINDING"]}


async def search(services: Services, input_: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = (await gql(services, SEARCH, input=input_))["search"]
    return found


def hits(found: dict[str, Any]) -> list[tuple[str, int, list[str]]]:
    return [(h["modelName"], h["version"], h["openFindings"]) for h in found["hits"]]


def finding_facet(found: dict[str, Any]) -> list[tuple[str, int]]:
    (facet,) = [f for f in found["facets"] if f["field"] == "FINDING"]
    return [(v["value"], v["count"]) for v in facet["values"]]


async def test_a_deleted_artifact_puts_its_version_under_the_finding_facet_until_restored(
    clean_graph: Services,
) -> None:
    data = b"weights " + uuid.uuid4().bytes
    digest = await stored_version(clean_graph, "watched", data)
    validator = Validator(clean_graph)
    await validator.full_pass()
    assert hits(await search(clean_graph, where("FINDING", "EXISTS"))) == []
    assert finding_facet(await search(clean_graph, {"facets": ["FINDING"]})) == []

    await s3(clean_graph, "remove_object", object_name=content_key(digest))
    assert [f.check for f in (await validator.full_pass()).opened] == ["artifact_missing"]
    missing = await search(clean_graph, where("FINDING", "EQ", value="artifact_missing"))
    assert hits(missing) == [("watched", 2, ["artifact_missing"])]
    assert finding_facet(missing) == [("artifact_missing", 1)]
    assert hits(await search(clean_graph, where("FINDING", "EXISTS"))) == [("watched", 2, ["artifact_missing"])]
    assert hits(await search(clean_graph, where("FINDING", "EQ", value="artifact_corrupt"))) == []
    everything = await search(clean_graph, {"facets": ["FINDING"]})
    assert everything["total"] == 2 and finding_facet(everything) == [("artifact_missing", 1)]
    healthy = await search(clean_graph, where("FINDING", "NEQ", value="artifact_missing"))
    assert [(m, v) for m, v, _ in hits(healthy)] == [("watched", 1)]

    # Another refresh of the document (the model's metadata changed) keeps the open finding in it.
    model = (await gql(clean_graph, '{ model(name: "watched") { id revision } }'))["model"]
    changes = {"description": "still missing its artifact"}
    await run(
        clean_graph, "update_metadata", {"id": model["id"], "expected_revision": model["revision"], "changes": changes}
    )
    assert hits(await search(clean_graph, where("FINDING", "EXISTS"))) == [("watched", 2, ["artifact_missing"])]

    await clean_graph.artifacts.put(data)  # restored
    assert [f.check for f in (await validator.full_pass()).resolved] == ["artifact_missing"]
    assert hits(await search(clean_graph, where("FINDING", "EXISTS"))) == []
    cleared = await search(clean_graph, {"facets": ["FINDING"]})
    assert finding_facet(cleared) == [] and all(h["openFindings"] == [] for h in cleared["hits"])


async def test_a_filter_on_findings_with_an_operator_that_does_not_fit_names_the_field(clean_graph: Services) -> None:
    refused = await search(clean_graph, where("FINDING", "GT", value="artifact_missing"))
    assert refused["code"] == "VALIDATION_FAILED" and refused["field"] == "filters[0].allOf[0].op"
    assert refused["message"].startswith("filters[0].allOf[0].op: GT does not apply to FINDING")


async def test_the_backfill_adds_open_findings_to_documents_written_before_the_facet(clean_graph: Services) -> None:
    await stored_version(clean_graph, "older", b"weights " + uuid.uuid4().bytes)
    repo = ValidationRepo(clean_graph.driver, clean_graph.settings.neo4j_database)
    found = await clean_graph.driver.execute_query(
        "MATCH (v:ModelVersion {model_name: 'older', version: 2}) RETURN v.id AS id"
    )
    version_id = found.records[0]["id"]
    subject = Subject(version_id, "ModelVersion", "model:older")
    await repo.open(subject, "intended_use_missing", "no intended use")
    opened = await repo.open(subject, "artifact_corrupt", "altered bytes")
    await repo.resolve(opened, subject)
    # As a document from before the facet: without the field.
    await clean_graph.driver.execute_query("MATCH (v:ModelVersion) REMOVE v.s_findings")
    assert hits(await search(clean_graph, where("FINDING", "EXISTS"))) == []

    backfill = next(m for m in discover(clean_graph.settings.graph_schema_dir) if m.version == 46)
    async with clean_graph.driver.session(database=clean_graph.settings.neo4j_database) as session:
        for statement in split_statements(backfill.path.read_text(encoding="utf-8")):
            await (await session.run(statement)).consume()
    assert hits(await search(clean_graph, where("FINDING", "EXISTS"))) == [("older", 2, ["intended_use_missing"])]
