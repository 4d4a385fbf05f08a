"""Runs and their data for `ModelGraph`: experiments (created when missing), dataset versions, runs
as context managers (`ActiveRun`), per-step metrics in batches and their history."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from modelgraph.client import api_sync as api
from modelgraph.client.errors import Conflict, NotFound

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

    def __init__(self, client: Runs, run: api.RunFields, flush_every: int = 100) -> None:
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


class Runs:
    """Experiments, datasets, runs and metrics (mixed into `ModelGraph`, which owns `graph`)."""

    graph: api.Graph

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
