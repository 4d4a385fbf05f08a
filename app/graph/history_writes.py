"""Transaction bodies for performance history and deployments. Each returns {"id", "kind", ...}
and raises a RegistryError (rolling back) when a rule fails. Deployment changes take the
deployment's write lock first (its `seq` counter), so events are totally ordered per deployment."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from app.domain import history as rules
from app.errors import AlreadyExists, Conflict, NotFound, ValidationFailed
from app.graph import history_queries as q
from app.graph.ids import label_of, new_id
from app.graph.reads import tx_one, tx_rows
from app.graph.search_queries import REFRESH_METRIC_SCORES
from app.graph.unit import Work


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def record_evaluation(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        if p["supersedes"]:
            await _check_supersedable(tx, p["supersedes"], p["version_id"])
        row = await tx_one(
            tx,
            q.CREATE_EVALUATION,
            id=new_id("Evaluation"),
            model_id=p["model_id"],
            version=p["version"],
            dataset_version_id=p["dataset_version_id"],
            slice=p["slice"],
            method=p["method"],
            code_version=p["code_version"],
            evaluator=p["evaluator"] or actor,
            evaluated_at=p["evaluated_at"] or at,
            confidence=json.dumps(p["confidence"]),
            reports=p["reports"],
            notes=p["notes"],
            supersedes=p["supersedes"],
            metrics=p["metrics"],
            at=at,
            actor=actor,
        )
        if row is None:
            raise NotFound("datasetVersionId: no dataset version with that id", field="datasetVersionId")
        if p["supersedes"]:
            await tx.run(q.LINK_SUPERSEDES, id=row["props"]["id"], old_id=p["supersedes"], at=at)
        await tx.run(REFRESH_METRIC_SCORES, ids=[p["version_id"]])  # what ranked metric sorts read
        return {"id": row["props"]["id"], "kind": "Evaluation", "version": p["version"]}

    return work


async def _check_supersedable(tx: AsyncManagedTransaction, old_id: str, version_id: str) -> None:
    old = await tx_one(tx, q.EVALUATION_STATE, id=old_id)
    if old is None:
        raise NotFound(f"supersedes: no evaluation {old_id!r}", field="supersedes")
    if old["version_id"] != version_id:
        raise ValidationFailed("supersedes: a correction must be about the same model version", field="supersedes")
    if old["superseded"]:
        raise Conflict(f"supersedes: evaluation {old_id} is already superseded; correct the newer one")


def annotate(target_id: str, text: str, actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        query = q.ANNOTATE.get(label_of(target_id) or "")
        row = (
            await tx_one(
                tx,
                query,
                id=new_id("Annotation"),
                target_id=target_id,
                text=text,
                actor=actor,
                at=at,
            )
            if query
            else None
        )
        if row is None:
            raise NotFound(f"targetId: nothing annotatable with id {target_id!r}", field="targetId")
        return {"id": row["props"]["id"], "kind": "Annotation", "about": target_id}

    return work


def record_feedback(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(
            tx,
            q.CREATE_FEEDBACK,
            id=f"fb_{uuid.uuid4().hex}",
            at=at,
            actor=actor,
            observed_at=p["observed_at"] or at,
            **{k: p[k] for k in FEEDBACK_FIELDS},
        )
        if row is None:
            raise NotFound(f"deploymentId: no deployment {p['deployment_id']!r}", field="deploymentId")
        props = row["props"]
        return {
            "id": props["id"],
            "kind": "Feedback",
            "flagged": props["flagged"],
            "flag_reason": props.get("flag_reason"),
            "deployment_id": props.get("deployment_id"),
            "model": props["model_name"],
            "version": props["version"],
        }

    return work


FEEDBACK_FIELDS = (
    "model_id",
    "version",
    "deployment_id",
    "kind",
    "statistic",
    "value",
    "threshold",
    "baseline",
    "margin",
    "slice",
    "flagged",
    "flag_reason",
)


# ---- deployments ----------------------------------------------------------------------------
async def _resolve(tx: AsyncManagedTransaction, model_id: str, split: dict[int, float]) -> list[dict[str, Any]]:
    found = {r["version"]: r for r in await tx_rows(tx, q.VERSIONS_BY_NUMBER, model_id=model_id, versions=list(split))}
    for number in split:
        if number not in found:
            raise NotFound(f"version: the model has no version {number}", field="version")
        if found[number]["status"] == "ARCHIVED":
            raise Conflict(f"version: version {number} is archived and cannot serve traffic")
    return [{"version_id": found[n]["id"], "version": n, "traffic_percent": pct} for n, pct in split.items()]


async def _serve(tx: AsyncManagedTransaction, deployment_id: str, rows: list[dict[str, Any]], at: datetime) -> None:
    await tx.run(q.CLOSE_SERVING, id=deployment_id, at=at)
    if rows:
        await tx.run(q.OPEN_SERVING, id=deployment_id, split=rows, at=at)


async def _event(
    tx: AsyncManagedTransaction,
    deployment: dict[str, Any],
    kind: str,
    p: dict[str, Any],
    after: dict[str, Any],
    at: datetime,
    actor: str,
) -> dict[str, Any]:
    row = await tx_one(
        tx,
        q.CREATE_EVENT,
        id=new_id("DeploymentEvent"),
        deployment_id=deployment["id"],
        type=kind,
        reason=p.get("reason"),
        details=json.dumps(p.get("details") or {}, default=str),
        occurred_at=p.get("occurred_at") or at,
        from_state=deployment.get("observed_state"),
        to_state=after.get("observed_state", deployment.get("observed_state")),
        at=at,
        actor=actor,
        approved_by=p.get("approved_by"),
    )
    assert row is not None
    return dict(row["props"])


def create_deployment(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        env = await tx_one(tx, q.ENSURE_ENVIRONMENT, id=new_id("Environment"), at=at, **p["environment"])
        assert env is not None
        env_id = env["props"]["id"]
        if await tx_one(tx, q.DEPLOYMENT_EXISTS, environment_id=env_id, name=p["name"]):
            raise AlreadyExists(
                f"name: deployment {p['name']!r} already exists in {env['props']['name']}",
                field="name",
            )
        serving = await _resolve(tx, p["model_id"], p["serving"])
        rollback = await _resolve(tx, p["model_id"], {p["rollback_version"]: 100}) if p["rollback_version"] else []
        row = await tx_one(
            tx,
            q.CREATE_DEPLOYMENT,
            id=new_id("Deployment"),
            name=p["name"],
            owners=p["owners"],
            model_id=p["model_id"],
            model_name=p["model"],
            environment_id=env_id,
            endpoint=p["endpoint"],
            max_concurrency=p["max_concurrency"],
            rollback_target_id=rollback[0]["version_id"] if rollback else None,
            at=at,
            actor=actor,
        )
        assert row is not None
        deployment = (await tx_one(tx, q.LOCK_DEPLOYMENT, id=row["props"]["id"], at=at) or {})["props"]
        await _serve(tx, deployment["id"], serving, at)
        created = {"details": {"serving": serving}, "approved_by": p.get("approved_by")}
        event = await _event(tx, deployment, "created", created, {}, at, actor)
        return {"id": deployment["id"], "kind": "Deployment", "event": _plain(event)}

    return work


def record_deployment_event(p: dict[str, Any], actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        row = await tx_one(tx, q.LOCK_DEPLOYMENT, id=p["deployment_id"], at=at)
        if row is None:
            raise NotFound(f"deploymentId: no deployment {p['deployment_id']!r}", field="deploymentId")
        deployment = row["props"]
        if deployment.get("desired_state") == "RETIRED":
            raise Conflict(f"deployment {deployment['id']} is retired; events can no longer be recorded")
        current = await tx_rows(tx, q.CURRENT_SERVING, id=deployment["id"])
        changes, serving = await _transition(tx, deployment, current, p)
        data = dict(p)
        if serving is not None:
            await _serve(tx, deployment["id"], serving, at)
            data["details"] = {**(p.get("details") or {}), "serving": serving}
        if changes:
            await tx.run(q.SET_DEPLOYMENT, id=deployment["id"], changes=changes)
        event = await _event(tx, deployment, p["type"], data, changes, at, actor)
        return {
            "id": event["id"],
            "kind": "DeploymentEvent",
            "deployment_id": deployment["id"],
            "event": _plain(event),
        }

    return work


async def _transition(
    tx: AsyncManagedTransaction,
    deployment: dict[str, Any],
    current: list[dict[str, Any]],
    p: dict[str, Any],
) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """State changes and the new traffic split (None = unchanged) for one event type."""
    kind, model_id = p["type"], deployment["model_id"]
    primary = current[0] if current else None
    if kind == "promoted":
        rows = await _resolve(tx, model_id, {p["version"]: 100.0})
        target = primary["version_id"] if primary and primary["version_id"] != rows[0]["version_id"] else None
        return {
            "observed_state": "IN_SERVICE",
            "rollback_target_id": target or deployment.get("rollback_target_id"),
        }, rows
    if kind == "canary_started":
        if primary is None:
            raise Conflict("canary: the deployment serves nothing yet; promote a version first")
        pct = p["traffic_percent"]
        rows = await _resolve(tx, model_id, rules.traffic_split({primary["version"]: 100.0 - pct, p["version"]: pct}))
        return {"rollback_target_id": primary["version_id"]}, rows
    if kind == "traffic_shifted":
        return {}, await _resolve(tx, model_id, p["split"])
    if kind == "rolled_back":
        return _rollback(deployment, current), [
            {"version_id": deployment["rollback_target_id"], "traffic_percent": 100.0}
        ]
    if kind == "retired":
        return {"desired_state": "RETIRED", "observed_state": "RETIRED"}, []
    state = "DEGRADED" if kind == "incident_opened" else "IN_SERVICE"
    return {"observed_state": state}, None


def _rollback(deployment: dict[str, Any], current: list[dict[str, Any]]) -> dict[str, Any]:
    """A rollback undoes a canary or rollout in progress; it never moves traffic silently to a version
    that is not serving (that is a promotion, judged and reviewed as one)."""
    if not deployment.get("rollback_target_id"):
        raise Conflict("rollback: the deployment has no rollback target", field="type")
    served = {r["version_id"] for r in current}
    if len(current) < 2 or deployment["rollback_target_id"] not in served:
        raise Conflict(
            "type: a rollback undoes a canary or rollout in progress, and none is (the deployment serves "
            f"{', '.join(str(r['version']) for r in current) or 'nothing'} alone); to serve an older version "
            "record a promoted event, which is judged as a promotion",
            field="type",
        )
    return {"observed_state": "ROLLED_BACK"}


# ---- health ---------------------------------------------------------------------------------
def report_health(windows: list[rules.Window], samples: int, actor: str) -> Work:
    async def work(tx: AsyncManagedTransaction, at: datetime) -> dict[str, Any]:
        await _check_deployments(tx, sorted({w.deployment_id for w in windows}))
        slots = [{"deployment_id": w.deployment_id, "minute": w.minute, "id": new_id("HealthWindow")} for w in windows]
        stored = {
            (r["deployment_id"], _native(r["minute"])): r["props"]
            for r in await tx_rows(tx, q.LOCK_WINDOWS, rows=slots, at=at)
        }
        merged = [
            rules.merge_windows(
                rules.window_from_props(w.deployment_id, w.minute, stored[(w.deployment_id, w.minute)]),
                w,
            )
            for w in windows
        ]
        await tx.run(
            q.WRITE_WINDOWS,
            rows=[
                {
                    "deployment_id": w.deployment_id,
                    "minute": w.minute,
                    "props": rules.window_props(w),
                }
                for w in merged
            ],
        )
        changes = await tx_rows(tx, q.SET_HEALTH, rows=_latest(merged))
        return {
            "id": windows[0].deployment_id,
            "kind": "HealthWindow",
            "samples": samples,
            "windows": len(windows),
            "changes": [_plain(c) for c in changes if c["before"] != c["after"]],
        }

    return work


async def _check_deployments(tx: AsyncManagedTransaction, ids: list[str]) -> None:
    for row in await tx_rows(tx, q.DEPLOYMENTS_EXIST, ids=ids):
        if not row["found"]:
            raise NotFound(f"deploymentId: no deployment {row['id']!r}", field="deploymentId")
        if row["desired_state"] == "RETIRED":
            raise Conflict(f"deploymentId: deployment {row['id']} is retired")


def _latest(windows: list[rules.Window]) -> list[dict[str, Any]]:
    latest: dict[str, rules.Window] = {}
    for w in windows:
        if w.deployment_id not in latest or w.minute > latest[w.deployment_id].minute:
            latest[w.deployment_id] = w
    return [{"deployment_id": d, "minute": w.minute, "status": rules.health_status(w)} for d, w in latest.items()]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (_native(v).isoformat() if hasattr(v, "to_native") else v) for k, v in row.items()}
