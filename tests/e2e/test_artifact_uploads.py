"""Artifacts that fit real models, over HTTP: the raw-bytes upload streams (1 GiB with the service's
memory bounded), downloads stream and verify, a body that is a form is refused, an interrupted
upload leaves nothing and can be retried, and registration refuses a size the stored bytes do not
have."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from minio import Minio

from app.artifacts.store import content_key
from app.config import Settings
from app.errors import ValidationFailed
from app.services import Services
from tests.integration.chain import build_chain, run

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

MIB = 1024 * 1024


def raw_s3(settings: Settings) -> Minio:
    return Minio(
        settings.s3_endpoint,
        access_key=settings.s3_access_key,
        secret_key=settings.s3_secret_key.get_secret_value(),
        secure=settings.s3_secure,
        region=settings.s3_region,
    )


class Generated:
    """Pseudo-random bytes made piece by piece (never kept): the digest is known once sent."""

    def __init__(self, size: int, seed: bytes, fail_after: int | None = None) -> None:
        self.size = size
        self.seed = seed
        self.fail_after = fail_after
        self.sha = hashlib.sha256()

    async def pieces(self) -> AsyncIterator[bytes]:
        block = hashlib.sha256(self.seed).digest() * (MIB // 32)
        sent = 0
        index = 0
        while sent < self.size:
            piece = (index.to_bytes(8, "big") + block[8:])[: self.size - sent]
            if self.fail_after is not None and sent >= self.fail_after:
                raise ConnectionAbortedError("the client gave up half way")
            self.sha.update(piece)
            sent += len(piece)
            index += 1
            yield piece

    @property
    def digest(self) -> str:
        return "sha256:" + self.sha.hexdigest()


def chunk_keys(settings: Settings) -> set[str]:
    listing = raw_s3(settings).list_objects(bucket_name=settings.s3_bucket, prefix="blobs/chunked/", recursive=True)
    return {str(o.object_name) for o in listing}


def forget(settings: Settings, digests: list[str], chunks: set[str]) -> None:
    """Remove what a test stored (a 1 GiB test leaves nothing behind)."""
    client = raw_s3(settings)
    for key in [*(content_key(d) for d in digests), *chunks]:
        client.remove_object(bucket_name=settings.s3_bucket, object_name=key)


async def test_a_form_sent_to_the_raw_bytes_endpoint_is_refused(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    await build_chain(clean_graph, "forms")
    admin = {"Authorization": f"Bearer {settings.bootstrap_admin_key.get_secret_value()}"}
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        form = await http.post(
            "/api/v1/artifacts", params={"model": "forms"}, files={"file": ("model.onnx", b"weights")}, headers=admin
        )
        assert form.status_code == 415, form.text
        error = form.json()["error"]
        assert (error["code"], error["field"]) == ("UNSUPPORTED_MEDIA_TYPE", "Content-Type")
        assert error["message"] == (
            "Content-Type: multipart/form-data is not accepted: "
            "the body must be the artifact's raw bytes (e.g. application/octet-stream), not a form"
        )
        envelope = (
            b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="m.onnx"\r\n\r\nweights\r\n--xyz--\r\n'
        )
        sniffed = await http.post(
            "/api/v1/artifacts",
            params={"model": "forms"},
            content=envelope,
            headers={**admin, "Content-Type": "application/octet-stream"},
        )
        assert sniffed.status_code == 415 and sniffed.json()["error"]["field"] == "body"
        urlencoded = await http.post(
            "/api/v1/artifacts", params={"model": "forms"}, data={"file": "weights"}, headers=admin
        )
        assert urlencoded.status_code == 415
    for body in (b"weights", envelope):
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        assert await clean_graph.artifacts.exists(digest) is False


async def test_streamed_upload_download_and_a_retry_after_an_interrupted_one(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    ids = await build_chain(clean_graph, "streamed")
    admin = {"Authorization": f"Bearer {settings.bootstrap_admin_key.get_secret_value()}"}
    seed = os.urandom(16)
    before = chunk_keys(settings)
    async with httpx.AsyncClient(base_url=live_server, timeout=120) as http:
        broken = Generated(24 * MIB, seed, fail_after=12 * MIB)
        with pytest.raises(ConnectionAbortedError):
            await http.post("/api/v1/artifacts", params={"model": "streamed"}, content=broken.pieces(), headers=admin)
        assert chunk_keys(settings) == before  # the multipart upload was aborted: nothing left
        whole = Generated(24 * MIB, seed)
        up = await http.post("/api/v1/artifacts", params={"model": "streamed"}, content=whole.pieces(), headers=admin)
        assert up.status_code == 201, up.text
        assert up.json() == {"digest": whole.digest, "size": 24 * MIB, "uri": "modelgraph://artifacts/" + whole.digest}
        with pytest.raises(ValidationFailed) as wrong:
            await run(
                clean_graph,
                "register_model_version",
                {
                    "model": "streamed",
                    "run_id": ids["run"],
                    "artifact": {"uri": up.json()["uri"], "digest": whole.digest, "size": 24 * MIB - 1},
                },
            )
        assert wrong.value.field == "artifact.size"
        assert wrong.value.message == (
            f"artifact.size: declared {24 * MIB - 1} bytes, but the stored artifact {whole.digest} has {24 * MIB}"
        )
        version = await run(
            clean_graph,
            "register_model_version",
            {"model": "streamed", "run_id": ids["run"], "artifact": {"uri": up.json()["uri"], "digest": whole.digest}},
        )
        node = await clean_graph.driver.execute_query(
            "MATCH (v:ModelVersion {id: $id}) RETURN v.artifact_size AS size", id=version["id"]
        )
        assert node.records[0]["size"] == 24 * MIB  # an omitted size is the stored one
        sha = hashlib.sha256()
        async with http.stream("GET", f"/api/v1/artifacts/{whole.digest}", headers=admin) as got:
            assert got.status_code == 200 and got.headers["content-length"] == str(24 * MIB)
            async for piece in got.aiter_bytes():
                sha.update(piece)
        assert "sha256:" + sha.hexdigest() == whole.digest
    forget(settings, [whole.digest], chunk_keys(settings) - before)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory(pid: int) -> dict[str, int]:
    """Resident and peak resident memory (bytes) of a process, from /proc."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) * 1024
    return found


