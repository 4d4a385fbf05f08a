"""A dataset is its source: after an OpenLineage producer (the real openlineage-python client) made a
dataset, registering the same source under another name is a conflict that names the existing
dataset and writes nothing; under that name it is the next version of the one node."""

from __future__ import annotations

import uuid

import pytest

from app.config import Settings
from app.services import Services
from modelgraph.client import Conflict, ModelGraph
from tests.e2e.test_artifacts import key_for
from tests.e2e.test_openlineage_graph import count

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]


def emit_start(live_server: str, token: str) -> None:
    """A run of an OpenLineage producer reading s3://raw/customers.parquet, sent over HTTP with a key."""
    from openlineage.client import OpenLineageClient
    from openlineage.client.event_v2 import InputDataset, Job, Run, RunEvent, RunState
    from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport

    config = HttpConfig(
        url=live_server, endpoint="api/v1/lineage", timeout=30, auth=ApiKeyTokenProvider({"apiKey": token})
    )
    OpenLineageClient(transport=HttpTransport(config)).emit(
        RunEvent(
            eventType=RunState.START,
            eventTime="2026-11-03T10:00:00+00:00",
            run=Run(runId=str(uuid.uuid4())),
            job=Job(namespace="dagster", name="features.customers"),
            producer="https://modelgraph.invalid/tests",
            inputs=[InputDataset(namespace="s3://raw", name="customers.parquet")],
        )
    )


async def test_registering_a_source_under_a_second_name_is_refused_naming_the_first(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    emit_start(live_server, await key_for(clean_graph, "pipeline", "contributor"))
    assert await count(clean_graph, "MATCH (d:Dataset) RETURN count(d)") == 1
    admin = settings.bootstrap_admin_key.get_secret_value()
    with ModelGraph(live_server, admin) as mg:
        with pytest.raises(Conflict) as refused:
            mg.register_dataset("customer-table", "S3://RAW/customers.parquet/", row_count=10)
        assert refused.value.field == "sourceUri"
        assert refused.value.message == (
            "sourceUri: 's3://raw/customers.parquet' is already the source of dataset 'customers.parquet': "
            "register this version under that name (a dataset derived from it says so in derivedFrom)"
        )
        assert await count(clean_graph, "MATCH (d:Dataset) RETURN count(d)") == 1
        assert await count(clean_graph, "MATCH (d:Dataset {name: 'customer-table'}) RETURN count(d)") == 0

        joined = mg.register_dataset("customers.parquet", "s3://raw/customers.parquet", row_count=10)
        latest = mg.graph.dataset_version_lookup(dataset="customers.parquet", version=2).dataset_version
        assert latest is not None and latest.id == joined

        # A dataset that declares what it was derived from may record the same source; it is its own
        # dataset and does not take the source's identity over.
        derived = mg.register_dataset(
            "customers-eu",
            "s3://raw/customers.parquet",
            derived_from=[{"dataset_version_id": joined, "step": "filter country in EU"}],
        )
        assert derived != joined
    owner = await count(
        clean_graph,
        "MATCH (:DatasetSource {key: 's3://raw/customers.parquet'})-[:SOURCE_OF]->(d:Dataset) "
        "WHERE d.name = 'customers.parquet' RETURN count(d)",
    )
    assert owner == 1 and await count(clean_graph, "MATCH (d:Dataset) RETURN count(d)") == 2
