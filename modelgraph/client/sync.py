"""`ModelGraph`: the synchronous high-level client. Every call goes through the generated typed client
(`.graph`), so a failure is a typed exception and never an empty answer. The helpers live by concern:
runs and metrics (`runs.py`), models, versions and artifacts (`versions.py`), search, lineage,
reviews and health (`discovery.py`)."""

from __future__ import annotations

import os

import httpx

from modelgraph.client import api_sync as api
from modelgraph.client.discovery import Discovery
from modelgraph.client.runs import MAX_METRIC_BATCH, ActiveRun, Point, Runs, _points
from modelgraph.client.transport import RetryPolicy
from modelgraph.client.versions import Versions

__all__ = ["MAX_METRIC_BATCH", "ActiveRun", "ModelGraph", "Point", "_points"]


class ModelGraph(Runs, Versions, Discovery):
    """A registry at `url` (default MODELGRAPH_API_URL) with a bearer `token` (default MODELGRAPH_TOKEN).

    `timeout` bounds each HTTP exchange; `retry` says how often a call is tried again after a network
    error or a 502/503/504/429 (Retry-After honoured). Mutations carry an idempotency key per call.
    """

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.url = (url or os.environ.get("MODELGRAPH_API_URL") or "http://127.0.0.1:8000").rstrip("/")
        token = token or os.environ.get("MODELGRAPH_TOKEN", "")
        self.retry = retry or RetryPolicy()
        self.http = httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
        )
        self.graph = api.Graph(url=f"{self.url}/graphql", http_client=self.http, retry=self.retry)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ModelGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
