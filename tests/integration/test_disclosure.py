"""Classified metadata against the real OPA and Neo4j: a viewer sees `[redacted: confidential]`
where an owner or an admin sees the value — in fields, custom properties and lineage properties —
personal data needs a listed purpose, and every confidential or personal value disclosed is audited
with the purpose."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from app.errors import DependencyUnavailable
from app.graph import unit
from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.registry.actor import Actor
from app.services import Services
from tests.integration.chain import build_chain, run

pytestmark = pytest.mark.integration

ADMIN = Actor(id="ada", name="ada", roles=("admin",))
OWNER = Actor(id="olga", name="olga", roles=("viewer",))
VIEWER = Actor(id="vic", name="vic", roles=("viewer",))
MODEL = """{ model(name: "churn") { intendedUse custom { name value classification } } }"""


async def gql(services: Services, actor: Actor, query: str, purpose: str | None = None, **variables: Any) -> Any:
    request = SimpleNamespace(headers={"x-purpose": purpose} if purpose else {})
    context = Context(request=request, response=None, services=services, principal=actor)  # type: ignore[arg-type]
    out = await build_schema(services.settings).execute(query, variable_values=variables, context_value=context)
    assert out.errors is None and out.data is not None, out.errors
    return out.data


@pytest.fixture
async def classified(clean_graph: Services) -> dict[str, str]:
    ids = await build_chain(clean_graph)
    model = (await clean_graph.driver.execute_query("MATCH (m:Model {name: 'churn'}) RETURN m.revision AS r")).records
    await run(
        clean_graph,
        "update_metadata",
        {
            "id": ids["model"],
            "expected_revision": model[0]["r"],
            "changes": {"owners": ["olga"], "intended_use": "credit scoring"},
            "custom": {
                "risk_contact": {"value": "Olga, risk desk", "classification": "confidential"},
                "subject_ref": {"value": "case 4411", "classification": "personal"},
                "tier": "gold",
            },
        },
    )
    await clean_graph.driver.execute_query(
        "MATCH (d:DatasetVersion {id: $id}) SET d.schema = 'customer_id: int, income: float'",
        id=ids["dataset_version"],
    )
    return ids


def custom(data: Any) -> dict[str, Any]:
    return {c["name"]: (c["value"], c["classification"]) for c in data["model"]["custom"]}


async def test_a_viewer_sees_the_marker_where_an_owner_sees_the_value(
    clean_graph: Services, classified: dict[str, str]
) -> None:
    viewer = custom(await gql(clean_graph, VIEWER, MODEL))
    assert viewer == {
        "risk_contact": ("[redacted: confidential]", "confidential"),
        "subject_ref": ("[redacted: personal]", "personal"),
        "tier": ("gold", "public"),
    }
    owner = custom(await gql(clean_graph, OWNER, MODEL))
    assert owner["risk_contact"] == ("Olga, risk desk", "confidential")
    assert owner["subject_ref"] == ("[redacted: personal]", "personal")  # personal needs a role and a purpose

    schema = "query($id: ID!) { node(id: $id) { ... on DatasetVersion { schema sourceUri } } }"
    dsv = classified["dataset_version"]
    assert (await gql(clean_graph, VIEWER, schema, id=dsv))["node"]["schema"] == "[redacted: confidential]"
    assert (await gql(clean_graph, ADMIN, schema, id=dsv))["node"]["schema"] == "customer_id: int, income: float"


async def test_personal_data_needs_a_listed_purpose_and_every_disclosure_is_audited(
    clean_graph: Services, classified: dict[str, str]
) -> None:
    without = custom(await gql(clean_graph, ADMIN, MODEL))
    assert without["subject_ref"] == ("[redacted: personal]", "personal")
    assert without["risk_contact"] == ("Olga, risk desk", "confidential")
    assert custom(await gql(clean_graph, ADMIN, MODEL, purpose="curiosity"))["subject_ref"][0] == "[redacted: personal]"
    assert custom(await gql(clean_graph, ADMIN, MODEL, purpose="audit"))["subject_ref"][0] == "case 4411"

    found = await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent {chain: 'reads:ada'}) RETURN e.purpose AS purpose, e.details AS d ORDER BY e.seq"
    )
    events = [(r["purpose"], json.loads(r["d"])["disclosed"]) for r in found.records]
    assert [purpose for purpose, _ in events] == [None, "curiosity", "audit"]
    assert [d["field"] for d in events[2][1]] == ["custom.risk_contact", "custom.subject_ref"]
    assert {d["classification"] for d in events[2][1]} == {"confidential", "personal"}
    # A viewer that saw only markers disclosed nothing: no audit event for it.
    await gql(clean_graph, VIEWER, MODEL)
    none = await clean_graph.driver.execute_query("MATCH (e:AuditEvent {chain: 'reads:vic'}) RETURN count(e) AS n")
    assert none.records[0]["n"] == 0


SEARCH = """query($filters: [FilterGroupInput!]) { search(input: {anyOf: $filters}) {
  ... on SearchResults { total hits { modelName } } } }"""


def custom_filter(key: str, op: str, value: str | None = None) -> list[dict[str, Any]]:
    condition: dict[str, Any] = {"field": "CUSTOM", "key": key, "op": op}
    if value is not None:
        condition["value"] = value
    return [{"allOf": [condition]}]


async def hits(services: Services, actor: Actor, filters: list[dict[str, Any]], purpose: str | None = None) -> int:
    found = await gql(services, actor, SEARCH, purpose=purpose, filters=filters)
    total: int = found["search"]["total"]
    return total


async def test_a_search_filter_never_matches_a_value_the_reader_may_not_see(
    clean_graph: Services, classified: dict[str, str]
) -> None:
    # A viewer may not read the confidential contact: no filter can say what it is, or that it exists.
    assert await hits(clean_graph, VIEWER, custom_filter("risk_contact", "EQ", "Olga, risk desk")) == 0
    assert await hits(clean_graph, VIEWER, custom_filter("risk_contact", "PREFIX", "O")) == 0
    assert await hits(clean_graph, VIEWER, custom_filter("risk_contact", "EXISTS")) == 0
    assert await hits(clean_graph, VIEWER, custom_filter("subject_ref", "EXISTS")) == 0
    # A public property filters for everyone.
    assert await hits(clean_graph, VIEWER, custom_filter("tier", "EQ", "gold")) == 1
    # The owner and an admin may read it, so their filters match; personal data needs its purpose too.
    assert await hits(clean_graph, OWNER, custom_filter("risk_contact", "EQ", "Olga, risk desk")) == 1
    assert await hits(clean_graph, ADMIN, custom_filter("risk_contact", "PREFIX", "O")) == 1
    assert await hits(clean_graph, ADMIN, custom_filter("subject_ref", "EQ", "case 4411")) == 0
    assert await hits(clean_graph, ADMIN, custom_filter("subject_ref", "EQ", "case 4411"), purpose="audit") == 1

    # Filtering on values one may read discloses them (the hits say which versions hold them): audited.
    found = await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent {chain: 'reads:ada'}) RETURN e.purpose AS purpose, e.details AS d ORDER BY e.seq"
    )
    last = json.loads(found.records[-1]["d"])["disclosed"]
    assert found.records[-1]["purpose"] == "audit"
    assert {(d["field"], d["classification"]) for d in last} == {
        ("custom.subject_ref", "confidential"),
        ("custom.subject_ref", "personal"),
    }
    # The owner's filter matched its own model through owner rights: audited as confidential.
    owner = await clean_graph.driver.execute_query("MATCH (e:AuditEvent {chain: 'reads:olga'}) RETURN e.details AS d")
    assert [(d["field"], d["classification"]) for d in json.loads(owner.records[-1]["d"])["disclosed"]] == [
        ("custom.risk_contact", "confidential")
    ]
    # The viewer found nothing it may not read, and disclosed nothing.
    viewer = await clean_graph.driver.execute_query("MATCH (e:AuditEvent {chain: 'reads:vic'}) RETURN count(e) AS n")
    assert viewer.records[0]["n"] == 0


async def test_lineage_properties_go_through_the_same_gate(
    clean_graph: Services, classified: dict[str, str], internal_for_admins_only: None
) -> None:
    query = """query($id: ID!) { lineage(input: {start: $id, direction: UPSTREAM, maxHops: 4}) {
      nodes { kind properties } } }"""
    seen = await gql(clean_graph, VIEWER, query, id=classified["model_version"])
    datasets = [n["properties"] for n in seen["lineage"]["nodes"] if n["kind"] == "DatasetVersion"]
    assert datasets and all(p["source_uri"] == "[redacted: internal]" for p in datasets)
    assert (await gql(clean_graph, VIEWER, MODEL))["model"]["intendedUse"] == "[redacted: internal]"
    admin = await gql(clean_graph, ADMIN, query, id=classified["model_version"])
    sources = [n["properties"]["source_uri"] for n in admin["lineage"]["nodes"] if n["kind"] == "DatasetVersion"]
    assert sources == ["s3://raw/customers.parquet"]


async def test_an_unknown_classification_is_refused_naming_the_property(clean_graph: Services) -> None:
    from app.errors import ValidationFailed
    from app.registry.execute import execute
    from app.registry.handlers import command_from
    from tests.integration.chain import ADMIN as ROOT

    with pytest.raises(ValidationFailed) as refused:
        await execute(
            clean_graph,
            ROOT,
            command_from(
                "create_model",
                {"name": "x", "licence": "MIT", "custom": {"k": {"value": 1, "classification": "secret"}}},
            ),
        )
    assert refused.value.field == "custom.k.classification"


async def test_when_a_disclosure_cannot_be_audited_nothing_is_returned(
    clean_graph: Services, classified: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unwritable(*_: object, **__: object) -> None:
        raise DependencyUnavailable("neo4j unavailable (test)")

    monkeypatch.setattr(unit, "write", unwritable)  # the one audit write of a read
    request = SimpleNamespace(headers={})
    context = Context(request=request, response=None, services=clean_graph, principal=ADMIN)  # type: ignore[arg-type]
    out = await build_schema(clean_graph.settings).execute(MODEL, context_value=context)
    assert out.data is None
    assert out.errors is not None and len(out.errors) == 1
    assert "the audit could not be written; nothing was returned" in out.errors[0].message
