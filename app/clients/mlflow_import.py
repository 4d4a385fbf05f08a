"""`modelgraph import mlflow`: copy an MLflow tracking store (experiments, runs with params, metric
histories, tags and dataset inputs, registered models, versions with their artifact bytes, aliases)
into the registry through the SDK, so every write goes through policy and audit like any other.

Idempotent: what is already there is recognised (runs by `externalId` mlflow:<run id>, versions by
their `mlflow_version` custom property, aliases by where they point) and not written again; what
changed in MLflow since (descriptions, tags, aliases moved or removed) is written as an update
(`mlflow_changes`), so a second import of an unchanged store writes nothing. MLflow is an optional
extra (`.[mlflow]`).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.clients.mlflow_changes import tag_props
from app.clients.mlflow_models import ModelImport, Summary, name_of
from app.errors import RegistryError
from modelgraph.client import ModelGraph

KEY_OK = re.compile(r"[^A-Za-z0-9_./-]+")
RUN_END = {"FINISHED": "FINISHED", "FAILED": "FAILED", "KILLED": "KILLED"}
RIGHTS = {"training": "training_allowed", "commercial": "commercial_use"}


def key_of(value: str) -> str:
    cleaned = KEY_OK.sub("_", value)
    return (cleaned if cleaned[:1].isalpha() else "m_" + cleaned)[:64]


def when(ms: int | None) -> datetime | None:
    return datetime.fromtimestamp(ms / 1000, UTC) if ms else None


def mlflow_client(tracking_uri: str, registry_uri: str | None) -> Any:
    try:
        from mlflow.tracking import MlflowClient
    except ImportError:
        raise RegistryError("the MLflow import needs MLflow: pip install 'modelgraph[mlflow]'") from None
    return MlflowClient(tracking_uri=tracking_uri, registry_uri=registry_uri or tracking_uri)


@dataclass
class Importer(ModelImport):
    mg: ModelGraph
    ml: Any
    project: str
    licence: str | None
    rights: dict[str, bool]
    summary: Summary = field(default_factory=Summary)
    runs: dict[str, str] = field(default_factory=dict)  # MLflow run id -> registry run id
    datasets: dict[str, str] = field(default_factory=dict)

    # ---- experiments and runs (models, versions, aliases: ModelImport) ----------------------------------
    def experiments(self, names: list[str] | None) -> list[Any]:
        found = [e for e in self.ml.search_experiments() if not names or e.name in names]
        return sorted(found, key=lambda e: e.name)

    def experiment_runs(self, experiment: Any) -> list[Any]:
        return list(self.ml.search_runs([experiment.experiment_id], max_results=50000, order_by=["start_time ASC"]))

    def existing_runs(self, experiment_id: str) -> dict[str, str]:
        found: dict[str, str] = {}
        after: str | None = None
        while True:
            page = self.mg.graph.experiment_runs(id=experiment_id, first=100, after=after).experiment
            if page is None:
                return found
            for edge in page.runs.edges:
                if edge.node.external_id:
                    found[edge.node.external_id] = edge.node.id
            if not page.runs.page_info.has_next_page:
                return found
            after = page.runs.page_info.end_cursor

    def experiment_id(self, name: str) -> str:
        existing = self.mg.graph.experiment_by_name(project=self.project, name=name).experiment_by_name
        if existing is not None:
            self.summary.present["experiments"] += 1
            return existing.id
        self.summary.created["experiments"] += 1
        return self.mg.experiment(self.project, name)

    def import_run(self, experiment_id: str, known: dict[str, str], run: Any) -> None:
        external = f"mlflow:{run.info.run_id}"
        if external in known:
            self.runs[run.info.run_id] = known[external]
            self.summary.present["runs"] += 1
            return
        inputs = [self.dataset(d) for d in getattr(run.inputs, "dataset_inputs", None) or []]
        tags = tag_props(run.data.tags)
        made = self.mg.graph.start_run(
            _inputs().StartRunInput(
                experiment_id=experiment_id,
                name=(run.info.run_name or None),
                external_id=external,
                started_at=when(run.info.start_time),
                params={key_of(k): str(v)[:4096] for k, v in run.data.params.items()},
                inputs=inputs,
                custom=tags,
            )
        )
        run_id = made.start_run.run.id  # type: ignore[union-attr]  # errors raise
        self.runs[run.info.run_id] = run_id
        self.summary.created["runs"] += 1
        points = []
        for metric in run.data.metrics:
            for m in self.ml.get_metric_history(run.info.run_id, metric):
                at = when(m.timestamp) or datetime.now(UTC)
                points.append({"name": key_of(m.key), "value": float(m.value), "step": int(m.step), "at": at})
        if points:
            self.mg.log_metrics(run_id, points)
            self.summary.created["metric_points"] += len(points)
        status = RUN_END.get(run.info.status)
        if status:  # a run still RUNNING in MLflow stays running here
            final = {key_of(k): float(v) for k, v in run.data.metrics.items()}
            self.mg.graph.finish_run(
                _inputs().FinishRunInput(
                    run_id=run_id, status=_inputs().RunEnd(status), metrics=final, ended_at=when(run.info.end_time)
                )
            )

    def dataset(self, dataset_input: Any) -> str:
        d = dataset_input.dataset
        source = f"mlflow-dataset:{d.name}@{d.digest}"
        if source in self.datasets:
            return self.datasets[source]
        name = name_of(d.name)
        # The source names the snapshot (name and digest): found, whatever version of the dataset it is.
        latest = self.mg.graph.dataset_version_by_source(source_uri=source).dataset_version
        if latest is not None and latest.source_uri == source:
            self.summary.present["dataset_versions"] += 1
            self.datasets[source] = latest.id
            return latest.id
        made = self.mg.register_dataset(
            name,
            source,
            schema=(d.schema or None),
            usage_rights=self.rights or None,
            description=f"imported from MLflow ({d.source_type}: {str(d.source)[:500]})",
        )
        self.summary.created["dataset_versions"] += 1
        self.datasets[source] = made
        return made


def _inputs() -> Any:
    from modelgraph.client import api_sync

    return api_sync


def run_import(
    mg: ModelGraph,
    tracking_uri: str,
    *,
    registry_uri: str | None = None,
    experiments: list[str] | None = None,
    models: list[str] | None = None,
    project: str = "mlflow",
    licence: str | None = None,
    rights: Iterable[str] = (),
    progress: Callable[[str, int], Callable[[], None]] | None = None,
) -> Summary:
    """Import the store; `progress(label, total)` returns a function called once per item done."""
    declared = {RIGHTS[r]: True for r in rights if r in RIGHTS}
    if "no-personal-data" in rights:
        declared["contains_personal_data"] = False
    imp = Importer(mg, mlflow_client(tracking_uri, registry_uri), project, licence, declared)
    track = progress or (lambda label, total: lambda: None)
    for experiment in imp.experiments(experiments):
        runs = imp.experiment_runs(experiment)
        if not runs and experiment.name == "Default":
            continue
        experiment_id = imp.experiment_id(name_of(experiment.name))
        known = imp.existing_runs(experiment_id)
        tick = track(f"runs of {experiment.name}", len(runs))
        for run in runs:
            imp.import_run(experiment_id, known, run)
            tick()
    with tempfile.TemporaryDirectory(prefix="modelgraph-mlflow-") as tmp:
        chosen = imp.models(models)
        tick = track("model versions", sum(len(imp.ml.search_model_versions(f"name = '{m.name}'")) for m in chosen))
        for model in chosen:
            imp.import_model(model, Path(tmp), tick)
    return imp.summary


def summary_text(summary: Summary) -> str:
    data = summary.as_dict()
    lines = ["kind              created  updated  removed  already there"]
    for kind, n in data["created"].items():
        counts = (n, data["updated"][kind], data["removed"][kind], data["already_present"][kind])
        lines.append(f"{kind:<17} {counts[0]:>7}  {counts[1]:>7}  {counts[2]:>7}  {counts[3]:>13}")
    lines += [f"skipped: {reason}" for reason in data["skipped"]]
    return "\n".join(lines)
