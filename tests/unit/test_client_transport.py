"""The SDK's shared request rules, without a server: backoff and Retry-After, one idempotency key per
call, which mutations may be resent, and answers turned into typed exceptions."""

from __future__ import annotations

import httpx
import pytest

from modelgraph.client import api_sync as api
from modelgraph.client.errors import NotFound, PermissionDenied, ReviewRequired, Unavailable, ValidationFailed
from modelgraph.client.transport import RetryPolicy, graphql_body, graphql_data, resendable, send


def test_backoff_grows_is_capped_and_honours_retry_after() -> None:
    policy = RetryPolicy(backoff=1.0, max_backoff=4.0, max_retry_after=10.0)
    assert 0.5 <= policy.delay(0, None) <= 1.0
    assert 2.0 <= policy.delay(5, None) <= 4.0
    assert policy.delay(0, httpx.Response(503, headers={"Retry-After": "3"})) == 3.0
    assert policy.delay(0, httpx.Response(503, headers={"Retry-After": "600"})) == 10.0


def test_a_mutation_gets_one_key_and_keeps_a_key_it_was_given() -> None:
    fresh = graphql_body("mutation X { x }", "X", {"input": api.SetAliasInput(model="m", alias="a", version=1)})
    key = fresh["variables"]["input"]["idempotencyKey"]
    assert len(key) == 36 and resendable("mutation X { x }", fresh)
    given = api.SetAliasInput(model="m", alias="a", version=1, idempotency_key="mine")
    assert graphql_body("mutation X { x }", "X", {"input": given})["variables"]["input"]["idempotencyKey"] == "mine"
    unkeyed = graphql_body("mutation X { x }", "X", {"input": api.DecideReviewInput(id="rev_1")})
    assert not resendable("mutation X { x }", unkeyed) and resendable("query Q { q }", unkeyed)


def test_only_connections_that_never_opened_are_retried_for_unkeyed_mutations() -> None:
    calls: list[int] = []

    def dropped() -> httpx.Response:
        calls.append(1)
        raise httpx.ReadError("connection reset")

    with pytest.raises(Unavailable, match="ReadError"):
        send(dropped, RetryPolicy(attempts=3, backoff=0.0), resend=False)
    assert len(calls) == 1
    with pytest.raises(Unavailable):
        send(dropped, RetryPolicy(attempts=3, backoff=0.0), resend=True)
    assert len(calls) == 4


def answer(body: object) -> httpx.Response:
    return httpx.Response(200, json=body)


def test_error_members_and_graphql_errors_become_typed_exceptions() -> None:
    review = {"__typename": "ReviewRequired", "code": "REVIEW_REQUIRED", "message": "waits", "field": None,
              "reviewId": "rev_9", "reasons": ["worse than incumbent"]}  # fmt: skip
    with pytest.raises(ReviewRequired) as waits:
        graphql_data(answer({"data": {"setAlias": review}}))
    assert waits.value.review_id == "rev_9" and waits.value.reasons == ["worse than incumbent"]
    denied = {"__typename": "PermissionDeniedError", "code": "PERMISSION_DENIED", "message": "no", "reasons": ["r"]}
    with pytest.raises(PermissionDenied) as no:
        graphql_data(answer({"data": {"createModel": denied}}))
    assert no.value.reasons == ["r"]
    invalid = {"__typename": "ValidationError", "code": "VALIDATION_FAILED", "message": "bad", "field": "points"}
    with pytest.raises(ValidationFailed) as bad:
        graphql_data(answer({"data": {"logRunMetrics": invalid}}))
    assert bad.value.field == "points"
    with pytest.raises(NotFound):
        graphql_data(answer({"data": None, "errors": [{"message": "no run", "extensions": {"code": "NOT_FOUND"}}]}))
    with pytest.raises(Unavailable):
        graphql_data(httpx.Response(503, json={"error": {"code": "OVERLOADED", "message": "busy"}}))
    assert graphql_data(answer({"data": {"model": None}})) == {"model": None}
