"""GraphQL input errors over HTTP are typed: a variable that cannot be coerced names the variable,
a JSON input that is not an object and a number beyond a float name the field; none is masked as
"Unexpected error."."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.config import Settings

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

STATUS = 'versionStatus(model: "nobody", version: $n) { flags { reason } }'
CREATE = (
    'createModel(input: {name: $name, licence: "MIT", custom: $custom}) { __typename '
    "... on ValidationError { code field message } }"
)


def gql(base: str, settings: Settings, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    token = settings.bootstrap_admin_key.get_secret_value()
    response = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("abc", "Int cannot represent non-integer value: 'abc'"),
        (2**40, "Int cannot represent non 32-bit signed integer value: 1099511627776"),
        (None, "Expected value of non-null type 'Int!' not to be None."),
    ],
)
def test_a_variable_that_cannot_be_coerced_is_a_validation_error_naming_it(
    live_server: str, settings: Settings, value: object, rule: str
) -> None:
    body = gql(live_server, settings, f"query($n: Int!) {{ {STATUS} }}", {"n": value})

    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "VALIDATION_FAILED", "field": "n"}
    assert error["message"] == f"Variable '$n' has invalid value: {rule}"


def test_a_float_variable_beyond_range_names_the_variable(live_server: str, settings: Settings) -> None:
    query = 'query($t: Float!) { search(input: {metrics: [{name: \\"f1\\", op: GTE, value: $t}]}) { __typename } }'
    response = httpx.post(
        f"{live_server}/graphql",
        content=('{"query": "' + query + '", "variables": {"t": 1e400}}').encode(),
        headers={
            "Authorization": f"Bearer {settings.bootstrap_admin_key.get_secret_value()}",
            "Content-Type": "application/json",
        },
        timeout=30,
    )

    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "VALIDATION_FAILED", "field": "t"}
    assert "Float cannot represent non numeric value: inf" in error["message"]


def test_a_number_literal_beyond_a_float_is_a_validation_error_naming_the_field(
    live_server: str, settings: Settings
) -> None:
    body = gql(
        live_server,
        settings,
        'mutation { recordFeedback(input: {model: "m", version: 1, statistic: "f1", value: 1e400}) { __typename } }',
    )

    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "VALIDATION_FAILED", "field": "value"}
    assert body["errors"][0]["message"] == "value: 1e400 is out of range (must be a finite number)"


@pytest.mark.parametrize("custom", [5, [1, 2], "text"])
def test_json_input_that_is_not_an_object_names_the_field(
    live_server: str, settings: Settings, clean_graph: object, custom: object
) -> None:
    body = gql(
        live_server,
        settings,
        f"mutation($name: String!, $custom: JSON) {{ {CREATE} }}",
        {"name": "not-an-object", "custom": custom},
    )

    assert "errors" not in body, body
    assert body["data"]["createModel"] == {
        "__typename": "ValidationError",
        "code": "VALIDATION_FAILED",
        "field": "custom",
        "message": "custom: must be an object {name: value}",
    }


def test_a_json_literal_that_is_not_an_object_names_the_field(
    live_server: str, settings: Settings, clean_graph: object
) -> None:
    literal = CREATE.replace("$name", '"literal"').replace("$custom", "5")
    body = gql(live_server, settings, f"mutation {{ {literal} }}")

    assert body["data"]["createModel"]["field"] == "custom"


def test_a_query_taking_json_that_is_not_an_object_names_the_field(live_server: str, settings: Settings) -> None:
    body = gql(
        live_server,
        settings,
        'query($p: JSON!) { policyCheck(input: {command: "create_model", payload: $p}) { allow } }',
        {"p": [1, 2]},
    )

    [error] = body["errors"]
    assert error["extensions"] == {"code": "VALIDATION_FAILED", "field": "payload"}
    assert error["message"] == "payload: must be an object {name: value}"


def test_registry_errors_in_queries_carry_their_code_and_field(live_server: str, settings: Settings) -> None:
    body = gql(
        live_server,
        settings,
        '{ performanceHistory(input: {model: "nobody", metric: "f1", '
        'from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z"}) { version } }',
    )

    [error] = body["errors"]
    assert error["message"] == "model: no model named 'nobody'"
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "model"}
