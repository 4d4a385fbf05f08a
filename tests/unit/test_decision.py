"""Decision.from_opa fails closed: only a well-formed `allow: true` lets a request through."""

from __future__ import annotations

from typing import Any

import pytest

from app.policy.decision import Decision


def test_undefined_decision_is_a_denial() -> None:
    # OPA answers HTTP 200 with `{}` when the rule or package does not exist.
    decision = Decision.from_opa({})

    assert decision == Decision(allow=False, reasons=("policy decision undefined",))


@pytest.mark.parametrize("allow", ["true", 1, "yes", None, [True], {"value": True}], ids=repr)
def test_allow_that_is_not_exactly_true_is_a_denial(allow: Any) -> None:
    decision = Decision.from_opa({"result": {"allow": allow, "reasons": ["looks allowed"]}})

    assert decision.allow is False
    assert decision.reasons == ("looks allowed",)


def test_missing_allow_is_a_denial() -> None:
    assert Decision.from_opa({"result": {"reasons": []}}).allow is False


def test_allow_true_with_reasons_is_an_allow() -> None:
    decision = Decision.from_opa({"result": {"allow": True, "reasons": ["owner of the model", "role: editor"]}})

    assert decision == Decision(allow=True, reasons=("owner of the model", "role: editor"))
    assert decision.requires_review is False


def test_requires_review_is_parsed() -> None:
    decision = Decision.from_opa(
        {"result": {"allow": True, "reasons": ["worse than incumbent"], "requires_review": True}}
    )

    assert decision.allow is True
    assert decision.requires_review is True
    assert decision.reasons == ("worse than incumbent",)


def test_requires_review_must_be_exactly_true() -> None:
    decision = Decision.from_opa({"result": {"allow": True, "requires_review": "true"}})

    assert decision.requires_review is False


def test_reasons_that_are_not_a_list_are_dropped() -> None:
    decision = Decision.from_opa({"result": {"allow": False, "reasons": "denied"}})

    assert decision.reasons == ()


@pytest.mark.parametrize("body", [None, "allow", 42, [{"result": {"allow": True}}], True], ids=repr)
def test_a_body_that_is_not_an_object_is_a_denial(body: Any) -> None:
    assert Decision.from_opa(body) == Decision.deny("policy decision undefined")


@pytest.mark.parametrize("result", [True, "allow", [True], None], ids=repr)
def test_a_result_that_is_not_an_object_is_a_denial(result: Any) -> None:
    assert Decision.from_opa({"result": result}) == Decision(allow=False, reasons=("policy decision malformed",))


def test_deny_carries_its_reason() -> None:
    decision = Decision.deny("no grant")

    assert decision.allow is False
    assert decision.reasons == ("no grant",)
    assert decision.requires_review is False
