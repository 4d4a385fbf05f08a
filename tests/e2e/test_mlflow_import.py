"""`modelgraph import mlflow` against a real MLflow store made by MLflow itself: 2 experiments and 3
registered models import completely (runs with params, metric histories, tags, dataset inputs;
versions with their bytes; aliases), and a second import writes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pytest

from app.config import Settings
from app.services import Services
from modelgraph.client import ModelGraph

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

HERE = Path(__file__).resolve().parent
CLI = Path(sys.executable).with_name("modelgraph")


def importer(live_server: str, token: str, uri: str, cwd: Path) -> dict[str, object]:
    done = subprocess.run(
        [str(CLI), "import", "mlflow", "--tracking-uri", uri, "--licence", "Apache-2.0",
         "--dataset-rights", "training", "--dataset-rights", "commercial", "--dataset-rights", "no-personal-data",
         "--url", live_server, "--token", token, "--output", "json"],
        capture_output=True, text=True, timeout=300, cwd=cwd, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def mlflow_store(root: Path, *step: str) -> dict[str, Any]:
    """Made (or changed by `step`) by MLflow in its own process (its dependencies' warnings are not
    this suite's errors)."""
    made = subprocess.run(
        [sys.executable, str(HERE / "mlflow_store.py"), str(root), *step],
        capture_output=True, text=True, timeout=300, cwd=root, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return json.loads(made.stdout.strip().splitlines()[-1])


async def audit_events(services: Services) -> int:
    records, _, _ = await services.driver.execute_query("MATCH (e:AuditEvent) RETURN count(e) AS n")
    return int(records[0]["n"])


async def audit_trail(services: Services) -> dict[str, tuple[str, str]]:
    """Every audit event: id -> (action, what it is about)."""
    records, _, _ = await services.driver.execute_query(
        "MATCH (e:AuditEvent) RETURN e.id AS id, e.action AS action, e.target_kind AS kind"
    )
    return {r["id"]: (r["action"], r["kind"]) for r in records}


async def test_an_mlflow_store_imports_completely_and_once(
    live_server: str, settings: Settings, clean_graph: Services, tmp_path: Path
) -> None:
    store = mlflow_store(tmp_path)
    token = settings.bootstrap_admin_key.get_secret_value()

    first = importer(live_server, token, store["uri"], tmp_path)
    assert first["skipped"] == []
    assert first["created"] == {
        "aliases": 1,
        "dataset_versions": 1,
        "experiments": 2,
        "metric_points": 12,
        "models": 3,
        "runs": 3,
        "versions": 4,
    }

    with ModelGraph(live_server, token) as mg:
        assert sorted(m.name for m in mg.iter_models()) == ["churn-bundle", "churn-model", "fraud-model"]
        assert mg.model("fraud-model").licence == "MIT" and mg.model("churn-model").licence == "Apache-2.0"
        staging = mg.version("churn-model", alias="staging")
        assert staging.version == 2 and staging.run.external_id == f"mlflow:{store['runs']['churn-b']}"
        assert mg.download("churn-model", alias="staging", dest=tmp_path / "got").read_bytes() == b"weights of churn-b"
        bundle = mg.version("churn-bundle", version=1)
        assert bundle.artifact.size and bundle.artifact.size > 200  # the directory, as one tar
        run = mg.run(staging.run.id)
        assert run.params == {"learning_rate": "0.01", "max_depth": "4"} and run.status.value == "FINISHED"
        assert [(p.step, p.value) for p in mg.metric_history(run.id, "loss")] == [
            (0, pytest.approx(1.01)),
            (1, pytest.approx(0.51)),
            (2, pytest.approx(1 / 3 + 0.01)),
        ]
        trained_on = mg.run(mg.version("churn-model", version=1).run.id).inputs
        assert [(i.dataset, i.version) for i in trained_on] == [("customers", 1)]
        experiment = mg.graph.experiment_by_name(project="mlflow", name="fraud-detection").experiment_by_name
        assert experiment is not None

    before = await audit_events(clean_graph)
    second = importer(live_server, token, store["uri"], tmp_path)
    assert await audit_events(clean_graph) == before
    created = cast(dict[str, int], second["created"])
    assert set(created.values()) == {0}
    assert set(cast(dict[str, int], second["updated"]).values()) == {0}
    assert second["already_present"] == {"aliases": 1, "experiments": 2, "models": 3, "runs": 3, "versions": 4}
    assert second["skipped"] == []


async def test_a_reimport_carries_over_what_changed_in_mlflow_and_only_that(
    live_server: str, settings: Settings, clean_graph: Services, tmp_path: Path
) -> None:
    store = mlflow_store(tmp_path)
    mlflow_store(tmp_path, "more-aliases")
    token = settings.bootstrap_admin_key.get_secret_value()
    first = importer(live_server, token, store["uri"], tmp_path)
    assert first["skipped"] == [] and cast(dict[str, int], first["created"])["aliases"] == 2

    with ModelGraph(live_server, token) as mg:
        fraud_revision = mg.model("fraud-model").revision
    mlflow_store(tmp_path, "change")
    before = await audit_trail(clean_graph)
    second = importer(live_server, token, store["uri"], tmp_path)
    assert second["skipped"] == []
    assert {k: n for k, n in cast(dict[str, int], second["updated"]).items() if n} == {
        "aliases": 1,
        "models": 1,
        "versions": 1,
    }
    assert {k: n for k, n in cast(dict[str, int], second["removed"]).items() if n} == {"aliases": 1}
    assert set(cast(dict[str, int], second["created"]).values()) == {0}

    with ModelGraph(live_server, token) as mg:
        churn = mg.model("churn-model")
        assert churn.description == "churn classifier, weekly retrain"
        assert {a.alias: a.version for a in churn.aliases} == {"staging": 1}
        tags = {p.name: p.value for p in mg.version("churn-model", version=1).custom if p.name.startswith("tag_")}
        assert tags == {"tag_stage": "validated", "tag_reviewer": "ines"}
        assert [(a.alias, a.version) for a in mg.alias_history("churn-model", "staging")][:2] == [
            ("staging", 1),
            ("staging", 2),
        ]
        untouched = mg.model("fraud-model")
        assert untouched.revision == fraud_revision and untouched.description is None

    written = sorted(action for key, action in (await audit_trail(clean_graph)).items() if key not in before)
    assert written == sorted(
        [
            ("modify:update_metadata", "model"),  # the description
            ("modify:update_metadata", "model_version"),  # the tags
            ("promote:move_alias", "alias"),  # staging moved
            ("promote:remove_alias", "alias"),  # challenger removed
            ("modify:update_metadata", "model"),  # which aliases the import mirrors now
        ]
    )

    settled = await audit_events(clean_graph)
    third = importer(live_server, token, store["uri"], tmp_path)
    assert await audit_events(clean_graph) == settled
    assert set(cast(dict[str, int], third["updated"]).values()) == {0}
    assert set(cast(dict[str, int], third["removed"]).values()) == {0}
    assert third["skipped"] == []


async def test_a_later_run_on_an_imported_dataset_snapshot_links_it_instead_of_copying_it(
    live_server: str, settings: Settings, clean_graph: Services, tmp_path: Path
) -> None:
    store = mlflow_store(tmp_path)
    token = settings.bootstrap_admin_key.get_secret_value()
    importer(live_server, token, store["uri"], tmp_path)
    retrained = mlflow_store(tmp_path, "retrain")

    again = importer(live_server, token, store["uri"], tmp_path)
    created = cast(dict[str, int], again["created"])
    assert created["runs"] == 1 and created["dataset_versions"] == 0

    found = await clean_graph.repos.core.run_by_external_id(f"mlflow:{retrained['run']}")
    assert found is not None
    with ModelGraph(live_server, token) as mg:
        assert [(i.dataset, i.version) for i in mg.run(found.id).inputs] == [("customers", 1)]
        newest = mg.graph.dataset_version_lookup(dataset="customers", version=None).dataset_version
        assert newest is not None and newest.version == 1  # still one snapshot of the dataset
