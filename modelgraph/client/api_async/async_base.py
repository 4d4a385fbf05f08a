"""Base of the generated asynchronous client: sends each operation with the shared retry, timeout and
idempotency rules and raises typed exceptions (see modelgraph.client.transport)."""

from typing import Any

import httpx

from modelgraph.client.transport import (
    DEFAULT_TIMEOUT,
    RetryPolicy,
    graphql_body,
    graphql_data,
    resendable,
    send_async,
)


class AsyncBaseClient:
    def __init__(
        self,
        url: str = "",
        headers: dict[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.url = url
        self.headers = headers
        self.http_client = http_client or httpx.AsyncClient(headers=headers, timeout=DEFAULT_TIMEOUT)
        self.retry = retry or RetryPolicy()

    async def __aenter__(self) -> "AsyncBaseClient":
        return self

    async def __aexit__(self, exc_type: object, exc_val: object, exc_tb: object) -> None:
        await self.http_client.aclose()

    async def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        body = graphql_body(query, operation_name, variables)
        return await send_async(
            lambda: self.http_client.post(self.url, json=body, **kwargs), self.retry, resendable(query, body)
        )

    def get_data(self, response: httpx.Response) -> dict[str, Any]:
        return graphql_data(response)