@pytest.fixture
def service_process(settings: Settings) -> Iterator[tuple[str, int]]:
    """The service as its own process (`modelgraph serve`), so its memory is its own."""
    port = _free_port()
    env = {**os.environ, "MODELGRAPH_PROFILE": settings.profile, "MODELGRAPH_LOG_LEVEL": "WARNING"}
    cli = Path(sys.executable).with_name("modelgraph")
    proc = subprocess.Popen(
        [str(cli), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, "the service exited"
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the service did not start within 60 s"
            time.sleep(0.2)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# Far below the 1 GiB sent: what one multipart part and one sealed chunk in flight cost, with room
# for the allocator; an upload held whole would exceed it eightfold.
MEMORY_MARGIN = 128 * MIB


async def test_one_gibibyte_streams_through_with_the_service_memory_bounded(
    service_process: tuple[str, int], settings: Settings, clean_graph: Services
) -> None:
    url, pid = service_process
    ids = await build_chain(clean_graph, "large")
    admin = {"Authorization": f"Bearer {settings.bootstrap_admin_key.get_secret_value()}"}
    big = Generated(1024 * MIB, os.urandom(16))
    before = chunk_keys(settings)
    stored: list[str] = []
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(600, connect=10)) as http:
        try:
            warm = await http.post(
                "/api/v1/artifacts", params={"model": "large"}, content=os.urandom(MIB), headers=admin
            )
            assert warm.status_code == 201
            stored.append(warm.json()["digest"])
            baseline = memory(pid)["VmRSS"]
            up = await http.post("/api/v1/artifacts", params={"model": "large"}, content=big.pieces(), headers=admin)
            assert up.status_code == 201, up.text
            stored.append(big.digest)
            assert up.json()["digest"] == big.digest and up.json()["size"] == 1024 * MIB
            after_upload = memory(pid)["VmHWM"]
            assert after_upload - baseline < MEMORY_MARGIN, (baseline, after_upload)
            artifact = {"uri": up.json()["uri"], "digest": big.digest, "size": 1024 * MIB}
            await run(
                clean_graph, "register_model_version", {"model": "large", "run_id": ids["run"], "artifact": artifact}
            )
            sha, size = hashlib.sha256(), 0
            async with http.stream("GET", f"/api/v1/artifacts/{big.digest}", headers=admin) as got:
                assert got.status_code == 200
                async for piece in got.aiter_bytes():
                    sha.update(piece)
                    size += len(piece)
            assert (size, "sha256:" + sha.hexdigest()) == (1024 * MIB, big.digest)
            after_download = memory(pid)["VmHWM"]
            assert after_download - baseline < MEMORY_MARGIN, (baseline, after_download)
        finally:
            forget(settings, stored, chunk_keys(settings) - before)


FILES_QUERY = '{ modelVersion(model: "llm", version: 2) { artifact { format } artifactFiles { path digest size } } }'


async def test_a_model_directory_is_a_manifest_of_content_addressed_files(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    ids = await build_chain(clean_graph, "llm")
    admin = {"Authorization": f"Bearer {settings.bootstrap_admin_key.get_secret_value()}"}
    weights, config = os.urandom(3 * MIB), b'{"layers": 2}'
    async with httpx.AsyncClient(base_url=live_server, timeout=60) as http:

        async def upload(body: bytes) -> dict[str, object]:
            answer = await http.post("/api/v1/artifacts", params={"model": "llm"}, content=body, headers=admin)
            assert answer.status_code == 201, answer.text
            result: dict[str, object] = answer.json()
            return result

        w, c = await upload(weights), await upload(config)
        assert (await upload(weights))["digest"] == w["digest"]  # the same file twice is one object
        files = [
            {"path": "model.safetensors", "digest": w["digest"], "size": len(weights)},
            {"path": "config/config.json", "digest": c["digest"]},
        ]
        missing = await http.post(
            "/api/v1/artifacts/manifests",
            params={"model": "llm"},
            json={"files": [*files, {"path": "extra.bin", "digest": "sha256:" + "9" * 64}]},
            headers=admin,
        )
        assert missing.status_code == 422 and missing.json()["error"]["field"] == "files[2].digest"
        wrong_size = await http.post(
            "/api/v1/artifacts/manifests",
            params={"model": "llm"},
            json={"files": [{**files[0], "size": 1}]},
            headers=admin,
        )
        assert wrong_size.status_code == 422 and wrong_size.json()["error"]["field"] == "files[0].size"
        escaping = await http.post(
            "/api/v1/artifacts/manifests",
            params={"model": "llm"},
            json={"files": [{**files[0], "path": "../model.safetensors"}]},
            headers=admin,
        )
        assert escaping.status_code == 422 and escaping.json()["error"]["field"] == "files[0].path"
        made = await http.post(
            "/api/v1/artifacts/manifests", params={"model": "llm"}, json={"files": files}, headers=admin
        )
        assert made.status_code == 201, made.text
        manifest = made.json()
        assert (manifest["format"], manifest["files"], manifest["totalSize"]) == ("directory", 2, len(weights) + 13)
        reordered = await http.post(
            "/api/v1/artifacts/manifests", params={"model": "llm"}, json={"files": files[::-1]}, headers=admin
        )
        assert reordered.json()["digest"] == manifest["digest"]  # one directory, one digest

        with pytest.raises(ValidationFailed) as not_a_directory:
            await run(
                clean_graph,
                "register_model_version",
                {
                    "model": "llm",
                    "run_id": ids["run"],
                    "artifact": {"uri": str(w["uri"]), "digest": w["digest"], "format": "directory"},
                },
            )
        assert not_a_directory.value.field == "artifact.digest"
        artifact = {"uri": manifest["uri"], "digest": manifest["digest"], "format": "directory"}
        await run(clean_graph, "register_model_version", {"model": "llm", "run_id": ids["run"], "artifact": artifact})
        listed = await http.post(
            "/graphql",
            json={"query": FILES_QUERY},
            headers=admin,
        )
        version = listed.json()["data"]["modelVersion"]
        assert version["artifact"] == {"format": "directory"}
        assert version["artifactFiles"] == [
            {"path": "config/config.json", "digest": c["digest"], "size": 13},
            {"path": "model.safetensors", "digest": w["digest"], "size": len(weights)},
        ]
        for entry, body in ((version["artifactFiles"][1], weights), (version["artifactFiles"][0], config)):
            got = await http.get(f"/api/v1/artifacts/{entry['digest']}", headers=admin)
            assert got.status_code == 200 and got.content == body
