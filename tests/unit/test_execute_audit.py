"""What a write's audit event records of the request."""

from __future__ import annotations

import hashlib
import json

from app.registry.execute import MAX_AUDITED_PAYLOAD, audited_payload


def test_small_requests_are_recorded_verbatim() -> None:
    assert audited_payload({"name": "m", "licence": "MIT"}) == {"payload": {"licence": "MIT", "name": "m"}}


def test_large_requests_are_recorded_by_digest_and_size() -> None:
    payload = {"samples": [{"deployment_id": "dep_1", "latency_p95_ms": float(i)} for i in range(500)]}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    assert len(text) > MAX_AUDITED_PAYLOAD
    assert audited_payload(payload) == {
        "payload_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "payload_bytes": len(text),
    }
