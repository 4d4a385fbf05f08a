"""Builds a real MLflow tracking store (sqlite) with MLflow's own client: 2 experiments, 3 runs with
params, metric histories, tags and a dataset input, 3 registered models with 4 versions (one a model
directory), an alias and tags. Run as a script in a subprocess: `python mlflow_store.py DIR`; then
`python mlflow_store.py DIR STEP` changes the store as a user would between two imports."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mlflow.entities import Dataset, DatasetInput, InputTag
from mlflow.tracking import MlflowClient


def build(root: Path) -> dict[str, object]:
    uri = f"sqlite:///{root / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    artifacts = (root / "artifacts").as_uri()
    churn = client.create_experiment("churn", artifact_location=f"{artifacts}/churn")
    fraud = client.create_experiment("fraud/detection", artifact_location=f"{artifacts}/fraud")
    runs = {}
    for experiment, name, lr in [(churn, "churn-a", 0.1), (churn, "churn-b", 0.01), (fraud, "fraud-a", 0.2)]:
        run = client.create_run(experiment, run_name=name, tags={"team": "risk", "mlflow.user": "ines"})
        run_id = run.info.run_id
        client.log_param(run_id, "learning_rate", str(lr))
        client.log_param(run_id, "max depth", "4")
        for step in range(3):
            client.log_metric(run_id, "loss", 1.0 / (step + 1) + lr, step=step, timestamp=1_760_000_000_000 + step)
        client.log_metric(run_id, "f1", 0.85, step=2, timestamp=1_760_000_000_100)
        model_file = root / f"{name}.bin"
        model_file.write_bytes(f"weights of {name}".encode())
        client.log_artifact(run_id, str(model_file), artifact_path="model")
        directory = root / f"{name}-dir"
        (directory / "sub").mkdir(parents=True)
        (directory / "MLmodel").write_text("flavors: {}\n")
        (directory / "sub" / "weights.bin").write_bytes(b"\x00\x01" * 100)
        client.log_artifacts(run_id, str(directory), artifact_path="bundle")
        client.set_terminated(run_id)
        runs[name] = run_id
    client.log_inputs(
        runs["churn-a"],
        [
            DatasetInput(
                Dataset(name="customers", digest="d41d8cd9", source_type="local", source='{"uri": "/data/c.csv"}'),
                tags=[InputTag("mlflow.data.context", "training")],
            )
        ],
    )
    client.create_registered_model("churn-model", description="churn classifier")
    client.create_model_version("churn-model", f"runs:/{runs['churn-a']}/model/churn-a.bin", run_id=runs["churn-a"])
    client.create_model_version("churn-model", f"runs:/{runs['churn-b']}/model/churn-b.bin", run_id=runs["churn-b"])
    client.set_registered_model_alias("churn-model", "staging", "2")
    client.create_registered_model("fraud-model", tags={"licence": "MIT"})
    client.create_model_version("fraud-model", f"runs:/{runs['fraud-a']}/model/fraud-a.bin", run_id=runs["fraud-a"])
    client.create_registered_model("churn-bundle")
    client.create_model_version("churn-bundle", f"runs:/{runs['churn-a']}/bundle", run_id=runs["churn-a"])
    return {"uri": uri, "runs": runs}


def client_of(root: Path) -> MlflowClient:
    uri = f"sqlite:///{root / 'mlflow.db'}"
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def more_aliases(root: Path) -> dict[str, object]:
    """A second alias and a version tag, so a later change can move, remove and retag."""
    client = client_of(root)
    client.set_registered_model_alias("churn-model", "challenger", "1")
    client.set_model_version_tag("churn-model", "1", "stage", "candidate")
    return {}


def change(root: Path) -> dict[str, object]:
    """What a team does in MLflow after a first import: a new description, a retagged version, the
    staging alias moved back to version 1 and the challenger alias removed."""
    client = client_of(root)
    client.update_registered_model("churn-model", description="churn classifier, weekly retrain")
    client.set_model_version_tag("churn-model", "1", "stage", "validated")
    client.set_model_version_tag("churn-model", "1", "reviewer", "ines")
    client.set_registered_model_alias("churn-model", "staging", "1")
    client.delete_registered_model_alias("churn-model", "challenger")
    return {}


def retrain(root: Path) -> dict[str, object]:
    """A new run after a first import, trained on the dataset snapshot an imported run used."""
    client = client_of(root)
    churn = client.get_experiment_by_name("churn")
    assert churn is not None
    run = client.create_run(churn.experiment_id, run_name="churn-c")
    snapshot = Dataset(name="customers", digest="d41d8cd9", source_type="local", source='{"uri": "/data/c.csv"}')
    client.log_inputs(run.info.run_id, [DatasetInput(snapshot, tags=[InputTag("mlflow.data.context", "training")])])
    client.set_terminated(run.info.run_id)
    return {"run": run.info.run_id}


STEPS = {"more-aliases": more_aliases, "change": change, "retrain": retrain}

if __name__ == "__main__":
    root = Path(sys.argv[1])
    print(json.dumps(STEPS[sys.argv[2]](root) if len(sys.argv) > 2 else build(root)))
