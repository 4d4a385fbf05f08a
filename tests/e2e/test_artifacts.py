"""Artifact bytes over HTTP: content-addressed upload, registration that checks the bytes exist,
policy-gated and audited download, tampering detected on read."""

from __future__ import annotations

import hashlib
import io
import os

import httpx
import pytest
from minio import Minio

from app.auth.tokens import hash_key, new_api_key
from app.config import Settings
from app.errors import ValidationFailed
from app.services import Services
from tests.integration.chain import build_chain, run

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]


async def key_for(services: Services, name: str, role: str) -> str:
    await run(services, "create_principal", {"name": name, "roles": [role]})
    key = new_api_key()
    await run(services, "issue_api_key", {"principal": name, "key_hash": hash_key(key)})
    return key


async def test_upload_register_download_and_audit(live_server: str, settings: Settings, clean_graph: Services) -> None:
    ids = await build_chain(clean_graph, "stored")
    admin = {"Authorization": f"Bearer {settings.bootstrap_admin_key.get_secret_value()}"}
    blob = os.urandom(4096)
    digest = "sha256:" + hashlib.sha256(blob).hexdigest()
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        wrong = await http.post(
            "/api/v1/artifacts",
            params={"model": "stored"},
            content=blob,
            headers={**admin, "X-Content-Digest": "sha256:" + "0" * 64},
        )
        assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "X-Content-Digest"
        up = await http.post(
            "/api/v1/artifacts", params={"model": "stored"}, content=blob, headers={**admin, "X-Content-Digest": digest}
        )
        assert up.status_code == 201 and up.json()["digest"] == digest
        uri = up.json()["uri"]
        with pytest.raises(ValidationFailed, match="no stored artifact has this digest"):
            await run(
                clean_graph,
                "register_model_version",
                {
                    "model": "stored",
                    "run_id": ids["run"],
                    "artifact": {"uri": "modelgraph://artifacts/sha256:" + "1" * 64, "digest": "sha256:" + "1" * 64},
                },
            )
        version = await run(
            clean_graph,
            "register_model_version",
            {"model": "stored", "run_id": ids["run"], "artifact": {"uri": uri, "digest": digest}},
        )

        viewer = await key_for(clean_graph, "vera", "viewer")
        refused = await http.get(f"/api/v1/artifacts/{digest}", headers={"Authorization": f"Bearer {viewer}"})
        assert refused.status_code == 403
        assert refused.json()["error"]["reasons"] == ["role viewer may not read_artifact model_version"]

        publisher = await key_for(clean_graph, "pat", "publisher")
        got = await http.get(f"/api/v1/artifacts/{digest}", headers={"Authorization": f"Bearer {publisher}"})
        assert got.status_code == 200 and got.content == blob
        records, _, _ = await clean_graph.driver.execute_query(
            "MATCH (e:AuditEvent {action: 'read_artifact:download_artifact'}) "
            "RETURN e.actor AS a, e.decision AS d, e.target_id AS t ORDER BY e.position"
        )
        # The refused attempt is on the trail too.
        assert [(r["a"], r["d"], r["t"]) for r in records] == [
            ("vera", "denied", version["id"]),
            ("pat", "allowed", version["id"]),
        ]

        raw = Minio(
            settings.s3_endpoint,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key.get_secret_value(),
            secure=False,
        )
        key = "blobs/sha256/" + digest[7:9] + "/" + digest[7:]
        raw.put_object(bucket_name=settings.s3_bucket, object_name=key, data=io.BytesIO(b"x" * 64), length=64)
        tampered = await http.get(f"/api/v1/artifacts/{digest}", headers={"Authorization": f"Bearer {publisher}"})
        assert tampered.status_code == 502 and tampered.json()["error"]["code"] == "INTEGRITY_ERROR"
