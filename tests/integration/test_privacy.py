"""Personal data in free text against the real OPA and Neo4j: handled as the privacy policy's data
says — masked before it is stored, refused naming the field, or sent to review with a reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.registry.actor import Actor
from app.services import Services
from tests.conftest import opa_test_headers

pytestmark = pytest.mark.integration

ROOT = Actor(id="root", name="root", roles=("admin",))
CREATE = """mutation($i: CreateModelInput!) { createModel(input: $i) { __typename
  ... on ModelSuccess { model { description intendedUse } }
  ... on Error { code message field } ... on ReviewRequired { reasons } } }"""


async def create(services: Services, **fields: Any) -> dict[str, Any]:
    context = Context(request=None, response=None, services=services, principal=ROOT)  # type: ignore[arg-type]
    out = await build_schema(services.settings).execute(
        CREATE, variable_values={"i": {"licence": "MIT", **fields}}, context_value=context
    )
    assert out.errors is None and out.data is not None, out.errors
    return out.data["createModel"]


@pytest.fixture
def handling(settings: Settings) -> Iterator[dict[str, str]]:
    """The privacy policy data of the test OPA; a test changes it, the fixture puts it back."""
    url = f"{settings.opa_url}/v1/data/modelgraph/config/personal_data"
    original = httpx.get(url, headers=opa_test_headers(settings), timeout=5).json()["result"]
    changed = dict(original["handling"])
    yield changed
    httpx.put(url, json=original, headers=opa_test_headers(settings), timeout=5).raise_for_status()


def apply(settings: Settings, handling: dict[str, str]) -> None:
    url = f"{settings.opa_url}/v1/data/modelgraph/config/personal_data/handling"
    httpx.put(url, json=handling, headers=opa_test_headers(settings), timeout=5).raise_for_status()


async def test_an_email_in_a_description_is_masked_before_it_is_stored(clean_graph: Services) -> None:
    created = await create(
        clean_graph, name="masked", description="Owner: ana.ruiz@example.org", intendedUse="scoring; +44 20 7946 0958"
    )
    assert created["model"] == {"description": "Owner: [masked: email]", "intendedUse": "scoring; [masked: phone]"}
    stored = await clean_graph.driver.execute_query("MATCH (m:Model {name: 'masked'}) RETURN m.description AS d")
    assert "ana.ruiz" not in stored.records[0]["d"]


async def test_a_national_id_is_refused_naming_the_field_and_nothing_is_written(clean_graph: Services) -> None:
    refused = await create(clean_graph, name="refused", description="sample row: SSN 536-90-4399")
    assert refused["__typename"] == "ValidationError" and refused["field"] == "description"
    assert refused["message"] == "description: contains personal data (national_id), which policy refuses in free text"
    found = await clean_graph.driver.execute_query("MATCH (m:Model {name: 'refused'}) RETURN count(m) AS n")
    assert found.records[0]["n"] == 0


async def test_policy_data_can_send_it_to_review_instead(
    clean_graph: Services, settings: Settings, handling: dict[str, str]
) -> None:
    apply(settings, {**handling, "email": "review"})
    reviewed = await create(clean_graph, name="reviewed", description="ask bob@corp.io")
    assert reviewed["__typename"] == "ReviewRequired"
    assert "free text contains personal data: description contains personal data (email)" in reviewed["reasons"]

    apply(settings, {**handling, "email": "refuse"})
    refused = await create(clean_graph, name="reviewed", description="ask bob@corp.io")
    assert refused["__typename"] == "ValidationError" and refused["field"] == "description"


async def test_text_without_personal_data_is_stored_as_written(clean_graph: Services) -> None:
    text = "Gradient boosted trees, 120000 rows, AUC 0.91 on the 2024-01-15 holdout"
    assert (await create(clean_graph, name="plain", description=text))["model"]["description"] == text
