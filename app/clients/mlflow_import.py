"""`modelgraph import mlflow`: copy an MLflow tracking store (experiments, runs with params, metric
histories, tags and dataset inputs, registered models, versions with their artifact bytes, aliases)
into the registry through the SDK, so every write goes through policy and audit like any other.

Idempotent: what is already there is recognised (runs by `externalId` mlflow:<run id>, versions by
their `mlflow_version` custom property, aliases by where they point) and not written again, so a
second import of an unchanged store writes nothing. MLflow is an optional extra (`.[mlflow]`).
"""

from __future__ import annotations

import re
import tarfile
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.errors import RegistryError
from modelgraph.client import ModelGraph, ModelGraphError, NotFound, ReviewRequired

NAME_OK = re.compile(r"[^A-Za-z0-9._-]+")
KEY_OK = re.compile(r"[^A-Za-z0-9_./-]+")
PROP_OK = re.compile(r"[^a-z0-9_]+")
RUN_END = {"FINISHED": "FINISHED", "FAILED": "FAILED", "KILLED": "KILLED"}
RIGHTS = {"training": "training_allowed", "commercial": "commercial_use"}


@dataclass
class Summary:
    """What an import did, per kind: created, already present, skipped (with why)."""

    created: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        kinds = sorted(set(self.created) | set(self.present))
        return {
            "created": {k: self.created[k] for k in kinds},
            "already_present": {k: self.present[k] for k in kinds},
            "skipped": self.skipped,
        }


def name_of(value: str) -> str:
    """An MLflow name as a registry name (letters, digits, . _ -; starts with a letter or digit)."""
    cleaned = NAME_OK.sub("-", value).strip("-._") or "unnamed"
    return cleaned[:128]


def key_of(value: str) -> str:
    cleaned = KEY_OK.sub("_", value)
    return (cleaned if cleaned[:1].isalpha() else "m_" + cleaned)[:64]


def prop_of(value: str) -> str:
    return ("tag_" + PROP_OK.sub("_", value.lower()))[:64]


def when(ms: int | None) -> datetime | None:
    return datetime.fromtimestamp(ms / 1000, UTC) if ms else None


def mlflow_client(tracking_uri: str, registry_uri: str | None) -> Any:
    try:
        from mlflow.tracking import MlflowClient
    except ImportError:
        raise RegistryError("the MLflow import needs MLflow: pip install 'modelgraph[mlflow]'") from None
    return MlflowClient(tracking_uri=tracking_uri, registry_uri=registry_uri or tracking_uri)


@dataclass
class Importer:
    mg: ModelGraph
    ml: Any
    project: str
    licence: str | None
    rights: dict[str, bool]
    summary: Summary = field(default_factory=Summary)
    runs: dict[str, str] = field(default_factory=dict)  # MLflow run id -> registry run id
    datasets: dict[str, str] = field(default_factory=dict)

    # ---- experiments and runs ----------------------------------------------------------------
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
        tags = {prop_of(k): str(v)[:4096] for k, v in run.data.tags.items()}
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
        latest = self.mg.graph.dataset_version_lookup(dataset=name, version=None).dataset_version
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

    # ---- registered models, versions, aliases --------------------------------------------------
    def models(self, names: list[str] | None) -> list[Any]:
        found = [m for m in self.ml.search_registered_models() if not names or m.name in names]
        return sorted(found, key=lambda m: m.name)

    def import_model(self, model: Any, artifact_dir: Path, tick: Callable[[], None]) -> None:
        name = name_of(model.name)
        if self.mg.graph.get_model(name=name).model is None:
            tags = dict(model.tags or {})
            licence = tags.get("licence") or tags.get("license") or self.licence
            if licence is None:
                self.summary.skipped.append(f"model {name}: no licence (tag it in MLflow or pass --licence)")
                return
            custom = {prop_of(k): str(v)[:4096] for k, v in tags.items()}
            self.mg.create_model(name, description=model.description or None, licence=licence, custom=custom)
            self.summary.created["models"] += 1
        else:
            self.summary.present["models"] += 1
        ours = {self._mlflow_version(v): v.version for v in self.mg.iter_versions(name)}
        versions = sorted(self.ml.search_model_versions(f"name = '{model.name}'"), key=lambda v: int(v.version))
        for mv in versions:
            tick()
            self.import_version(name, mv, ours, artifact_dir)
        for alias, number in sorted((getattr(model, "aliases", None) or {}).items()):
            self.import_alias(name, alias, ours.get(int(number)))

    @staticmethod
    def _mlflow_version(version: Any) -> int | None:
        for prop in version.custom:
            if prop.name == "mlflow_version":
                return int(prop.value)
        return None

    def import_version(self, name: str, mv: Any, ours: dict[int | None, int], artifact_dir: Path) -> None:
        if int(mv.version) in ours:
            self.summary.present["versions"] += 1
            return
        run_id = self.runs.get(mv.run_id or "")
        if run_id is None:
            self.summary.skipped.append(f"{name} v{mv.version}: its run {mv.run_id} was not imported")
            return
        artifact = self.artifact_bytes(mv.source, artifact_dir)
        if artifact is None:
            self.summary.skipped.append(f"{name} v{mv.version}: artifact {mv.source} could not be read")
            return
        custom = {"mlflow_version": int(mv.version), "mlflow_source": str(mv.source)[:4096]}
        custom.update({prop_of(k): str(v)[:4096] for k, v in (mv.tags or {}).items()})
        try:
            made = self.mg.register_version(name, run_id, artifact, notes=mv.description or None, custom=custom)
        except ReviewRequired as exc:
            self.summary.skipped.append(f"{name} v{mv.version}: waits for review {exc.review_id}")
            return
        ours[int(mv.version)] = made.version
        self.summary.created["versions"] += 1

    def artifact_bytes(self, source: str, artifact_dir: Path) -> Path | None:
        """The version's artifact as one file: a file as is, a directory as a deterministic tar."""
        try:
            from mlflow.artifacts import download_artifacts

            local = Path(download_artifacts(artifact_uri=source, dst_path=tempfile.mkdtemp(dir=artifact_dir)))
        except Exception:  # any failure to read an MLflow artifact is reported as skipped
            return None
        if local.is_file():
            return local
        target = local.with_suffix(".tar")
        with tarfile.open(target, "w") as tar:
            for path in sorted(p for p in local.rglob("*") if p.is_file()):
                info = tar.gettarinfo(str(path), arcname=str(path.relative_to(local)))
                info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
        return target

    def import_alias(self, name: str, alias: str, version: int | None) -> None:
        if version is None:
            self.summary.skipped.append(f"{name}@{alias}: its version was not imported")
            return
        try:
            current = self.mg.version(name, alias=alias)
        except NotFound:
            current = None
        if current is not None and current.version == version:
            self.summary.present["aliases"] += 1
            return
        try:
            self.mg.set_alias(name, alias, version, reason="imported from MLflow")
        except ReviewRequired as exc:
            self.summary.skipped.append(f"{name}@{alias}: waits for review {exc.review_id}")
            return
        except ModelGraphError as exc:  # denied (a protected alias without an evaluation), conflict
            self.summary.skipped.append(f"{name}@{alias}: {exc.message}")
            return
        self.summary.created["aliases"] += 1


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
    lines = ["kind              created  already there"]
    for kind, n in data["created"].items():
        lines.append(f"{kind:<17} {n:>7}  {data['already_present'][kind]:>13}")
    lines += [f"skipped: {reason}" for reason in data["skipped"]]
    return "\n".join(lines)
