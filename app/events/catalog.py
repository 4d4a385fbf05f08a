"""Which registry events a committed change emits, and what they carry.

Every applied command maps to one or more event types below; the events are written to the outbox
in the same transaction as the change and its audit event (app/graph/unit.py), so they exist
exactly when the change does. Data carries entity ids and names, never secrets (an issued API
key's event names the key, not its value) and never a whole request payload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# Envelope `type` is PREFIX + the short type (e.g. "io.modelgraph.alias.moved"); filters take
# either form.
PREFIX = "io.modelgraph."
SOURCE = "/modelgraph/registry"

# The types the registry emits, with what each means (README "Events and webhooks" lists them).
TYPES: dict[str, str] = {
    "model.registered": "a model was created",
    "version.registered": "a model version was registered (one event per version of a batch)",
    "alias.moved": "an alias (e.g. production) now points at a version",
    "alias.removed": "an alias was removed from a model",
    "version.archived": "a model version was archived",
    "metadata.updated": "an entity's metadata revision changed",
    "evaluation.recorded": "an evaluation (metric value) was recorded for a version",
    "annotation.added": "an annotation was attached to an entity",
    "feedback.recorded": "production feedback or a drift statistic was recorded",
    "flag.raised": "feedback crossed its threshold: the version is flagged",
    "flag.cleared": "a version's flag was cleared (reserved: no command clears flags yet)",
    "deployment.created": "a deployment was created",
    "deployment.event": "a deployment event (promoted, canary, rollback, retired, ...) was recorded",
    "health.changed": "a deployment's health status changed",
    "finding.opened": "the continuous validator found a problem (artifact missing or altered, source gone, ...)",
    "finding.resolved": "the continuous validator found a problem fixed",
    "review.escalated": "a review waited too long and was escalated (a reminder to whom policy names)",
    "review.expired": "a review expired undecided (data names who should have acted)",
    "review.filed": "a change waits for review",
    "review.decided": "a review was approved (its change applied) or rejected",
    "grant.created": "a grant was created",
    "grant.revoked": "a grant was revoked",
    "principal.created": "a principal was created",
    "principal.disabled": "a principal was disabled",
    "api_key.issued": "an API key was issued (the event never carries the key)",
    "api_key.revoked": "an API key was revoked",
    "project.created": "a project was created",
    "experiment.created": "an experiment was created",
    "run.started": "a run was started",
    "run.inputs_added": "inputs were added to a run",
    "run.finished": "a run finished",
    "dataset.version_registered": "a dataset version was registered",
    "feature.registered": "a feature was registered",
    "term.upserted": "a vocabulary term was created or changed",
    "vocabulary.seeded": "the controlled vocabularies were seeded",
    "search.saved": "a search was saved",
    "webhook.subscribed": "a webhook subscription was created",
    "webhook.unsubscribed": "a webhook subscription was removed",
    "registry.changed": "any other applied change (data.command names it)",
}

# Commands whose every applied write is one event of the type named here.
SIMPLE: dict[str, str] = {
    "create_model": "model.registered",
    "archive_version": "version.archived",
    "remove_alias": "alias.removed",
    "update_metadata": "metadata.updated",
    "record_evaluation": "evaluation.recorded",
    "annotate": "annotation.added",
    "create_deployment": "deployment.created",
    "create_grant": "grant.created",
    "revoke_grant": "grant.revoked",
    "create_principal": "principal.created",
    "disable_principal": "principal.disabled",
    "issue_api_key": "api_key.issued",
    "revoke_api_key": "api_key.revoked",
    "create_project": "project.created",
    "create_experiment": "experiment.created",
    "start_run": "run.started",
    "add_run_inputs": "run.inputs_added",
    "finish_run": "run.finished",
    "register_dataset_version": "dataset.version_registered",
    "register_feature": "feature.registered",
    "upsert_term": "term.upserted",
    "seed_vocabularies": "vocabulary.seeded",
    "save_search": "search.saved",
    "create_webhook_subscription": "webhook.subscribed",
    "delete_webhook_subscription": "webhook.unsubscribed",
}

# Only admins see these in registryEvents (principals, keys and grants are the admin's business).
ADMIN_ONLY = ("principal.", "api_key.", "grant.", "webhook.")

# Scalar request fields an event may repeat (names and numbers, not free text or secrets).
ECHOED = (
    "model",
    "version",
    "alias",
    "metric",
    "value",
    "dataset",
    "slice",
    "principal",
    "action",
    "resource_id",
    "deployment_id",
    "type",
    "name",
    "tier",
)


@dataclass(frozen=True)
class Event:
    """One registry event before it is sequenced."""

    type: str
    subject: str | None
    model: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def short_type(name: str) -> str:
    return name.removeprefix(PREFIX)


def envelope_type(short: str) -> str:
    return PREFIX + short


def _scalars(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        k: payload[k]
        for k in ECHOED
        if isinstance(payload.get(k), str | int | float | bool) and not isinstance(payload.get(k), bool)
    }


def model_of(payload: dict[str, Any], stream: str | None, command: str) -> str | None:
    if command == "create_model" and isinstance(payload.get("name"), str):
        return str(payload["name"])
    if isinstance(payload.get("model"), str):
        return str(payload["model"])
    if stream and stream.startswith("model:"):
        return stream.removeprefix("model:")
    return None


def events_for(
    command: str,
    payload: dict[str, Any],
    result: dict[str, Any],
    *,
    stream: str | None,
    approved_by: str | None = None,
) -> list[Event]:
    """The events an applied command emits (none for a no-op such as an alias already in place)."""
    model = model_of(payload, stream, command)
    base = {**_scalars(payload), "id": result.get("id"), "kind": result.get("kind")}
    if approved_by:
        base["approved_by"] = approved_by
    if model:
        base["model"] = model
    subject = str(result["id"]) if result.get("id") else None
    if command == "register_model_version":
        return [Event("version.registered", subject, model, {**base, "version": result.get("version")})]
    if command == "register_model_versions":
        return [
            Event("version.registered", vid, model, {**base, "id": vid, "kind": "ModelVersion", "version": number})
            for vid, number in zip(result.get("ids") or [], result.get("versions") or [], strict=False)
        ]
    if command == "move_alias":
        if result.get("unchanged"):
            return []
        return [Event("alias.moved", subject, model, {**base, "previous": result.get("previous")})]
    if command == "record_feedback":
        data = {**base, "version": result.get("version"), "deployment_id": result.get("deployment_id")}
        found = [Event("feedback.recorded", subject, model, data)]
        if result.get("flagged"):
            found.append(Event("flag.raised", subject, model, {**data, "reason": result.get("flag_reason")}))
        return found
    if command == "record_deployment_event":
        event = dict(result.get("event") or {})
        data = {**base, "deployment_id": result.get("deployment_id"), "event": event}
        return [Event("deployment.event", str(result.get("deployment_id") or subject), model, data)]
    if command == "report_health":
        return [
            Event("health.changed", str(change.get("deployment_id")), model, {"change": change, **base})
            for change in result.get("changes") or []
        ]
    if command in ("issue_api_key", "create_principal"):
        # Results may hold a key's secret: name the principal and the key, nothing more.
        data = {"id": result.get("id"), "kind": result.get("kind"), "principal": payload.get("principal")}
        if command == "create_principal":
            data["principal"] = payload.get("name")
        return [Event(SIMPLE[command], subject, None, data)]
    if command in SIMPLE and SIMPLE[command].startswith("webhook."):
        # Registry-wide (admins'): a model's subscription is not told about subscriptions.
        return [Event(SIMPLE[command], subject, None, {**base, "model": None})]
    if command in SIMPLE:
        return [Event(SIMPLE[command], subject, model, base)]
    return [Event("registry.changed", subject, model, {**base, "command": command})]


def review_filed(review: dict[str, Any], command: str, payload: dict[str, Any], stream: str | None) -> Event:
    model = model_of(payload, stream, command)
    data = {**_scalars(payload), "id": review.get("id"), "kind": "Review", "command": command}
    if model:
        data["model"] = model
    return Event("review.filed", str(review.get("id")), model, data)


def review_decided(review: dict[str, Any], status: str, result_id: str | None, decided_by: str) -> Event:
    try:
        payload = json.loads(review.get("payload") or "{}")
    except ValueError:
        payload = {}
    command = str(review.get("command") or "")
    model = model_of(payload if isinstance(payload, dict) else {}, None, command)
    data = {
        **(_scalars(payload) if isinstance(payload, dict) else {}),
        "id": review.get("id"),
        "kind": "Review",
        "command": command,
        "status": status,
        "result_id": result_id,
        "decided_by": decided_by,
        "requested_by": review.get("requested_by"),
    }
    if model:
        data["model"] = model
    return Event("review.decided", str(review.get("id")), model, data)
