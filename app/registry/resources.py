"""Policy resources built from typed records: the keys the Rego policies read (policies/modelgraph:
kind, id, name, owners, owner_teams), taken explicitly from what is stored."""

from __future__ import annotations

from typing import Any

from app.graph.history_records import Deployment
from app.graph.model_records import Model, ModelVersion
from app.graph.run_records import Experiment, Project, Run

Owned = Model | ModelVersion | Project | Experiment | Run


def owned(r: Owned, kind: str) -> dict[str, Any]:
    """A node as an owned resource with its own owners: models have owners and owning teams, projects
    owners only; a version, an experiment and a run have none of their own (app/registry/metadata.py
    gives them their model's, project's or starter's)."""
    name: str | None = None if isinstance(r, ModelVersion) else r.name
    owners = list(r.owners) if isinstance(r, Model | Project) else []
    teams = list(r.owner_teams) if isinstance(r, Model) else []
    return {"kind": kind, "id": r.id, "name": name, "owners": owners, "owner_teams": teams}


def run_resource(run: Run) -> dict[str, Any]:
    """A run as changed by adding to it (inputs, outputs, metrics, its end): owned by who started it."""
    return {"kind": "run", "id": run.id, "owners": [run.created_by]}


def deployment_owners(deployment: Deployment) -> list[str | None]:
    """Who owns a deployment: its owners or, without any, who created it."""
    return list(deployment.owners) or [deployment.created_by]


def deployment_resource(deployment: Deployment) -> dict[str, Any]:
    return {
        "kind": "deployment",
        "id": deployment.id,
        "name": deployment.name,
        "owners": deployment_owners(deployment),
    }
