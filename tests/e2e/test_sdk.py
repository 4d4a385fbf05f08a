"""The Python SDK (modelgraph.client) against the real service over HTTP: runs with per-step metrics,
versions with uploaded artifacts, aliases, downloads by alias, search, lineage, reviews, typed errors,
retries that reuse one idempotency key, timeouts, and the async client."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.auth.tokens import hash_key, new_api_key
from app.config import Settings
from app.services import Services
from modelgraph.client import (
    AsyncModelGraph,
    Conflict,
    ModelGraph,
    NotFound,
    PermissionDenied,
    RetryPolicy,
    ReviewRequired,
    Unavailable,
    ValidationFailed,
)
from tests.e2e.flaky import flaky_proxy
from tests.integration.chain import run

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

RIGHTS = {"training_allowed": True, "commercial_use": True, "contains_personal_data": False}
FAST = RetryPolicy(attempts=3, backoff=0.01, max_backoff=0.05)


async def key_for(services: Services, name: str, role: str) -> str:
    await run(services, "create_principal", {"name": name, "roles": [role]})
    key = new_api_key()
    await run(services, "issue_api_key", {"principal": name, "key_hash": hash_key(key)})
    return key


@contextlib.contextmanager
def mg_running(url: str, token: str) -> Iterator[tuple[ModelGraph, str]]:
    """A client and a RUNNING run of its principal."""
    with ModelGraph(url, token, retry=FAST) as mg, mg.start_run("e", project="running") as r:
        yield mg, r.id


def admin(settings: Settings) -> str:
    return settings.bootstrap_admin_key.get_secret_value()


async def test_run_metrics_version_alias_download_search_lineage(
    live_server: str, settings: Settings, clean_graph: Services, tmp_path: Path
) -> None:
    artifact = tmp_path / "model.bin"
    artifact.write_bytes(b"weights" * 50_000)
    with ModelGraph(live_server, admin(settings), retry=FAST) as mg:
        data = mg.register_dataset("sdk-data", "s3://raw/sdk.parquet", row_count=10, usage_rights=RIGHTS)
        with mg.start_run("training", project="sdk", name="first", params={"lr": 0.1, "depth": 3}) as r:
            r.add_inputs(data)
            for step in range(150):  # more than one buffered batch
                r.log_metrics({"loss": 1.0 / (step + 1), "f1": 0.5 + step / 400}, step=step)
        assert mg.run(r.id).status.value == "FINISHED"
        finals = {m.name: m.value for m in mg.run(r.id).metrics}
        assert finals == {"loss": pytest.approx(1 / 150), "f1": pytest.approx(0.5 + 149 / 400)}

        losses = list(mg.metric_history(r.id, "loss", page=40))
        assert [p.step for p in losses] == list(range(150))
        assert losses[0].value == 1.0 and losses[0].at.tzinfo is not None
        assert len(list(mg.metric_history(r.id))) == 300

        v1 = mg.register_version("sdk-model", r, artifact, create_model={"licence": "MIT"})
        v2 = mg.register_version("sdk-model", r, b"second", notes="bytes, not a file")
        assert (v1.version, v2.version) == (1, 2)
        assert v1.artifact.size == artifact.stat().st_size and v1.artifact.digest.startswith("sha256:")
        assert [v.version for v in mg.iter_versions("sdk-model", page=1)] == [2, 1]

        model = mg.set_alias("sdk-model", "staging", 1)
        assert [(a.alias, a.version) for a in model.aliases] == [("staging", 1)]
        path = mg.download("sdk-model", alias="staging", dest=tmp_path)
        assert path.read_bytes() == artifact.read_bytes() and path.name == "sdk-model-v1"

        hits = list(mg.search("sdk-model", page=1))
        assert sorted(h.version for h in hits) == [1, 2]
        graph = mg.lineage(v1.id, direction="UPSTREAM", max_hops=3)
        assert {n.kind.value for n in graph.nodes} >= {"ModelVersion", "Run", "DatasetVersion"}
        assert [m.name for m in mg.iter_models(page=1)] == ["sdk-model"]

        with pytest.raises(Conflict, match="immutable"):
            mg.log_metrics(r.id, {"loss": 0.0})

        serving = [{"version": 1, "traffic_percent": 100}]
        deployment = {"name": "sdk-eu", "model": "sdk-model", "environment": {"tier": "staging"}, "serving": serving}
        deployed = await run(clean_graph, "create_deployment", deployment)
        sample = {"deployment_id": deployed["id"], "at": datetime.now(UTC), "latency_p95_ms": 80.0, "error_rate": 0.01}
        reported = mg.report_health([sample])
        assert (reported["samples"], reported["windows"]) == (1, 1)
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent {action: 'modify:log_run_metrics'}) RETURN count(e) AS n"
    )
    assert records[0]["n"] == 3  # 300 points: buffered batches of 100 points per flush


async def test_every_failure_is_a_typed_exception(live_server: str, settings: Settings, clean_graph: Services) -> None:
    viewer = await key_for(clean_graph, "vera", "viewer")
    publisher = await key_for(clean_graph, "pat", "publisher")
    approver = await key_for(clean_graph, "ann", "approver")
    with ModelGraph(live_server, admin(settings), retry=FAST) as mg:
        with mg.start_run("e", project="errs") as r:
            r.log_metric("f1", 0.9)
        with pytest.raises(ValidationFailed) as bad:
            mg.log_metrics(r.id, [{"name": "bad name!", "value": 1.0}])
        assert bad.value.field == "points[0].name"
        with pytest.raises(NotFound) as missing:
            mg.version("nope", alias="production")
        assert missing.value.field == "alias"
    with ModelGraph(live_server, publisher, retry=FAST) as pat:
        v = pat.register_version("gated", r.id, b"m", create_model={"licence": "MIT"})
        pat.record_evaluation("gated", v.version, {"f1": 0.95})
        with pytest.raises(ReviewRequired) as review:
            pat.set_alias("gated", "production", v.version)
        assert review.value.review_id and review.value.reasons
    with ModelGraph(live_server, approver, retry=FAST) as ann:
        assert [x.id for x in ann.iter_reviews(waiting_for_me=True)] == [review.value.review_id]
        assert ann.approve_review(review.value.review_id).status.value == "APPROVED"
        assert ann.version("gated", alias="production").version == v.version
    with ModelGraph(live_server, viewer, retry=FAST) as vera:
        with pytest.raises(PermissionDenied) as denied:
            vera.create_model("not-allowed")
        assert "role viewer may not publish model" in denied.value.reasons
        with mg_running(live_server, admin(settings)) as (mg, running):
            with pytest.raises(PermissionDenied) as refused:
                vera.log_metrics(running, {"loss": 1.0})
            assert list(mg.metric_history(running)) == []
        assert refused.value.reasons == ["role viewer may not modify run"]


async def test_retries_reuse_one_idempotency_key(live_server: str, settings: Settings, clean_graph: Services) -> None:
    with ModelGraph(live_server, admin(settings)) as mg:
        experiment = mg.experiment("retry", "e")
    with flaky_proxy(live_server) as (url, proxy), ModelGraph(url, admin(settings), retry=FAST) as mg:
        proxy.match, proxy.plan = b"StartRun", ["503", "drop"]  # busy once; then applied, answer lost
        with mg.start_run("e", project="retry", name="once"):
            pass
        sent = [json.loads(b) for b in proxy.bodies if b"StartRun" in b]
        keys = {s["variables"]["input"]["idempotencyKey"] for s in sent}
        assert len(sent) == 3 and len(keys) == 1
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (r:Run {experiment_id: $e}) RETURN count(r) AS n", e=experiment
    )
    assert records[0]["n"] == 1


async def test_timeouts_and_unreachable_registries_are_unavailable(live_server: str, settings: Settings) -> None:
    with flaky_proxy(live_server) as (url, proxy), ModelGraph(url, admin(settings), timeout=0.5, retry=FAST) as mg:
        proxy.plan = ["slow", "slow", "slow"]
        with pytest.raises(Unavailable, match="ReadTimeout"):
            list(mg.iter_models())
        assert len(proxy.bodies) == 3
    with ModelGraph("http://127.0.0.1:1", "x", retry=FAST) as mg, pytest.raises(Unavailable, match="unreachable"):
        mg.model("m")


async def test_async_client_logs_metrics_registers_and_downloads(
    live_server: str, settings: Settings, clean_graph: Services, tmp_path: Path
) -> None:
    with ModelGraph(live_server, admin(settings)) as mg:
        experiment = mg.experiment("async", "e")
    async with AsyncModelGraph(live_server, admin(settings), retry=FAST) as amg:
        run_id = await amg.start_run(experiment, name="a")
        at = datetime.now(UTC)
        points = [{"name": "loss", "value": 1.0 / (i + 1), "step": i, "at": at} for i in range(1200)]
        assert await amg.log_metrics(run_id, points) == 1200
        assert await amg.log_metrics(run_id, points[:10]) == 0  # re-sent points (same step and time): no-ops
        got = [p async for p in amg.metric_history(run_id, "loss")]
        assert [p.step for p in got] == list(range(1200))
        await amg.finish_run(run_id)
        with pytest.raises(NotFound):
            await amg.version("missing", alias="production")
        made = await amg.register_version("async-model", run_id, b"async bytes", create_model={"licence": "MIT"})
        await amg.set_alias("async-model", "staging", made.version)
        saved = await amg.download("async-model", alias="staging", dest=tmp_path)
        assert saved.read_bytes() == b"async bytes"
