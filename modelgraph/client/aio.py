"""`AsyncModelGraph`: the asynchronous client. `.graph` is the generated typed async client (every
operation, typed exceptions, retries, idempotency keys); the helpers cover what pipelines running on
an event loop need most: runs with metric batches and histories, versions (registration with the
artifact, verified download), aliases and search."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx

from modelgraph.client import api_async as api
from modelgraph.client.errors import Conflict, IntegrityError, NotFound
from modelgraph.client.files import VerifiedWriter, body_of
from modelgraph.client.runs import MAX_METRIC_BATCH, Point, _points
from modelgraph.client.transport import RetryPolicy, rest_error, send_async


class AsyncModelGraph:
    """Like `ModelGraph`, on asyncio: `async with AsyncModelGraph(url, token) as mg: ...`."""

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
        self.http = httpx.AsyncClient(
            base_url=self.url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
        )
        self.graph = api.Graph(url=f"{self.url}/graphql", http_client=self.http, retry=self.retry)

    async def close(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> AsyncModelGraph:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start_run(self, experiment_id: str, name: str | None = None, **fields: Any) -> str:
        made = await self.graph.start_run(api.StartRunInput(experiment_id=experiment_id, name=name, **fields))
        assert isinstance(made.start_run, api.StartRunStartRunRunSuccess)
        return made.start_run.run.id

    async def finish_run(
        self, run_id: str, status: str = "FINISHED", metrics: Mapping[str, float] | None = None
    ) -> None:
        await self.graph.finish_run(
            api.FinishRunInput(run_id=run_id, status=api.RunEnd(status), metrics=dict(metrics or {}))
        )

    async def log_metrics(self, run_id: str, points: Iterable[Point] | Mapping[str, float], step: int = 0) -> int:
        """Send points to a running run in batches of 1000; returns how many were newly stored."""
        batch = [api.MetricPointInput(**p.model_dump()) for p in _points(points, step)]
        stored = 0
        for start in range(0, len(batch), MAX_METRIC_BATCH):
            done = await self.graph.log_run_metrics(
                api.LogRunMetricsInput(run_id=run_id, points=batch[start : start + MAX_METRIC_BATCH])
            )
            assert isinstance(done.log_run_metrics, api.LogRunMetricsLogRunMetricsRunMetricsLogged)
            stored += done.log_run_metrics.logged
        return stored

    async def metric_history(self, run_id: str, name: str | None = None, page: int = 1000) -> AsyncIterator[Any]:
        after: str | None = None
        while True:
            got = (
                await self.graph.run_metric_history(
                    api.RunMetricHistoryInput(run_id=run_id, name=name, first=page, after=after)
                )
            ).run_metric_history
            for point in got.points:
                yield point
            if not got.has_next_page:
                return
            after = got.end_cursor

    async def version(self, model: str, version: int | None = None, alias: str | None = None) -> Any:
        found = (await self.graph.get_model_version(model=model, version=version, alias=alias)).model_version
        if found is None:
            which = f"alias {alias!r}" if alias else f"version {version}"
            raise NotFound(f"model {model!r} has no {which}", field="alias" if alias else "version")
        return found

    async def set_alias(self, model: str, alias: str, version: int, reason: str | None = None) -> Any:
        done = await self.graph.set_alias(api.SetAliasInput(model=model, alias=alias, version=version, reason=reason))
        assert isinstance(done.set_alias, api.SetAliasSetAliasAliasSuccess)
        return done.set_alias.model

    async def remove_alias(self, model: str, alias: str, purpose: str | None = None) -> Any:
        done = await self.graph.remove_alias(api.RemoveAliasInput(model=model, alias=alias, purpose=purpose))
        assert isinstance(done.remove_alias, api.RemoveAliasRemoveAliasAliasSuccess)
        return done.remove_alias.model

    async def update_metadata(
        self,
        node_id: str,
        expected_revision: int,
        changes: Mapping[str, Any] | None = None,
        custom: Mapping[str, Any] | None = None,
        purpose: str | None = None,
    ) -> str:
        """Like `ModelGraph.update_metadata`: fields and custom properties at the revision you read."""
        done = await self.graph.update_metadata(
            api.UpdateMetadataInput(
                id=node_id,
                expected_revision=expected_revision,
                changes=dict(changes or {}),
                custom=dict(custom) if custom else None,
                purpose=purpose,
            )
        )
        assert isinstance(done.update_metadata, api.UpdateMetadataUpdateMetadataUpdateSuccess)
        return done.update_metadata.node.id

    async def iter_models(self, page: int = 100) -> AsyncIterator[Any]:
        after: str | None = None
        while True:
            got = (await self.graph.list_models(first=page, after=after)).models
            for edge in got.edges:
                yield edge.node
            if not got.page_info.has_next_page:
                return
            after = got.page_info.end_cursor

    async def search(self, text: str | None = None, *, page: int = 50, **fields: Any) -> AsyncIterator[Any]:
        after: str | None = None
        while True:
            got = (await self.graph.search(api.SearchInput(text=text, first=page, after=after, **fields))).search
            assert isinstance(got, api.SearchSearchSearchResults)
            for hit in got.hits:
                yield hit
            if not got.has_next_page:
                return
            after = got.end_cursor

    async def register_version(
        self,
        model: str,
        run_id: str,
        source: str | os.PathLike[str] | bytes,
        *,
        create_model: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Any:
        """Upload the artifact (digest computed locally, file streamed) and register the next version."""
        if (await self.graph.get_model(name=model)).model is None:
            with contextlib.suppress(Conflict):
                await self.graph.create_model(api.CreateModelInput(name=model, **dict(create_model or {})))
        body = body_of(source)
        headers = {"X-Content-Digest": body.digest, "Content-Length": str(body.size)}

        async def chunks() -> AsyncIterator[bytes]:
            for chunk in _chunks(body.chunks()):
                yield chunk

        response = await send_async(
            lambda: self.http.post("/api/v1/artifacts", params={"model": model}, content=chunks(), headers=headers),
            self.retry,
            resend=True,
        )
        if response.status_code != 201:
            raise rest_error(response)
        if response.json().get("digest") != body.digest:
            raise IntegrityError(f"the registry stored digest {response.json().get('digest')}, expected {body.digest}")
        artifact = api.ArtifactInput(uri=response.json()["uri"], digest=body.digest, size=body.size)
        made = await self.graph.register_model_version(
            api.RegisterModelVersionInput(model=model, run_id=run_id, artifact=artifact, **fields)
        )
        assert isinstance(made.register_model_version, api.RegisterModelVersionRegisterModelVersionModelVersionSuccess)
        return made.register_model_version.model_version

    async def download(
        self,
        model: str,
        alias: str | None = "production",
        dest: str | os.PathLike[str] = ".",
        *,
        version: int | None = None,
    ) -> Path:
        """The artifact of `model@alias` (or a version) written to `dest`, verified against its digest."""
        found = await self.version(model, version=version, alias=None if version is not None else alias)
        digest = found.artifact.digest
        target = _target(dest, model, found.version)
        request = self.http.build_request("GET", f"/api/v1/artifacts/{digest}")
        response = await send_async(lambda: self.http.send(request, stream=True), self.retry, resend=True)
        try:
            if response.status_code != 200:
                await response.aread()
                raise rest_error(response)
            writer = VerifiedWriter(target, digest)
            try:
                async for chunk in response.aiter_bytes():
                    writer.write(chunk)
            except BaseException:
                writer.abort()
                raise
            return writer.commit()
        finally:
            await response.aclose()


def _target(dest: str | os.PathLike[str], model: str, version: int) -> Path:
    """A file to write, or a directory to write `<model>-v<version>` in (the disk is local; no await)."""
    target = Path(dest)
    return target / f"{model}-v{version}" if target.is_dir() else target


def _chunks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """File chunks for an async upload (reads of local 1 MiB chunks; the network is what is awaited)."""
    yield from chunks
