"""Policy resources are built from typed records with the keys the Rego policies read."""

from __future__ import annotations

from app.graph.history_records import Deployment
from app.graph.model_records import Model, ModelVersion
from app.graph.run_records import Project, Run
from app.registry.resources import deployment_resource, owned, run_resource


def test_a_model_is_owned_by_its_owners_and_teams_a_project_by_its_owners() -> None:
    model = Model.of({"id": "mdl_1", "name": "churn", "owners": ["ana"], "owner_teams": ["risk"]})
    project = Project.of({"id": "prj_1", "name": "credit", "owners": ["bo"]})
    assert owned(model, "alias") == {
        "kind": "alias",
        "id": "mdl_1",
        "name": "churn",
        "owners": ["ana"],
        "owner_teams": ["risk"],
    }
    assert owned(project, "project") == {
        "kind": "project",
        "id": "prj_1",
        "name": "credit",
        "owners": ["bo"],
        "owner_teams": [],
    }


def test_a_version_and_a_run_have_no_owners_of_their_own_when_their_metadata_changes() -> None:
    version = ModelVersion.of({"id": "mv_1", "model_name": "churn", "version": 2, "artifact_digest": "sha256:x"})
    run = Run.of({"id": "run_1", "name": "nightly", "created_by": "ana"})
    assert owned(version, "model_version") == {
        "kind": "model_version",
        "id": "mv_1",
        "name": None,
        "owners": [],
        "owner_teams": [],
    }
    assert owned(run, "run")["owners"] == []
    assert run_resource(run) == {"kind": "run", "id": "run_1", "owners": ["ana"]}


def test_a_deployment_without_owners_is_owned_by_who_created_it() -> None:
    props = {"id": "dep_1", "name": "scorer", "owners": [], "created_by": "ana", "model_name": "churn"}
    assert deployment_resource(Deployment.of(props)) == {
        "kind": "deployment",
        "id": "dep_1",
        "name": "scorer",
        "owners": ["ana"],
    }
    assert deployment_resource(Deployment.of({**props, "owners": ["ops"]}))["owners"] == ["ops"]
