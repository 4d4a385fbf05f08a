"""GraphQL for a run's metric series (logRunMetrics, runMetricHistory) and the experiment look-up by
name that clients need to start runs (merged into the schema by app/graphql/schema.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from app.errors import NotFound, ValidationFailed
from app.graph import lookups
from app.graph import run_metrics as series
from app.graph import run_records as run_rec
from app.graphql.context import Info
from app.graphql.loaders import node_loader
from app.graphql.payloads import payload_union, run_command
from app.graphql.types.core import Experiment, Run
from app.registry.commands import run_metrics as run_metrics_cmd
from app.registry.plan import Outcome

KEY = "Retry-safe key: a repeated request with the same key returns the first result and writes nothing."
MAX_HISTORY_PAGE = 1000


@strawberry.input(description="One point of a metric series.")
class MetricPointInput:
    name: str = strawberry.field(description="Metric name (letters, digits, . _ - /).")
    value: float = strawberry.field(description="Finite value.")
    step: int = strawberry.field(default=0, description="Training step (epoch, batch, ...).")
    at: datetime | None = strawberry.field(default=None, description="When it was measured (default: now).")


@strawberry.input(description="A batch of metric points for one running run.")
class LogRunMetricsInput:
    run_id: strawberry.ID = strawberry.field(description="The run (must be RUNNING).")
    points: list[MetricPointInput] = strawberry.field(description="1 to 1000 points; re-sent points are no-ops.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY)
    purpose: str | None = strawberry.field(default=None, description="Why (recorded in the audit trail).")


@strawberry.type(description="Points were added to the run's metric series.")
class RunMetricsLogged:
    run: Run = strawberry.field(description="The run.")
    logged: int = strawberry.field(description="Points newly stored (already stored ones are not counted).")
    replayed: bool = strawberry.field(description="True when an earlier request with this key was returned.")


@strawberry.type(description="One logged point of a run's metric series.")
class RunMetricPoint:
    name: str = strawberry.field(description="Metric name.")
    value: float = strawberry.field(description="Value.")
    step: int = strawberry.field(description="Training step.")
    at: datetime = strawberry.field(description="When it was measured.")


@strawberry.input(description="Which part of a run's metric series to read.")
class RunMetricHistoryInput:
    run_id: strawberry.ID = strawberry.field(description="The run.")
    name: str | None = strawberry.field(default=None, description="Only this metric (default: all).")
    first: int = strawberry.field(default=500, description="Points per page (1-1000).")
    after: str | None = strawberry.field(default=None, description="endCursor of the previous page.")


@strawberry.type(description="A page of a run's metric series, sorted by name, step and time.")
class RunMetricHistory:
    points: list[RunMetricPoint] = strawberry.field(description="The points of this page.")
    has_next_page: bool = strawberry.field(description="More points follow.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


def _offset(after: str | None) -> int:
    if after is None:
        return 0
    if not after.isdigit() or len(after) > 12:
        raise ValidationFailed("after: not a cursor returned by runMetricHistory", field="after")
    return int(after)


@strawberry.type
class RunMetricsQuery:
    @strawberry.field(description="A run's metric series (per-step points), a page at a time.")
    async def run_metric_history(self, info: Info, input: RunMetricHistoryInput) -> RunMetricHistory:
        if not 1 <= input.first <= MAX_HISTORY_PAGE:
            raise ValidationFailed(f"first: must be 1 to {MAX_HISTORY_PAGE}", field="first")
        offset = _offset(input.after)
        run = await node_loader(info).load(str(input.run_id))
        if not isinstance(run, run_rec.Run):
            raise NotFound(f"runId: no run {input.run_id!r}", field="runId")
        services = info.context.services
        found = await series.history(
            services.driver, services.settings.neo4j_database, run.id, input.name, offset, input.first + 1
        )
        page = found[: input.first]
        more = len(found) > input.first
        return RunMetricHistory(
            points=[RunMetricPoint(name=p.name, value=p.value, step=p.step, at=p.at) for p in page],
            has_next_page=more,
            end_cursor=str(offset + len(page)) if more else None,
        )

    @strawberry.field(description="An experiment by project and name.")
    async def experiment_by_name(self, info: Info, project: str, name: str) -> Experiment | None:
        services = info.context.services
        found = await lookups.experiment_id(services.driver, services.settings.neo4j_database, project, name)
        e = await node_loader(info).load(found) if found else None
        return Experiment(e) if isinstance(e, run_rec.Experiment) else None


@strawberry.type
class RunMetricsMutation:
    @strawberry.mutation(description="Log a batch of per-step metric points to a running run.")
    async def log_run_metrics(self, info: Info, input: LogRunMetricsInput) -> payload_union(
        "LogRunMetricsPayload", RunMetricsLogged
    ):
        async def make(outcome: Outcome) -> Any:
            e = await node_loader(info).load(str(input.run_id))
            if not isinstance(e, run_rec.Run):
                raise NotFound("the run could not be read back")
            logged = int((outcome.result or {}).get("logged", 0))
            return RunMetricsLogged(run=Run(e), logged=logged, replayed=outcome.replayed)

        return await run_command(info, run_metrics_cmd.LogRunMetrics, input, make)
