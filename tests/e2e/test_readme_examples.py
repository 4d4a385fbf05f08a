"""The demo registry loads, and every GraphQL example in the README answers over HTTP without
errors and with data — what a new user pastes into GraphiQL first."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from app import demo
from app.config import Settings
from app.services import Services

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"```graphql\n(.*?)```", re.S)


def readme_queries() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


async def test_the_readme_examples_answer_on_the_demo_registry(
    live_server: str, settings: Settings, clean_graph: Services, tmp_path: Path
) -> None:
    await demo.load(clean_graph, tmp_path / "demo-keys")
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (v:ModelVersion {model_name: 'credit-default', version: 2}) "
        "MATCH (d:DatasetVersion {dataset_name: 'loan-applications'}) RETURN v.id AS version, d.id AS data LIMIT 1"
    )
    ids = {"<a model version id>": records[0]["version"], "<a dataset version id>": records[0]["data"]}
    queries = readme_queries()
    assert len(queries) >= 5
    headers = {"Authorization": f"Bearer {settings.bootstrap_admin_key.get_secret_value()}"}
    async with httpx.AsyncClient(base_url=live_server, headers=headers, timeout=30) as http:
        for query in queries:
            for placeholder, value in ids.items():
                query = query.replace(placeholder, value)
            body = (await http.post("/graphql", json={"query": query})).json()
            assert body.get("errors") is None, (query, body)
            assert all(value not in (None, [], {}) for value in body["data"].values()), (query, body)
