"""The continuous validator against the real Neo4j, S3 store and OPA: an artifact deleted or altered
in the store opens a finding on its version within one cycle and restoring it resolves it (history
kept, both in the audit trail); policy's required metadata for production; dataset sources under an
allowed root; one replica at a time through the lease."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import pytest

from app.artifacts.store import content_key
from app.graph.validation import ValidationRepo
from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.registry.actor import Actor
from app.services import Services
from app.validation import Validator
from tests.conftest import force_working_hours
from tests.integration.chain import build_chain, run

pytestmark = pytest.mark.integration

ROOT = Actor(id="root", name="root", roles=("admin",))
RIGHTS = {"training_allowed": True, "commercial_use": True, "contains_personal_data": False}
FINDINGS = """query($m: String!) { modelVersion(model: $m, version: 2) {
  findings(includeResolved: true) { check status detail resolvedAt }
  liveStatus { findings { check } } } }"""


async def gql(services: Services, query: str, **variables: Any) -> dict[str, Any]:
    context = Context(request=None, response=None, services=services, principal=ROOT)  # type: ignore[arg-type]
    out = await build_schema(services.settings).execute(query, variable_values=variables, context_value=context)
    assert out.errors is None and out.data is not None, out.errors
    return out.data


async def stored_version(services: Services, model: str, data: bytes) -> str:
    """Version 2 of `model`, whose artifact is stored by the registry; returns its digest."""
    ids = await build_chain(services, model)
    stored = await services.artifacts.put(data)
    artifact = {"uri": f"modelgraph://artifacts/{stored.digest}", "digest": stored.digest, "size": len(data)}
    await run(services, "register_model_version", {"model": model, "run_id": ids["run"], "artifact": artifact})
    return stored.digest


async def s3(services: Services, method: str, **kwargs: Any) -> Any:
    client, bucket = services.artifacts._client, services.artifacts._bucket
    return await anyio.to_thread.run_sync(partial(getattr(client, method), bucket_name=bucket, **kwargs))


async def audit_actions(services: Services, model: str) -> list[str]:
    found = await services.driver.execute_query(
        "MATCH (e:AuditEvent {chain: $s}) WHERE e.actor = 'modelgraph-validator' RETURN e.action AS a ORDER BY e.seq",
        s=f"model:{model}",
    )
    return [r["a"] for r in found.records]


async def test_a_deleted_artifact_is_flagged_within_one_cycle_and_cleared_when_restored(clean_graph: Services) -> None:
    data = b"weights " + uuid.uuid4().bytes
    digest = await stored_version(clean_graph, "checked", data)
    validator = Validator(clean_graph)

    first = await validator.full_pass()
    assert first.versions >= 2 and first.opened == [] and first.bytes_verified >= len(data)

    await s3(clean_graph, "remove_object", object_name=content_key(digest))
    missing = await validator.full_pass()
    assert [(f.check, f.subject_id) for f in missing.opened] == [("artifact_missing", missing.opened[0].subject_id)]
    seen = (await gql(clean_graph, FINDINGS, m="checked"))["modelVersion"]
    assert [(f["check"], f["status"]) for f in seen["findings"]] == [("artifact_missing", "open")]
    assert seen["liveStatus"]["findings"] == [{"check": "artifact_missing"}]
    assert (await validator.full_pass()).opened == []  # still missing: the same finding, not a second one

    await clean_graph.artifacts.put(data)  # restored
    fixed = await validator.full_pass()
    assert [f.check for f in fixed.resolved] == ["artifact_missing"]
    seen = (await gql(clean_graph, FINDINGS, m="checked"))["modelVersion"]
    assert [(f["check"], f["status"]) for f in seen["findings"]] == [("artifact_missing", "resolved")]
    assert seen["findings"][0]["resolvedAt"] and seen["liveStatus"]["findings"] == []
    assert await audit_actions(clean_graph, "checked") == ["validate:open_finding", "validate:resolve_finding"]
    events = await clean_graph.driver.execute_query(
        "MATCH (o:Outbox) WHERE o.type STARTS WITH 'finding.' RETURN o.type AS t, o.model AS m ORDER BY o.seq"
    )
    assert [(r["t"], r["m"]) for r in events.records] == [
        ("finding.opened", "checked"),
        ("finding.resolved", "checked"),
    ]


async def test_altered_bytes_are_a_corrupt_artifact_and_no_budget_means_no_byte_check(clean_graph: Services) -> None:
    data = b"weights " + uuid.uuid4().bytes
    digest = await stored_version(clean_graph, "altered", data)
    key = content_key(digest)
    response = await s3(clean_graph, "get_object", object_name=key)
    blob = bytes(response.read())
    response.close()
    response.release_conn()
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    await s3(clean_graph, "put_object", object_name=key, data=io.BytesIO(tampered), length=len(tampered))

    assert (await Validator(clean_graph, byte_budget=0).full_pass()).opened == []  # exists; bytes not read
    corrupt = await Validator(clean_graph).full_pass()
    assert [f.check for f in corrupt.opened] == ["artifact_corrupt"]
    assert "altered" in corrupt.opened[0].detail


async def test_production_needs_an_intended_use_and_a_holdout_evaluation(clean_graph: Services) -> None:
    force_working_hours(clean_graph.settings)
    ids = await build_chain(clean_graph, "prod")
    await run(clean_graph, "move_alias", {"model": "prod", "alias": "production", "version": 1})
    validator = Validator(clean_graph)

    found = await validator.full_pass()
    assert sorted(f.check for f in found.opened) == ["holdout_evaluation_missing", "intended_use_missing"]

    await run(
        clean_graph,
        "record_evaluation",
        {"model": "prod", "version": 1, "metrics": {"f1": 0.9}, "dataset_version_id": ids["dataset_version"]},
    )
    assert (await validator.full_pass()).resolved == []  # evaluated on its own training data: no holdout
    holdout = await run(
        clean_graph,
        "register_dataset_version",
        {"dataset": "prod-holdout", "source_uri": "s3://raw/holdout.parquet", "usage_rights": RIGHTS},
    )
    await run(
        clean_graph,
        "record_evaluation",
        {"model": "prod", "version": 1, "metrics": {"f1": 0.88}, "dataset_version_id": holdout["id"]},
    )
    model = (await gql(clean_graph, '{ model(name: "prod") { id revision } }'))["model"]
    await run(
        clean_graph,
        "update_metadata",
        {"id": model["id"], "expected_revision": model["revision"], "changes": {"intended_use": "credit scoring"}},
    )
    fixed = await validator.full_pass()
    assert sorted(f.check for f in fixed.resolved) == ["holdout_evaluation_missing", "intended_use_missing"]


async def test_dataset_sources_are_checked_only_under_an_allowed_root(clean_graph: Services, tmp_path: Path) -> None:
    source = tmp_path / "data.csv"
    source.write_text("a,b\n1,2\n")
    for name, uri in (("allowed", source.as_uri()), ("elsewhere", "file:///nonexistent/data.csv")):
        await run(
            clean_graph,
            "register_dataset_version",
            {"dataset": name, "source_uri": uri, "usage_rights": RIGHTS},
        )
    services = Services(
        clean_graph.settings.model_copy(update={"validate_file_roots": [str(tmp_path)]}),
        clean_graph.driver,
        clean_graph.policy,
        clean_graph.artifacts,
    )
    validator = Validator(services)
    assert (await validator.full_pass()).opened == []  # the other file is missing, but not ours to probe

    source.unlink()
    gone = await validator.full_pass()
    assert [(f.check, f.subject_kind) for f in gone.opened] == [("source_unreachable", "DatasetVersion")]
    source.write_text("a,b\n")
    assert [f.check for f in (await validator.full_pass()).resolved] == ["source_unreachable"]


async def test_one_replica_holds_the_lease_until_it_expires(clean_graph: Services) -> None:
    repo = ValidationRepo(clean_graph.driver, clean_graph.settings.neo4j_database)
    name = f"test-{uuid.uuid4().hex}"
    assert await repo.acquire_lease(name, "a", timedelta(minutes=1))
    assert not await repo.acquire_lease(name, "b", timedelta(minutes=1))
    assert await repo.acquire_lease(name, "a", timedelta(minutes=1))  # the holder renews
    await repo.release_lease(name, "a")
    assert await repo.acquire_lease(name, "b", timedelta(minutes=1))


async def test_validate_command_reports_open_findings(clean_graph: Services) -> None:
    digest = await stored_version(clean_graph, "cli", b"bytes " + uuid.uuid4().bytes)
    await s3(clean_graph, "remove_object", object_name=content_key(digest))
    env = {**os.environ, "MODELGRAPH_PROFILE": clean_graph.settings.profile}
    argv = [sys.executable, "-m", "app.cli", "validate", "--output", "json", "--fail-on-findings"]
    command = partial(subprocess.run, argv, env=env, capture_output=True, text=True, timeout=120, check=False)
    done = await anyio.to_thread.run_sync(command)
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout)
    assert summary["open"] == {"artifact_missing": 1} and summary["complete_pass"] is True
    assert [o["check"] for o in summary["opened"]] == ["artifact_missing"]


async def test_dataset_sources_in_an_allowed_bucket_are_checked_with_a_head(clean_graph: Services) -> None:
    bucket = clean_graph.artifacts._bucket
    key = f"datasets/{uuid.uuid4().hex}.csv"
    await s3(clean_graph, "put_object", object_name=key, data=io.BytesIO(b"a,b\n"), length=4)
    await run(
        clean_graph,
        "register_dataset_version",
        {"dataset": "in-bucket", "source_uri": f"s3://{bucket}/{key}", "usage_rights": RIGHTS},
    )
    settings = clean_graph.settings.model_copy(update={"validate_source_buckets": [bucket]})
    validator = Validator(Services(settings, clean_graph.driver, clean_graph.policy, clean_graph.artifacts))
    assert (await validator.full_pass()).opened == []

    await s3(clean_graph, "remove_object", object_name=key)
    gone = await validator.full_pass()
    assert [(f.check, f.detail) for f in gone.opened] == [("source_unreachable", f"no object s3://{bucket}/{key}")]


async def test_http_sources_on_an_allowed_host_are_asked_with_head_and_no_redirect_is_followed(
    clean_graph: Services,
) -> None:
    import http.server
    import threading

    status = {"/data.csv": 200, "/moved.csv": 302}
    asked: list[tuple[str, str]] = []

    class Source(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            asked.append((self.command, self.path))
            self.send_response(status.get(self.path, 404))
            if self.path == "/moved.csv":
                self.send_header("Location", "http://169.254.169.254/latest/meta-data")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Source)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        for name, path in (("served", "/data.csv"), ("moved", "/moved.csv")):
            await run(
                clean_graph,
                "register_dataset_version",
                {"dataset": name, "source_uri": base + path, "usage_rights": RIGHTS},
            )
        settings = clean_graph.settings.model_copy(update={"validate_http_hosts": ["127.0.0.1"]})
        validator = Validator(Services(settings, clean_graph.driver, clean_graph.policy, clean_graph.artifacts))
        assert (await validator.full_pass()).opened == []  # a redirect answers for the source, unfollowed
        assert sorted(asked) == [("HEAD", "/data.csv"), ("HEAD", "/moved.csv")]

        status["/data.csv"] = 404
        gone = await validator.full_pass()
        assert [(f.check, f.detail) for f in gone.opened] == [("source_unreachable", f"{base}/data.csv answered 404")]
    finally:
        server.shutdown()
