"""The fault suite's hard cases, against the real servers of the test stack: the S3 store killed
(SIGKILL) while uploads are in flight, the service process killed in the middle of a series of batch
registrations and the series replayed with the same idempotency keys, and a restore into the
database of a service that keeps running. Each asserts typed answers, bounded waits, and that
nothing acknowledged is lost or written twice. Every wait is bounded; the only pause is a client
honouring Retry-After."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.services import Services
from app.stack.manager import Stack
from modelgraph.client.transport import RetryPolicy, send
from tests.conftest import _free_port
from tests.integration.chain import DIGEST, build_chain
from tests.integration.test_backup import graph_state, wipe

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

ROOT = Path(__file__).resolve().parents[2]
BOUND = 15.0  # seconds any single request may take while a dependency dies under it


@pytest.fixture(scope="module")
def stack(settings: Settings) -> Stack:
    return Stack(settings.model_copy(update={"policies_dir": ROOT / "policies"}), log=lambda _: None)


def admin(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.bootstrap_admin_key.get_secret_value()}"}


def gql(base: str, settings: Settings, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """One request as the SDK sends it: a 503 (a freshly started service or database can meet its
    request deadline on its first writes, and rolls them back) is sent again after Retry-After."""
    request = {"query": query, "variables": variables or {}}
    response = send(
        lambda: httpx.post(f"{base}/graphql", json=request, headers=admin(settings), timeout=30), RetryPolicy(), True
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MODELGRAPH_PROFILE": settings.profile}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )


# -- the S3 store killed while uploads are in flight -------------------------------------------


async def test_s3_killed_during_uploads_loses_no_acknowledged_artifact(
    live_server: str, settings: Settings, clean_graph: Services, stack: Stack
) -> None:
    gql(live_server, settings, 'mutation { createModel(input: {name: "uploads", licence: "MIT"}) { __typename } }')
    blobs = [os.urandom(256 * 1024) + i.to_bytes(4, "big") for i in range(24)]

    def upload(blob: bytes) -> tuple[httpx.Response, float]:
        started = time.monotonic()
        digest = "sha256:" + hashlib.sha256(blob).hexdigest()
        response = httpx.post(
            f"{live_server}/api/v1/artifacts",
            params={"model": "uploads"},
            content=blob,
            headers={**admin(settings), "X-Content-Digest": digest},
            timeout=60,
        )
        return response, time.monotonic() - started

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = [pool.submit(upload, blob) for blob in blobs]
            wait(futures, return_when=FIRST_COMPLETED, timeout=60)
            stack.stop_service("s3", kill=True)  # while the others are in flight or queued
            answers = [f.result(timeout=120) for f in futures]
    finally:
        stack.start_service("s3")

    acknowledged, refused = [], []
    for blob, (response, elapsed) in zip(blobs, answers, strict=True):
        assert elapsed < BOUND, f"an upload took {elapsed:.1f}s while the store was dying"
        if response.status_code == 201:
            acknowledged.append(blob)
            continue
        assert response.status_code == 503, response.text  # never a 500, never a hang
        assert response.headers["retry-after"] and response.json()["error"]["code"] == "DEPENDENCY_UNAVAILABLE"
        refused.append(blob)
    assert acknowledged and refused, "the kill landed before or after every upload: nothing was tested"

    # Everything acknowledged survived the kill, byte for byte; the refused ones go through on retry.
    for blob in refused:
        retry, _ = upload(blob)
        assert retry.status_code == 201, retry.text
    store = clean_graph.artifacts
    for blob in acknowledged + refused:
        digest = "sha256:" + hashlib.sha256(blob).hexdigest()
        assert await store.get(digest) == blob


# -- the service killed mid-batch, the series replayed ------------------------------------------

BATCH = """mutation($i: RegisterModelVersionsInput!) { registerModelVersions(input: $i) { __typename
  ... on ModelVersionsSuccess { replayed modelVersions { version } } ... on Error { code message } } }"""


@pytest.fixture
def own_process(settings: Settings) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """`modelgraph serve` as its own OS process (so it can really be killed); restarts append to
    the list, and every one is killed at the end."""
    port = _free_port()
    processes: list[subprocess.Popen[bytes]] = []
    yield f"http://127.0.0.1:{port}", processes
    for proc in processes:
        proc.kill()
        proc.wait(timeout=10)


def start_serve(settings: Settings, base: str, processes: list[subprocess.Popen[bytes]]) -> None:
    port = base.rsplit(":", 1)[1]
    env = {**os.environ, "MODELGRAPH_PROFILE": settings.profile, "MODELGRAPH_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", port],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    processes.append(proc)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "modelgraph serve exited"
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)  # polling a port that is not open yet; bounded by the deadline
    raise AssertionError("modelgraph serve did not start within 60 s")


def test_service_killed_mid_batch_then_replayed_writes_every_version_once(
    settings: Settings, clean_graph: Services, own_process: tuple[str, list[subprocess.Popen[bytes]]]
) -> None:
    base, processes = own_process
    start_serve(settings, base, processes)
    exp = gql(
        base,
        settings,
        """mutation { p: createProject(input: {name: "killed"}) { __typename }
           e: createExperiment(input: {project: "killed", name: "e"}) { ... on ExperimentSuccess { experiment { id } } }
           m: createModel(input: {name: "killed", licence: "MIT"}) { __typename } }""",
    )["e"]["experiment"]["id"]
    start = f'mutation {{ startRun(input: {{experimentId: "{exp}"}}) {{ ... on RunSuccess {{ run {{ id }} }} }} }}'
    run = gql(base, settings, start)["startRun"]["run"]["id"]
    gql(base, settings, f'mutation {{ finishRun(input: {{runId: "{run}"}}) {{ __typename }} }}')

    per, batches = 5, 10
    item = {"runId": run, "artifact": {"uri": "s3://bucket/m", "digest": DIGEST}}
    inputs = [
        {"model": "killed", "versions": [item] * per, "idempotencyKey": f"killed-batch-{n}"} for n in range(batches)
    ]
    first: dict[int, dict[str, Any] | str] = {}
    two_answered = threading.Event()

    def send_series() -> None:
        with httpx.Client(base_url=base, headers=admin(settings), timeout=30) as http:
            for n, variables in enumerate(inputs):
                try:
                    response = http.post("/graphql", json={"query": BATCH, "variables": {"i": variables}})
                    first[n] = response.json()["data"]["registerModelVersions"]
                except (httpx.TransportError, ValueError) as exc:
                    first[n] = type(exc).__name__
                if n == 1:
                    two_answered.set()

    sender = threading.Thread(target=send_series)
    sender.start()
    assert two_answered.wait(timeout=60), "the first two batches were not answered"
    processes[-1].kill()  # SIGKILL, mid-series: the third batch is on its way or in flight
    processes[-1].wait(timeout=10)
    sender.join(timeout=120)
    assert not sender.is_alive()
    lost = [n for n, answer in first.items() if isinstance(answer, str)]
    assert lost, "the kill did not interrupt the series"

    start_serve(settings, base, processes)
    replays = [gql(base, settings, BATCH, {"i": variables})["registerModelVersions"] for variables in inputs]

    numbers: list[int] = []
    for n, replay in enumerate(replays):
        assert replay["__typename"] == "ModelVersionsSuccess", replay
        got = [v["version"] for v in replay["modelVersions"]]
        numbers.extend(got)
        answer = first[n]
        # Acknowledged before the kill: the replay is that same answer. An error payload (a cold
        # service can answer the first batch 503 at its deadline) acknowledged nothing.
        if isinstance(answer, dict) and answer.get("__typename") == "ModelVersionsSuccess":
            assert replay["replayed"] is True
            assert [v["version"] for v in answer["modelVersions"]] == got
    assert sorted(numbers) == list(range(1, per * batches + 1)), "a version was lost or written twice"
    stored = gql(base, settings, '{ model(name: "killed") { versions(first: 100) { totalCount } } }')
    assert stored["model"]["versions"]["totalCount"] == per * batches
    verified = cli(settings, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


# -- a restore while the service keeps running -------------------------------------------------

VERSION = '{ model(name: "restored") { name versions(first: 10) { totalCount edges { node { version } } } } }'


async def test_restore_under_a_running_service_serves_the_restored_registry_without_restart(
    live_server: str, settings: Settings, clean_graph: Services, tmp_path: Path
) -> None:
    services = clean_graph
    ids = await build_chain(services, "restored")
    blob = os.urandom(8192)
    digest = "sha256:" + hashlib.sha256(blob).hexdigest()
    async with httpx.AsyncClient(base_url=live_server, headers=admin(settings), timeout=30) as http:
        up = await http.post("/api/v1/artifacts", params={"model": "restored"}, content=blob)
        assert up.status_code == 201, up.text
        before = (await http.post("/graphql", json={"query": VERSION})).json()["data"]
        state = await graph_state(services)

        backed_up = cli(settings, "backup", str(tmp_path / "b"))
        assert backed_up.returncode == 0, backed_up.stderr
        await wipe(services)
        gone = (await http.post("/graphql", json={"query": VERSION})).json()["data"]
        assert gone["model"] is None  # the running service sees the empty registry

        restored = cli(settings, "restore", str(tmp_path / "b"))
        assert restored.returncode == 0, restored.stderr

        # The same process, not restarted, serves the restored graph, bytes and audit chain.
        assert (await http.post("/graphql", json={"query": VERSION})).json()["data"] == before
        assert await graph_state(services) == state
        assert await services.artifacts.get(digest) == blob
        artifact = {"uri": up.json()["uri"], "digest": digest}
        nxt = await http.post(
            "/graphql",
            json={
                "query": """mutation($i: RegisterModelVersionInput!) { registerModelVersion(input: $i) {
                  ... on ModelVersionSuccess { modelVersion { version } } ... on Error { code message } } }""",
                "variables": {"i": {"model": "restored", "runId": ids["run"], "artifact": artifact}},
            },
        )
        registered = nxt.json()["data"]["registerModelVersion"]
        assert registered == {"modelVersion": {"version": before["model"]["versions"]["totalCount"] + 1}}
    verified = cli(settings, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
