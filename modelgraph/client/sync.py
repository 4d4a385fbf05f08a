"""`ModelGraph`: the synchronous high-level client (runs, metrics, versions, aliases, search, lineage,
downloads, health). Every call goes through the generated typed client (`.graph`), so a failure is a
typed exception and never an empty answer."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from modelgraph.client import api_sync as api
from modelgraph.client.errors import Conflict, IntegrityError, NotFound
from modelgraph.client.files import Body, VerifiedWriter, body_of
from modelgraph.client.transport import RetryPolicy, rest_error, send

MAX_METRIC_BATCH = 1000
Point = Mapping[str, Any]


def _points(points: Iterable[Point] | Mapping[str, float], step: int | None = None) -> list[api.MetricPointInput]:
    """[{name, value, step?, at?}, ...] or {name: value} (all at `step`, now)."""
    now = datetime.now(UTC)
    if isinstance(points, Mapping):
        return [api.MetricPointInput(name=k, value=float(v), step=step or 0, at=now) for k, v in points.items()]
    return [
        api.MetricPointInput(
            name=p["name"], value=float(p["value"]), step=int(p.get("step", step or 0)), at=p.get("at") or now
        )
        for p in points
    ]


class ActiveRun:
    """A run opened by `ModelGraph.start_run`: log metrics (buffered, sent in batches), add inputs, and
    let the context manager finish it (FINISHED on exit, FAILED on an exception)."""

    def __init__(self, client: ModelGraph, run: api.RunFields, flush_every: int = 100) -> None:
        self.client = client
        self.id = run.id
        self.name = run.name
        self.flush_every = flush_every
        self._buffer: list[api.MetricPointInput] = []
        self.final_metrics: dict[str, float] = {}
        self._explicit: set[str] = set()
        self.finished: api.RunFields | None = None

    def log_metric(self, name: str, value: float, step: int = 0, at: datetime | None = None) -> None:
        self.log_metrics([{"name": name, "value": value, "step": step, "at": at}])

    def log_metrics(self, points: Iterable[Point] | Mapping[str, float], step: int | None = None) -> None:
        """Buffer points ({name: value} at `step`, or dicts with name, value, step and at); the last
        value of each metric becomes the run's final metric unless `set_final` says otherwise."""
        batch = _points(points, step)
        self._buffer.extend(batch)
        for p in batch:
            if p.name not in self._explicit:
                self.final_metrics[p.name] = p.value
        if len(self._buffer) >= self.flush_every:
            self.flush()

    def set_final(self, metrics: Mapping[str, float]) -> None:
        self.final_metrics.update({k: float(v) for k, v in metrics.items()})
        self._explicit.update(metrics)

    def add_inputs(self, *dataset_version_ids: str) -> None:
        self.client.graph.add_run_inputs(api.AddRunInputsInput(run_id=self.id, inputs=list(dataset_version_ids)))

    def flush(self) -> None:
        if self._buffer:
            self.client.log_metrics(self.id, self._buffer)
            self._buffer = []

    def finish(self, status: str = "FINISHED") -> api.RunFields:
        self.flush()
        self.finished = self.client.finish_run(self.id, status, self.final_metrics)
        return self.finished


