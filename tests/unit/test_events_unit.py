"""Event catalogue, CloudEvents envelopes, webhook signatures, the SSRF guard and the retry schedule."""

from __future__ import annotations

import ipaddress
import json

import pytest

from app.config import Settings
from app.errors import ValidationFailed
from app.events import catalog, outbox, webhooks
from app.events.delivery import backoff, matches
from tests.unit.test_registry_event import ROW


def test_an_alias_move_is_one_event_naming_the_model_and_the_approver() -> None:
    [event] = catalog.events_for(
        "move_alias",
        {"model": "churn", "alias": "production", "version": 2, "reason": "free text stays out"},
        {"id": "al_1", "kind": "Alias", "previous": 1},
        stream="model:churn",
        approved_by="ann",
    )
    assert event.type == "alias.moved"
    assert event.model == "churn"
    assert event.data == {
        "model": "churn",
        "alias": "production",
        "version": 2,
        "previous": 1,
        "id": "al_1",
        "kind": "Alias",
        "approved_by": "ann",
    }


def test_an_unchanged_alias_emits_nothing_and_a_batch_one_event_per_version() -> None:
    assert catalog.events_for("move_alias", {"model": "m"}, {"unchanged": True, "id": "al"}, stream=None) == []
    batch = catalog.events_for(
        "register_model_versions",
        {"model": "m"},
        {"kind": "ModelVersionBatch", "ids": ["mv_1", "mv_2"], "versions": [3, 4]},
        stream="model:m",
    )
    assert [(e.type, e.subject, e.data["version"]) for e in batch] == [
        ("version.registered", "mv_1", 3),
        ("version.registered", "mv_2", 4),
    ]


def test_events_never_carry_key_material() -> None:
    [issued] = catalog.events_for(
        "issue_api_key",
        {"principal": "pat", "key_hash": "deadbeef"},
        {"id": "key_1", "kind": "ApiKey", "secret": "mg_secret"},
        stream="principal:pat",
    )
    assert issued.type == "api_key.issued"
    assert "secret" not in json.dumps(issued.data) and "deadbeef" not in json.dumps(issued.data)


def test_flagged_feedback_raises_a_flag_and_health_changes_are_one_event_each() -> None:
    feedback = catalog.events_for(
        "record_feedback",
        {"model": "m", "version": 1},
        {"id": "fb_1", "kind": "Feedback", "flagged": True, "flag_reason": "drift", "model": "m", "version": 1},
        stream="model:m",
    )
    assert [e.type for e in feedback] == ["feedback.recorded", "flag.raised"]
    changes = catalog.events_for(
        "report_health",
        {"samples": []},
        {"id": "d1", "changes": [{"deployment_id": "d1", "before": "UNKNOWN", "after": "UNHEALTHY"}]},
        stream="deployment:d1",
    )
    assert [(e.type, e.subject) for e in changes] == [("health.changed", "d1")]


def test_every_command_maps_to_a_known_type() -> None:
    assert set(catalog.SIMPLE.values()) <= set(catalog.TYPES)


def test_the_envelope_is_cloudevents_1_0_with_sequence_actor_and_audit_ids() -> None:
    row = dict(ROW)
    envelope = outbox.envelope_dict(row)
    assert envelope["specversion"] == "1.0"
    assert envelope["type"] == "io.modelgraph.alias.moved"
    assert envelope["source"] == "/modelgraph/registry"
    assert (envelope["id"], envelope["subject"], envelope["sequence"]) == ("evt_1", "al_1", 7)
    assert (envelope["actor"], envelope["auditstream"], envelope["auditseq"]) == ("pat", "model:churn", 12)
    assert envelope["time"].startswith("2026-01-02T03:04:05")
    assert envelope["data"] == {"alias": "production"}


# Test vector of the Standard Webhooks specification (standard-webhooks/standard-webhooks).
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_BODY = b'{"test": 2432232314}'


def test_signatures_follow_standard_webhooks() -> None:
    signature = webhooks.sign(SPEC_SECRET, SPEC_ID, 1614265330, SPEC_BODY)
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    headers = {"webhook-id": SPEC_ID, "webhook-timestamp": "1614265330", "webhook-signature": signature}
    assert webhooks.verify(SPEC_SECRET, headers, SPEC_BODY)
    assert not webhooks.verify(SPEC_SECRET, headers, SPEC_BODY + b" ")
    assert not webhooks.verify(webhooks.new_secret(), headers, SPEC_BODY)


def test_secrets_are_sealed_and_malformed_ones_refused() -> None:
    key = "11" * 32
    secret = webhooks.new_secret()
    sealed = webhooks.seal(key, secret)
    assert secret not in sealed and webhooks.unseal(key, sealed) == secret
    for bad in ("plain", "whsec_!!!", "whsec_" + "QUFB"):
        with pytest.raises(ValidationFailed):
            webhooks.secret_key(bad)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.100.100.200",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - the unspecified address is what is being refused
        "::1",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_non_public_addresses_are_forbidden(address: str) -> None:
    assert webhooks.forbidden(ipaddress.ip_address(address)) is not None


