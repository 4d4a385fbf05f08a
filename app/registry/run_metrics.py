"""log_run_metrics: append per-step metric points to a running run (training curves, MLflow metric
histories). Decided as `modify` of the run, like adding its inputs; audited on the run's stream."""

from __future__ import annotations

from datetime import UTC, datetime

from app.domain import validation as v
from app.errors import NotFound
from app.graph.run_metrics import MetricPoint, log_points
from app.registry.actor import RequestMeta
from app.registry.commands import run_metrics as cmd
from app.registry.lookups import reader
from app.registry.plan import Plan
from app.registry.resources import run_resource
from app.services import Services

MAX_POINTS = 1000
# GraphQL Int is 32-bit; steps beyond it cannot be sent, and negative steps are kept as MLflow allows.
MIN_STEP, MAX_STEP = -(2**31), 2**31 - 1


def points(raw: tuple[cmd.MetricPointIn, ...] | None) -> list[MetricPoint]:
    items = list(raw or ())
    if not items:
        raise v.fail("points", "must have at least one point")
    if len(items) > MAX_POINTS:
        raise v.fail("points", f"must have at most {MAX_POINTS} points per batch (got {len(items)})")
    now = datetime.now(UTC)
    out: dict[tuple[str, int, datetime], MetricPoint] = {}
    for index, item in enumerate(items):
        field = f"points[{index}]"
        step = 0 if item.step is None else item.step
        if isinstance(step, bool) or not isinstance(step, int) or not MIN_STEP <= step <= MAX_STEP:
            raise v.fail(f"{field}.step", "must be a 32-bit integer")
        point = MetricPoint(
            name=v.key(f"{field}.name", item.name),
            value=v.finite(f"{field}.value", item.value),
            step=step,
            at=v.utc(f"{field}.at", item.at) or now,
        )
        out.setdefault((point.name, point.step, point.at), point)
    return list(out.values())


async def log_run_metrics(services: Services, meta: RequestMeta, c: cmd.LogRunMetrics) -> Plan:
    run_id = v.short("runId", c.run_id, required=True)
    assert run_id is not None
    batch = points(c.points)
    run = await reader(services).run(run_id)
    if run is None:
        raise NotFound(f"runId: no run {run_id!r}", field="runId")
    return Plan("modify", run_resource(run), log_points(run_id, batch, meta.actor.name))
