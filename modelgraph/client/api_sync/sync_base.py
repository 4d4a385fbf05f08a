"""Base of the generated synchronous client: sends each operation with the shared retry, timeout and
idempotency rules and raises typed exceptions (see modelgraph.client.transport)."""

from typing import Any

import httpx

from modelgraph.client.transport import DEFAULT_TIMEOUT, RetryPolicy, graphql_body, graphql_data, resendable, send


class SyncBaseClient:
    def __init__(
        self,
        url: str = "",
        headers: dict[str, str] | None = None,
        http_client: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.url = url
        self.headers = headers
        self.http_client = http_client or httpx.Client(headers=headers, timeout=DEFAULT_TIMEOUT)
        self.retry = retry or RetryPolicy()

    def __enter__(self) -> "SyncBaseClient":
        return self

    def __exit__(self, exc_type: object, exc_val: object, exc_tb: object) -> None:
        self.http_client.close()

    def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        body = graphql_body(query, operation_name, variables)
        return send(
            lambda: self.http_client.post(self.url, json=body, **kwargs), self.retry, resendable(query, body)
        )

    def get_data(self, response: httpx.Response) -> dict[str, Any]:
        return graphql_data(response)
