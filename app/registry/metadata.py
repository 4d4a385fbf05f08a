"""Updating a node's mutable metadata: which fields each kind lets change, under the revision the
caller expects."""

from __future__ import annotations

from typing import Any

from app.domain import validation as v
from app.domain.vocabulary import REGULATORY
from app.errors import NotFound, ValidationFailed
from app.graph import core_writes as w
from app.graph.model_records import Model, ModelVersion
from app.graph.run_records import Experiment, Project, Run
from app.registry.actor import RequestMeta
from app.registry.commands import core as cmd
from app.registry.custom import custom_props
from app.registry.lookups import reader
from app.registry.plan import Plan
from app.registry.resources import owned
from app.services import Services

UPDATABLE: dict[str, dict[str, str]] = {
    # label -> input field -> rule kind
    "Model": {
        "description": "text",
        "owners": "list",
        "owner_teams": "list",
        "domain": "short",
        "task": "short",
        "tags": "list",
        "licence": "short",
        "regulatory": "regulatory",
        "intended_use": "text",
    },
    "ModelVersion": {"notes": "text", "signature": "text"},
    "Project": {"description": "text", "owners": "list"},
    "Experiment": {"description": "text"},
    "Run": {"notes": "text"},
}
KIND_OF_LABEL = {
    "Model": "model",
    "ModelVersion": "model_version",
    "Project": "project",
    "Experiment": "experiment",
    "Run": "run",
}


async def update_metadata(services: Services, meta: RequestMeta, c: cmd.UpdateMetadata) -> Plan:
    node = await reader(services).record(v.short("id", c.id, required=True) or "")
    if not isinstance(node, Model | ModelVersion | Project | Experiment | Run):
        raise NotFound(f"id: no updatable node {c.id!r}", field="id")
    changes = _changes(node.kind, dict(v.mapping("changes", c.changes)))
    changes.update(custom_props("custom", c.custom))
    if not changes:
        raise ValidationFailed("changes: nothing to change", field="changes")
    resource = await _as_owned(services, node)
    if isinstance(node, Model) and "licence" in changes:
        resource["licence"] = changes["licence"]
    expected = int(c.expected_revision)
    stream = f"model:{node.model_name}" if isinstance(node, ModelVersion) else None
    return Plan(
        "modify",
        resource,
        w.update_metadata(node.kind, node.id, expected, changes, meta.actor.name),
        # Policy re-checks what the changes touch (a new licence meets the same allow-list as publish).
        {"changes": sorted(changes)},
        stream=stream,
    )


async def _as_owned(services: Services, node: Model | ModelVersion | Project | Experiment | Run) -> dict[str, Any]:
    """The node as policy judges a change to it: a version is owned as its model is, an experiment as
    its project is, and a run by who started it (as when it is finished), so ownership protects
    their metadata too."""
    resource = owned(node, KIND_OF_LABEL[node.kind])
    parent: Model | Project | None = None
    if isinstance(node, ModelVersion):
        parent = await reader(services).model_by_name(node.model_name)
    elif isinstance(node, Experiment) and node.project_id:
        found = await reader(services).record(node.project_id)
        parent = found if isinstance(found, Project) else None
    elif isinstance(node, Run):
        resource["owners"] = [node.created_by] if node.created_by else []
    if parent is not None:
        resource["owners"] = list(parent.owners)
        resource["owner_teams"] = list(parent.owner_teams) if isinstance(parent, Model) else []
    return resource


def _changes(label: str, raw: dict[str, Any]) -> dict[str, Any]:
    allowed = UPDATABLE[label]
    out: dict[str, Any] = {}
    for field, value in raw.items():
        rule = allowed.get(field)
        if rule is None:
            raise ValidationFailed(
                f"changes.{field}: cannot be changed on a {label} (immutable or unknown); changeable: "
                f"{', '.join(sorted(allowed))}",
                field=f"changes.{field}",
            )
        if rule == "list":
            out[field] = v.labels(f"changes.{field}", value)
        elif rule == "regulatory":
            out[field] = [v.one_of(f"changes.{field}", r, REGULATORY) for r in v.string_list(field, value)]
        elif rule == "short":
            out[field] = v.short(f"changes.{field}", value)
        else:
            out[field] = v.text(f"changes.{field}", value)
    return out