class ModelGraph:
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

    # ---- projects, experiments, data --------------------------------------------------------
    def experiment(self, project: str, name: str, *, create: bool = True) -> str:
        """The id of experiment `name` in `project`, creating both when missing (and `create`)."""
        found = self.graph.experiment_by_name(project=project, name=name).experiment_by_name
        if found is not None:
            return found.id
        if not create:
            raise NotFound(f"experiment: no experiment {name!r} in project {project!r}", field="experiment")
        with contextlib.suppress(Conflict):
            self.graph.create_project(api.CreateProjectInput(name=project))
        try:
            made = self.graph.create_experiment(api.CreateExperimentInput(project=project, name=name))
        except Conflict:  # created concurrently: read it back
            return self.experiment(project, name, create=False)
        assert isinstance(made.create_experiment, api.CreateExperimentCreateExperimentExperimentSuccess)
        return made.create_experiment.experiment.id

    def register_dataset(self, name: str, source_uri: str, **fields: Any) -> str:
        """Register a dataset version (digest, row_count, usage_rights, ...); returns its id."""
        made = self.graph.register_dataset_version(
            api.RegisterDatasetVersionInput(dataset=name, source_uri=source_uri, **fields)
        )
        assert isinstance(
            made.register_dataset_version, api.RegisterDatasetVersionRegisterDatasetVersionDatasetVersionSuccess
        )
        return made.register_dataset_version.dataset_version.id

    # ---- runs and metrics -------------------------------------------------------------------
    @contextlib.contextmanager
    def start_run(
        self,
        experiment: str,
        *,
        project: str = "default",
        name: str | None = None,
        params: Mapping[str, Any] | None = None,
        inputs: Iterable[str] = (),
        **fields: Any,
    ) -> Iterator[ActiveRun]:
        """Open a run in `project`/`experiment` (created when missing); finished on exit, FAILED when
        the block raises (the exception propagates)."""
        experiment_id = self.experiment(project, experiment)
        made = self.graph.start_run(
            api.StartRunInput(
                experiment_id=experiment_id, name=name, params=dict(params or {}), inputs=list(inputs), **fields
            )
        )
        assert isinstance(made.start_run, api.StartRunStartRunRunSuccess)
        run = ActiveRun(self, made.start_run.run)
        try:
            yield run
        except BaseException:
            if run.finished is None:
                run.finish("FAILED")
            raise
        if run.finished is None:
            run.finish()

    def finish_run(self, run_id: str, status: str = "FINISHED", metrics: Mapping[str, float] | None = None) -> Any:
        done = self.graph.finish_run(
            api.FinishRunInput(run_id=run_id, status=api.RunEnd(status), metrics=dict(metrics or {}))
        )
        assert isinstance(done.finish_run, api.FinishRunFinishRunRunSuccess)
        return done.finish_run.run

    def log_metrics(
        self, run_id: str, points: Iterable[Point] | Mapping[str, float] | list[api.MetricPointInput], step: int = 0
    ) -> int:
        """Send points to a running run in batches of 1000; returns how many were newly stored."""
        items: list[Any] = list(points) if not isinstance(points, Mapping) else _points(points, step)
        batch = [p if isinstance(p, api.MetricPointInput) else _points([p], step)[0] for p in items]
        stored = 0
        for start in range(0, len(batch), MAX_METRIC_BATCH):
            chunk = batch[start : start + MAX_METRIC_BATCH]
            done = self.graph.log_run_metrics(api.LogRunMetricsInput(run_id=run_id, points=chunk))
            assert isinstance(done.log_run_metrics, api.LogRunMetricsLogRunMetricsRunMetricsLogged)
            stored += done.log_run_metrics.logged
        return stored

    def metric_history(self, run_id: str, name: str | None = None, page: int = 1000) -> Iterator[Any]:
        """Every logged point of a run (or of one metric), sorted by name, step and time."""
        after: str | None = None
        while True:
            got = self.graph.run_metric_history(
                api.RunMetricHistoryInput(run_id=run_id, name=name, first=page, after=after)
            ).run_metric_history
            yield from got.points
            if not got.has_next_page:
                return
            after = got.end_cursor

    def run(self, run_id: str) -> Any:
        found = self.graph.get_run(id=run_id).run
        if found is None:
            raise NotFound(f"run: no run {run_id!r}", field="run")
        return found

    # ---- models, versions, artifacts -----------------------------------------------------------
    def model(self, name: str) -> Any:
        found = self.graph.get_model(name=name).model
        if found is None:
            raise NotFound(f"model: no model named {name!r}", field="model")
        return found

    def create_model(self, name: str, **fields: Any) -> Any:
        made = self.graph.create_model(api.CreateModelInput(name=name, **fields))
        assert isinstance(made.create_model, api.CreateModelCreateModelModelSuccess)
        return made.create_model.model

    def upload(self, model: str, source: str | os.PathLike[str] | bytes) -> tuple[str, Body]:
        """Store artifact bytes (streamed from a file, digest computed locally first); returns the URI."""
        body = body_of(source)
        headers = {"X-Content-Digest": body.digest, "Content-Length": str(body.size)}
        response = send(
            lambda: self.http.post(
                "/api/v1/artifacts", params={"model": model}, content=body.chunks(), headers=headers
            ),
            self.retry,
            resend=True,  # content-addressed: storing the same bytes twice is harmless
        )
        if response.status_code != 201:
            raise rest_error(response)
        answer = response.json()
        if answer.get("digest") != body.digest:
            raise IntegrityError(f"the registry stored digest {answer.get('digest')}, expected {body.digest}")
        return str(answer["uri"]), body

    def register_version(
        self,
        model: str,
        run: str | ActiveRun,
        source: str | os.PathLike[str] | bytes,
        *,
        artifact_format: str | None = None,
        create_model: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Any:
        """Upload the artifact and register it as the next version of `model` from a finished `run`.
        The model is created first when missing (with `create_model` fields, e.g. licence)."""
        if self.graph.get_model(name=model).model is None:
            with contextlib.suppress(Conflict):
                self.create_model(model, **dict(create_model or {}))
        uri, body = self.upload(model, source)
        run_id = run.id if isinstance(run, ActiveRun) else run
        artifact = api.ArtifactInput(uri=uri, digest=body.digest, size=body.size, format=artifact_format)
        made = self.graph.register_model_version(
            api.RegisterModelVersionInput(model=model, run_id=run_id, artifact=artifact, **fields)
        )
        assert isinstance(made.register_model_version, api.RegisterModelVersionRegisterModelVersionModelVersionSuccess)
        return made.register_model_version.model_version

    def version(self, model: str, version: int | None = None, alias: str | None = None) -> Any:
        found = self.graph.get_model_version(model=model, version=version, alias=alias).model_version
        if found is None:
            which = f"alias {alias!r}" if alias else f"version {version}"
            raise NotFound(f"model {model!r} has no {which}", field="alias" if alias else "version")
        return found

    def iter_models(self, page: int = 100) -> Iterator[Any]:
        after: str | None = None
        while True:
            got = self.graph.list_models(first=page, after=after).models
            yield from (e.node for e in got.edges)
            if not got.page_info.has_next_page:
                return
            after = got.page_info.end_cursor

    def iter_versions(self, model: str, page: int = 100) -> Iterator[Any]:
        after: str | None = None
        while True:
            found = self.graph.list_model_versions(model=model, first=page, after=after).model
            if found is None:
                raise NotFound(f"model: no model named {model!r}", field="model")
            yield from (e.node for e in found.versions.edges)
            if not found.versions.page_info.has_next_page:
                return
            after = found.versions.page_info.end_cursor

    def set_alias(self, model: str, alias: str, version: int, reason: str | None = None) -> Any:
        """Point `alias` at `version`; a protected alias may raise ReviewRequired (see approve_review)."""
        done = self.graph.set_alias(api.SetAliasInput(model=model, alias=alias, version=version, reason=reason))
        assert isinstance(done.set_alias, api.SetAliasSetAliasAliasSuccess)
        return done.set_alias.model

    def remove_alias(self, model: str, alias: str, purpose: str | None = None) -> Any:
        """Remove `alias` (decided like a move: a protected alias may raise ReviewRequired)."""
        done = self.graph.remove_alias(api.RemoveAliasInput(model=model, alias=alias, purpose=purpose))
        assert isinstance(done.remove_alias, api.RemoveAliasRemoveAliasAliasSuccess)
        return done.remove_alias.model

    def update_metadata(
        self,
        node_id: str,
        expected_revision: int,
        changes: Mapping[str, Any] | None = None,
        custom: Mapping[str, Any] | None = None,
        purpose: str | None = None,
    ) -> str:
        """Change mutable fields ({description: ...}) and custom properties of a model, version, project,
        experiment or run at the revision you read; raises Conflict when it moved on since."""
        done = self.graph.update_metadata(
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

    def alias_history(self, model: str, alias: str | None = None) -> list[Any]:
        found = self.graph.alias_history(model=model, alias=alias).model
        if found is None:
            raise NotFound(f"model: no model named {model!r}", field="model")
        return list(found.alias_history)

    def record_evaluation(self, model: str, version: int, metrics: Mapping[str, float], **fields: Any) -> str:
        done = self.graph.record_evaluation(
            api.RecordEvaluationInput(model=model, version=version, metrics=dict(metrics), **fields)
        )
        assert isinstance(done.record_evaluation, api.RecordEvaluationRecordEvaluationHistoryWriteSuccess)
        return done.record_evaluation.id

    def download(
        self,
        model: str,
        alias: str | None = "production",
        dest: str | os.PathLike[str] = ".",
        *,
        version: int | None = None,
    ) -> Path:
        """The artifact of `model@alias` (or a version) written to `dest` (a file, or a directory where it
        is named after the model and version), verified against its digest: models:/name@alias."""
        found = self.version(model, version=version, alias=None if version is not None else alias)
        digest = found.artifact.digest
        target = Path(dest)
        if target.is_dir():
            target = target / f"{model}-v{found.version}"
        response = send(
            lambda: self.http.send(self.http.build_request("GET", f"/api/v1/artifacts/{digest}"), stream=True),
            self.retry,
            resend=True,
        )
        try:
            if response.status_code != 200:
                response.read()
                raise rest_error(response)
            writer = VerifiedWriter(target, digest)
            try:
                for chunk in response.iter_bytes():
                    writer.write(chunk)
            except BaseException:
                writer.abort()
                raise
            return writer.commit()
        finally:
            response.close()

    # ---- search, lineage, reviews, health ------------------------------------------------------
    def search(self, text: str | None = None, *, page: int = 50, **fields: Any) -> Iterator[Any]:
        """Every hit of a search (text, any_of, metrics, sort, ...), page after page."""
        after: str | None = None
        while True:
            got = self.graph.search(api.SearchInput(text=text, first=page, after=after, **fields)).search
            assert isinstance(got, api.SearchSearchSearchResults)
            yield from got.hits
            if not got.has_next_page:
                return
            after = got.end_cursor

    def lineage(self, start: str, direction: str = "BOTH", max_hops: int = 3, **fields: Any) -> Any:
        return self.graph.lineage(
            api.LineageInput(start=start, direction=api.LineageDirection(direction), max_hops=max_hops, **fields)
        ).lineage

    def iter_reviews(self, status: str | None = "PENDING", page: int = 50, **fields: Any) -> Iterator[Any]:
        after: str | None = None
        while True:
            got = self.graph.list_reviews(
                api.ReviewsInput(
                    status=api.ReviewStatus(status) if status else None, first=page, after=after, **fields
                )
            ).reviews
            yield from (e.node for e in got.edges)
            if not got.page_info.has_next_page:
                return
            after = got.page_info.end_cursor

    def approve_review(self, review_id: str, comment: str | None = None) -> Any:
        done = self.graph.approve_review(api.DecideReviewInput(id=review_id, comment=comment))
        assert isinstance(done.approve_review, api.ApproveReviewApproveReviewReviewDecided)
        return done.approve_review.review

    def reject_review(self, review_id: str, comment: str | None = None) -> Any:
        done = self.graph.reject_review(api.DecideReviewInput(id=review_id, comment=comment))
        assert isinstance(done.reject_review, api.RejectReviewRejectReviewReviewDecided)
        return done.reject_review.review

    def report_health(self, samples: Iterable[Mapping[str, Any]]) -> Any:
        """Health samples from a serving agent: {deployment_id, at, latency_p95_ms, error_rate, ...}."""
        done = self.graph.report_health(
            api.ReportHealthInput(samples=[api.HealthSampleInput(**dict(s)) for s in samples])
        )
        assert isinstance(done.report_health, api.ReportHealthReportHealthHistoryWriteSuccess)
        return done.report_health.result
