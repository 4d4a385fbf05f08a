"""POST /api/v1/lineage: OpenLineage RunEvents become projects, experiments, datasets and runs."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.graph.core_reads import CoreReader
from app.graph.dataset_records import DatasetVersion
from app.services import Services
from tests.e2e.test_artifacts import key_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]


def event(kind: str, run_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "eventType": kind,
        "eventTime": "2026-11-01T10:00:00Z" if kind == "START" else "2026-11-01T11:30:00Z",
        "producer": "https://example.invalid/airflow",
        "run": {"runId": run_id},
        "job": {"namespace": "airflow://risk", "name": "train credit model"},
        "inputs": [{"namespace": "s3://lake", "name": "curated/loans.parquet"}],
        **extra,
    }


async def test_start_and_complete_make_a_finished_run_with_its_inputs(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    token = await key_for(clean_graph, "airflow", "contributor")
    headers = {"Authorization": f"Bearer {token}"}
    run_id = str(uuid.uuid4())
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        started = await http.post("/api/v1/lineage", json=event("START", run_id), headers=headers)
        assert started.status_code == 201, started.text
        again = await http.post("/api/v1/lineage", json=event("START", run_id), headers=headers)
        assert again.json()["run"] == started.json()["run"]
        done = await http.post("/api/v1/lineage", json=event("COMPLETE", run_id), headers=headers)
        assert done.status_code == 201
        assert (done.json()["run"], done.json()["status"]) == (started.json()["run"], "finished")
        assert started.json()["inputs"][0]["dataset"] == "curated-loans.parquet"  # its own name, not the namespace
    core = CoreReader(clean_graph.driver, clean_graph.settings.neo4j_database)
    run = await core.run_by_external_id(run_id)
    assert run is not None and run.status == "FINISHED" and run.duration_seconds == 5400.0
    inputs = await core.run_inputs(run.id)
    assert [(i.source_uri, i.dataset) for i in inputs if isinstance(i, DatasetVersion)] == [
        ("s3://lake/curated/loans.parquet", "curated-loans.parquet")
    ]
    assert len(inputs) == 1
    experiment = await core.experiment("airflow-risk", "train-credit-model")
    assert experiment is not None and run.experiment_id == experiment.id


async def test_a_terminal_event_alone_records_the_whole_run(live_server: str, clean_graph: Services) -> None:
    token = await key_for(clean_graph, "spark", "contributor")
    run_id = str(uuid.uuid4())
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        failed = await http.post(
            "/api/v1/lineage", json=event("FAIL", run_id), headers={"Authorization": f"Bearer {token}"}
        )
    assert failed.status_code == 201
    run = await CoreReader(clean_graph.driver, clean_graph.settings.neo4j_database).run_by_external_id(run_id)
    assert run is not None and run.status == "FAILED"


async def test_bad_events_and_viewers_are_refused(live_server: str, clean_graph: Services) -> None:
    contributor = await key_for(clean_graph, "airflow", "contributor")
    viewer = await key_for(clean_graph, "vera", "viewer")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        no_job = await http.post(
            "/api/v1/lineage",
            json={**event("START", "r1"), "job": {"namespace": "x"}},
            headers={"Authorization": f"Bearer {contributor}"},
        )
        assert no_job.status_code == 422 and no_job.json()["error"]["field"] == "job.name"
        refused = await http.post(
            "/api/v1/lineage", json=event("START", "r2"), headers={"Authorization": f"Bearer {viewer}"}
        )
        assert refused.status_code == 403 and "role viewer may not publish" in refused.json()["error"]["message"]
    assert await CoreReader(clean_graph.driver, clean_graph.settings.neo4j_database).run_by_external_id("r2") is None
