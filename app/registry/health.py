"""Health reports of deployments: samples rolled up into per-minute windows, from a reporter that
owns every deployment of the batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.domain import history as rules
from app.domain import validation as v
from app.errors import NotFound, ValidationFailed
from app.graph import history_writes as w
from app.graph.history_records import Deployment
from app.registry.actor import RequestMeta
from app.registry.commands import history as cmd
from app.registry.history import history, when
from app.registry.plan import Plan
from app.registry.resources import deployment_owners
from app.services import Services


async def report_health(services: Services, meta: RequestMeta, c: cmd.ReportHealth) -> Plan:
    raw = c.samples
    if not raw:
        raise v.fail("samples", "must list at least one sample")
    if len(raw) > rules.MAX_BATCH:
        raise v.fail("samples", f"at most {rules.MAX_BATCH} samples per request")
    now = datetime.now(UTC)
    retention = timedelta(days=services.settings.health_retention_days)
    samples = [_sample(i, s, now, retention) for i, s in enumerate(raw)]
    windows = rules.roll_up(samples)
    deployments = await _deployments(services, sorted({s.deployment_id for s in samples}))
    _not_before_creation(samples, deployments)
    owners = _owners(deployments)
    resource = {"kind": "deployment", "owners": owners}
    return Plan("modify", resource, w.report_health(windows, len(samples), meta.actor.name))


def _sample(index: int, raw: Any, now: datetime, retention: timedelta) -> rules.Sample:
    if not isinstance(raw, dict):
        raise ValidationFailed(f"samples[{index}]: must be an object", field=f"samples[{index}]")
    at = (
        when(f"samples[{index}].at", raw.get("at"), required=False) if isinstance(raw.get("at"), str) else raw.get("at")
    )
    if at is None:
        raise v.fail(f"samples[{index}].at", "is required")
    values = {k: val for k, val in raw.items() if k not in ("deployment_id", "at")}
    return rules.check_sample(index, raw.get("deployment_id"), at, values, now, retention)


async def _deployments(services: Services, ids: list[str]) -> dict[str, Deployment]:
    if len(ids) > MAX_DEPLOYMENTS_PER_BATCH:
        raise v.fail("samples", f"at most {MAX_DEPLOYMENTS_PER_BATCH} deployments per request")
    found = await history(services).deployments(ids)
    for deployment_id in ids:
        if deployment_id not in found:
            raise NotFound(f"deploymentId: no deployment {deployment_id!r}", field="deploymentId")
    return found


def _not_before_creation(samples: list[rules.Sample], deployments: dict[str, Deployment]) -> None:
    """A sample from before its deployment existed (beyond a short grace) is refused."""
    for index, sample in enumerate(samples):
        created = deployments[sample.deployment_id].created_at
        if created is not None and sample.at < created - rules.CREATION_GRACE:
            where = f"samples[{index}].at"
            raise v.fail(where, f"is before the deployment was created ({created.isoformat()})")


def _owners(deployments: dict[str, Deployment]) -> list[str | None]:
    """Owners common to every deployment in the batch: a reporter must own all of them."""
    common: set[str | None] | None = None
    for found in deployments.values():
        owners = set(deployment_owners(found))
        common = owners if common is None else common & owners
    return sorted(common or set(), key=str) or [NO_COMMON_OWNER]


MAX_DEPLOYMENTS_PER_BATCH = 50
NO_COMMON_OWNER = "(no common owner)"  # keeps ownership required when the batch's owners differ
