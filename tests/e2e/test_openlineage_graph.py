"""OpenLineage that joins the graph: golden events from the spec and the real openlineage-python
client against a running service; one node per dataset whoever describes it; outputs produced by
the run; a model output registered as a model version; runs found by their OpenLineage runId."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.graph.core_reads import CoreReader
from app.graph.dataset_records import DatasetVersion
from app.services import Services
from tests.e2e.test_artifacts import key_for
from tests.integration.chain import run

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

GOLDEN = Path(__file__).parent / "openlineage_events"


def golden(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((GOLDEN / name).read_text())
    return event


async def gql(http: httpx.AsyncClient, token: str, query: str, **variables: Any) -> dict[str, Any]:
    answer = await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
    )
    body: dict[str, Any] = answer.json()
    assert answer.status_code == 200 and not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data


async def count(services: Services, query: str, **params: Any) -> int:
    async with services.driver.session(database=services.settings.neo4j_database) as session:
        record = await (await session.run(query, **params)).single()
    assert record is not None
    return int(record[0])


REGISTER = """mutation($i: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $i) {
  __typename ... on DatasetVersionSuccess { datasetVersion { id dataset version } } ... on Error { message } } }"""


async def test_golden_airflow_events_join_a_registered_dataset(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    admin = settings.bootstrap_admin_key.get_secret_value()
    token = await key_for(clean_graph, "airflow", "contributor")
    start, complete = golden("airflow_task_start.json"), golden("airflow_task_complete.json")
    run_id = start["run"]["runId"]
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        registered = await gql(
            http, admin, REGISTER, i={"dataset": "loans-curated", "sourceUri": "s3://Lake/curated/loans.parquet/"}
        )
        first = registered["registerDatasetVersion"]["datasetVersion"]
        headers = {"Authorization": f"Bearer {token}"}
        started = await http.post("/api/v1/lineage", json=start, headers=headers)
        assert started.status_code == 201, started.text
        opened = started.json()
        assert opened["status"] == "started" and opened["externalId"] == run_id
        assert [(i["namespace"], i["name"], i["created"]) for i in opened["inputs"]] == [
            ("postgres://warehouse.example:5432", "lending.public.loan_applications", True),
            ("s3://lake", "raw/bureau_scores.parquet", True),
        ]
        # The Postgres table is named by its own name, never by its namespace.
        assert opened["inputs"][0]["dataset"] == "lending.public.loan_applications"
        assert {c["kind"] for c in opened["created"]} == {"Project", "Experiment", "Run", "DatasetVersion"}
        assert opened["outputs"] == []  # outputs become versions when the run completes

        done = await http.post("/api/v1/lineage", json=complete, headers=headers)
        assert done.status_code == 201, done.text
        finished = done.json()
        assert finished["run"] == opened["run"] and finished["status"] == "finished"
        [output] = finished["outputs"]
        assert output["dataset"] == "loans-curated" and output["version"] == 2 and output["created"] is True
        assert [c["kind"] for c in finished["created"]] == ["DatasetVersion"]

        again = await http.post("/api/v1/lineage", json=complete, headers=headers)
        assert again.status_code == 201 and again.json()["created"] == []
        assert again.json()["outputs"][0]["datasetVersion"] == output["datasetVersion"]

        found = await gql(
            http,
            token,
            """query($ext: String!, $node: ID!) {
              run(externalId: $ext) { id status externalId producer facets jobFacets parentRunExternalId
                parentJobName jobOwners inputs { ... on DatasetVersion { dataset sourceNamespace } }
                outputs { id dataset version sourceNamespace sourceName schema description rowCount
                  dataSourceUri sourceOwners facets producedBy { id } } }
              node(id: $node) { id ... on Run { externalId } } }""",
            ext=run_id,
            node=run_id,
        )
    got = found["run"]
    assert got["id"] == opened["run"] and got["status"] == "FINISHED" and found["node"]["id"] == opened["run"]
    assert got["producer"] == start["producer"] and got["parentRunExternalId"] == "01930f6e-0000-7c3d-9e4f-5a6b7c8d9e00"
    assert got["parentJobName"] == "loans_daily" and got["jobOwners"] == ["team:risk-data"]
    assert got["facets"]["acme_costCenter"]["costCenter"] == "CC-4711"  # an unknown facet, kept
    assert got["jobFacets"]["sourceCodeLocation"]["type"] == "git"
    [produced] = got["outputs"]
    assert produced["id"] == output["datasetVersion"] and produced["producedBy"] == {"id": got["id"]}
    assert (produced["dataset"], produced["sourceNamespace"], produced["sourceName"]) == (
        "loans-curated",
        "s3://lake",
        "curated/loans.parquet",
    )
    # A dataset's schema is confidential: the contributor sees the marker; the stored value is the facet's.
    assert produced["schema"] == "[redacted: confidential]"
    stored = await clean_graph.driver.execute_query(
        "MATCH (d:DatasetVersion {id: $id}) RETURN d.schema AS schema", id=produced["id"]
    )
    assert json.loads(stored.records[0]["schema"])[2] == {"name": "bureau_score", "type": "int32"}
    assert produced["description"].startswith("Loan applications with bureau scores")
    assert produced["rowCount"] == 120000 and produced["dataSourceUri"] == "s3://lake"
    assert produced["sourceOwners"] == ["team:risk-data"] and produced["facets"]["acme_retention"] == {
        "_producer": "https://acme.example/lineage-plugin",
        "_schemaURL": "https://acme.example/schemas/RetentionDatasetFacet.json",
        "days": 400,
    }
    assert await count(clean_graph, "MATCH (d:Dataset) WHERE d.name CONTAINS 'loans.parquet' RETURN count(d)") == 0
    assert await count(clean_graph, "MATCH (d:Dataset {name: 'loans-curated'}) RETURN count(d)") == 1
    assert first["version"] == 1
    experiment = await CoreReader(clean_graph.driver, settings.neo4j_database).experiment(
        "airflow-prod", "loans_daily.curate_loans"
    )
    assert experiment is not None and str(experiment.description).startswith("Joins raw loan applications")


async def test_lineage_of_an_output_reaches_the_run_that_wrote_it(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    token = await key_for(clean_graph, "airflow", "contributor")
    headers = {"Authorization": f"Bearer {token}"}
    event = {**golden("airflow_task_complete.json"), "run": {"runId": str(uuid.uuid4())}}
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        done = (await http.post("/api/v1/lineage", json=event, headers=headers)).json()
        output = done["outputs"][0]["datasetVersion"]
        graph = await gql(
            http,
            token,
            """query($s: ID!) { lineage(input: {start: $s, direction: UPSTREAM, maxHops: 3}) {
                 nodes { id kind } edges { source target type } } }""",
            s=output,
        )
    edges = {(e["source"], e["type"], e["target"]) for e in graph["lineage"]["edges"]}
    assert (output, "PRODUCED_BY", done["run"]) in edges
    used = {e["target"] for e in graph["lineage"]["edges"] if e["type"] == "USED" and e["source"] == done["run"]}
    assert used == {i["datasetVersion"] for i in done["inputs"]}


async def test_a_model_output_becomes_a_version_trained_by_the_run(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    token = await key_for(clean_graph, "spark", "publisher")
    await run(clean_graph, "create_model", {"name": "credit-default", "owners": ["spark"], "licence": "Apache-2.0"})
    rights = {"training_allowed": True, "commercial_use": True, "contains_personal_data": False}
    await run(
        clean_graph,
        "register_dataset_version",
        {"dataset": "loans", "source_uri": "s3://lake/curated/loans.parquet", "usage_rights": rights},
    )
    event = golden("spark_model_complete.json")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        answer = await http.post("/api/v1/lineage", json=event, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert body["inputs"][0]["dataset"] == "loans" and body["inputs"][0]["created"] is False
        [model] = body["models"]
        assert (model["model"], model["version"], model["status"]) == ("credit-default", 1, "REGISTERED")
        found = await gql(
            http,
            token,
            """{ modelVersion(model: "credit-default", version: 1) { id artifact { uri digest size format }
                 run { externalId status } } }""",
        )
    version = found["modelVersion"]
    assert version["id"] == model["modelVersion"]
    assert version["run"] == {"externalId": event["run"]["runId"], "status": "FINISHED"}
    assert version["artifact"] == {
        "uri": "s3://models/credit-default/2026-11-02/model.onnx",
        "digest": "sha256:" + "ab" * 32,
        "size": 52428800,
        "format": "onnx",
    }
    # The model file is also a dataset version the run produced (the same output, two views).
    assert body["outputs"][0]["name"] == "credit-default/2026-11-02/model.onnx"


async def test_a_model_trained_on_data_of_unknown_rights_waits_for_a_review(
    live_server: str, clean_graph: Services
) -> None:
    token = await key_for(clean_graph, "spark", "publisher")
    await run(clean_graph, "create_model", {"name": "credit-default", "owners": ["spark"], "licence": "Apache-2.0"})
    event = golden("spark_model_complete.json")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        answer = await http.post("/api/v1/lineage", json=event, headers={"Authorization": f"Bearer {token}"})
        again = await http.post("/api/v1/lineage", json=event, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.text
    [model] = answer.json()["models"]
    assert model["status"] == "REVIEW_REQUIRED" and model["review"].startswith("rvw_")
    assert any("does not declare whether training is allowed" in r for r in model["reasons"])
    assert again.json()["models"][0]["review"] == model["review"] and again.json()["created"] == []
    assert await count(clean_graph, "MATCH (r:Review) RETURN count(r)") == 1
    assert await count(clean_graph, "MATCH (v:ModelVersion) RETURN count(v)") == 0


async def test_an_event_naming_a_missing_model_writes_nothing(live_server: str, clean_graph: Services) -> None:
    token = await key_for(clean_graph, "spark", "publisher")
    event = golden("spark_model_complete.json")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        answer = await http.post("/api/v1/lineage", json=event, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 404, answer.text
    error = answer.json()["error"]
    assert (
        error["field"] == "outputs.facets.modelgraph_model.model"
        and "no model named 'credit-default'" in (error["message"])
    )
    assert await count(clean_graph, "MATCH (n) WHERE n:Run OR n:DatasetVersion RETURN count(n)") == 0


async def test_the_openlineage_python_client_reports_through_http_with_an_api_key(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    from openlineage.client import OpenLineageClient
    from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
    from openlineage.client.facet_v2 import documentation_job, schema_dataset
    from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport

    token = await key_for(clean_graph, "pipeline", "contributor")
    admin = settings.bootstrap_admin_key.get_secret_value()
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        await gql(http, admin, REGISTER, i={"dataset": "customers", "sourceUri": "s3://raw/customers.parquet"})
    config = HttpConfig(
        url=live_server, endpoint="api/v1/lineage", timeout=30, auth=ApiKeyTokenProvider({"apiKey": token})
    )
    client = OpenLineageClient(transport=HttpTransport(config))
    run_id = str(uuid.uuid4())
    job = Job(
        namespace="dagster",
        name="features.customers",
        facets={"documentation": documentation_job.DocumentationJobFacet(description="Customer features")},
    )
    source = InputDataset(namespace="s3://raw", name="customers.parquet")
    schema = schema_dataset.SchemaDatasetFacet(
        fields=[schema_dataset.SchemaDatasetFacetFields(name="customer_id", type="string")]
    )
    target = OutputDataset(namespace="s3://features", name="customers/v1", facets={"schema": schema})
    for state, at in ((RunState.START, "2026-11-03T10:00:00+00:00"), (RunState.COMPLETE, "2026-11-03T10:05:00+00:00")):
        client.emit(
            RunEvent(
                eventType=state,
                eventTime=at,
                run=Run(runId=run_id),
                job=job,
                producer="https://modelgraph.invalid/tests",
                inputs=[source],
                outputs=[target],
            )
        )
    core = CoreReader(clean_graph.driver, settings.neo4j_database)
    found = await core.run_by_external_id(run_id)
    assert found is not None and found.status == "FINISHED" and found.duration_seconds == 300.0
    inputs = await core.run_inputs(found.id)
    assert [i.dataset for i in inputs if isinstance(i, DatasetVersion)] == ["customers"] and len(inputs) == 1
    [written] = (await core.run_outputs_of([found.id]))[0]
    assert written.dataset == "customers-v1" and written.source_namespace == "s3://features"
    assert await count(clean_graph, "MATCH (d:Dataset) RETURN count(d)") == 2


async def test_bad_references_and_facets_are_refused_by_field(live_server: str, clean_graph: Services) -> None:
    token = await key_for(clean_graph, "airflow", "contributor")
    headers = {"Authorization": f"Bearer {token}"}
    base = golden("airflow_task_start.json")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        no_name = await http.post(
            "/api/v1/lineage", json={**base, "outputs": [{"namespace": "s3://lake"}]}, headers=headers
        )
        assert no_name.status_code == 422 and no_name.json()["error"]["field"] == "outputs[0].name"
        bad_facets = await http.post(
            "/api/v1/lineage",
            json={**base, "inputs": [{"namespace": "s3://a", "name": "b", "facets": []}]},
            headers=headers,
        )
        assert bad_facets.status_code == 422 and bad_facets.json()["error"]["field"] == "inputs[0].facets"
    assert await count(clean_graph, "MATCH (n) WHERE n:Run OR n:DatasetVersion RETURN count(n)") == 0


async def test_only_the_runs_owner_may_report_its_outputs(live_server: str, clean_graph: Services) -> None:
    owner = await key_for(clean_graph, "airflow", "contributor")
    stranger = await key_for(clean_graph, "intruder", "contributor")
    start, complete = golden("airflow_task_start.json"), golden("airflow_task_complete.json")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        opened = await http.post("/api/v1/lineage", json=start, headers={"Authorization": f"Bearer {owner}"})
        assert opened.status_code == 201
        refused = await http.post("/api/v1/lineage", json=complete, headers={"Authorization": f"Bearer {stranger}"})
    assert refused.status_code == 403, refused.text
    assert "modify denied" in refused.json()["error"]["message"]
    assert await count(clean_graph, "MATCH (:DatasetVersion)-[:PRODUCED_BY]->(:Run) RETURN count(*)") == 0
    run = await CoreReader(clean_graph.driver, clean_graph.settings.neo4j_database).run_by_external_id(
        start["run"]["runId"]
    )
    assert run is not None and run.status == "RUNNING"