def test_public_addresses_pass_and_the_allow_list_names_hosts_or_ranges() -> None:
    assert webhooks.forbidden(ipaddress.ip_address("93.184.216.34")) is None
    loopback = ipaddress.ip_address("127.0.0.1")
    assert webhooks.allowed("localhost", loopback, ["127.0.0.0/8"])
    assert webhooks.allowed("hooks.internal", loopback, ["hooks.internal"])
    assert not webhooks.allowed("localhost", loopback, ["10.0.0.0/8", "other"])


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/x", "file:///etc/passwd", "http://user:pw@example.com/", "https:///nohost", "gopher://a"],
)
def test_only_http_urls_without_credentials_are_accepted(url: str) -> None:
    with pytest.raises(ValidationFailed):
        webhooks.check_url(url)


async def test_resolution_refuses_private_targets_unless_allow_listed() -> None:
    for url in (
        "http://127.0.0.1:9/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://localhost/",
    ):
        with pytest.raises(webhooks.Blocked):
            await webhooks.resolve(url, [])
    with pytest.raises(webhooks.Blocked):  # allow-listing loopback does not open the metadata service
        await webhooks.resolve("http://169.254.169.254/", ["127.0.0.1/32"])
    target = await webhooks.resolve("http://127.0.0.1:8080/hook?a=1", ["127.0.0.1/32"])
    assert target.connect_url() == "http://127.0.0.1:8080/hook?a=1"
    assert target.host_header() == "127.0.0.1:8080"


def test_retries_back_off_exponentially_and_last_at_least_a_day_by_default() -> None:
    s = Settings()
    delays = [backoff(s, n) for n in range(1, 40)]
    assert delays[1] > delays[0] * 1.3
    assert max(delays) <= s.webhook_retry_max_seconds * 1.2
    assert s.webhook_retry_window_seconds >= 24 * 3600


def test_fan_out_matches_types_model_and_only_events_after_the_subscription() -> None:
    sub = {"types": ["alias.moved"], "model": "churn", "after_seq": 5}
    assert matches(sub, {"seq": 6, "type": "alias.moved", "model": "churn"})
    assert not matches(sub, {"seq": 5, "type": "alias.moved", "model": "churn"})
    assert not matches(sub, {"seq": 6, "type": "version.archived", "model": "churn"})
    assert not matches(sub, {"seq": 6, "type": "alias.moved", "model": "other"})
    assert matches({"types": [], "model": None, "after_seq": 0}, {"seq": 1, "type": "grant.created", "model": None})


def test_a_lease_must_outlast_a_delivery_attempt() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Settings(webhook_lease_seconds=5, webhook_timeout_seconds=10)


def test_the_tail_hands_each_event_to_its_topics() -> None:
    from app.events.broker import ALL, DEPLOYMENT_EVENTS, HEALTH_CHANGES, REGISTRY_EVENTS, Broker
    from app.events.tail import dispatch

    class Recording(Broker):
        def __init__(self) -> None:
            super().__init__()
            self.sent: list[tuple[str, str]] = []

        def publish(self, topic: str, key: str, message: dict[str, object]) -> int:
            self.sent.append((topic, key))
            return 0

    to = Recording()
    dispatch(to, {"seq": 1, "type": "deployment.event", "data": {"deployment_id": "d1", "event": {"type": "x"}}})
    dispatch(to, {"seq": 2, "type": "health.changed", "data": {"change": {"deployment_id": "d2"}}})
    dispatch(to, {"seq": 3, "type": "alias.moved", "data": {}})
    assert to.sent == [
        (REGISTRY_EVENTS, ALL),
        (DEPLOYMENT_EVENTS, "d1"),
        (REGISTRY_EVENTS, ALL),
        (HEALTH_CHANGES, "d2"),
        (REGISTRY_EVENTS, ALL),
    ]


async def test_a_waiting_loop_is_always_stopped_by_its_cancellation() -> None:
    """A cancel that lands as the wake-up is given or the wait times out still stops the loop
    (asyncio.wait_for on Python 3.11 lost about one in six of these)."""
    import asyncio
    import contextlib

    from app.events.wake import Wake

    async def follow(wake: Wake) -> None:
        wake.bind()
        while True:
            await wake.wait(0.0005)

    for i in range(300):
        wake = Wake()
        task = asyncio.create_task(follow(wake))
        await asyncio.sleep(0.0005 * (i % 7))
        wake.nudge()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(asyncio.shield(task), 1.0)
        assert task.cancelled(), f"round {i}: the loop went on after its cancellation"
