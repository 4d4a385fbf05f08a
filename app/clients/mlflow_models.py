"""The registered-model half of `modelgraph import mlflow`: models, versions with their artifact bytes
and aliases, created when new and updated with what changed in MLflow since the last import
(`mlflow_changes`), each write through the client so policy and audit apply."""

from __future__ import annotations

import re
import tarfile
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from app.clients.mlflow_changes import (
    ALIAS_RECORD,
    Changes,
    alias_plan,
    alias_record,
    mirrored_aliases,
    model_changes,
    tag_props,
    version_changes,
)
from modelgraph.client import ModelGraph, ModelGraphError, ReviewRequired

NAME_OK = re.compile(r"[^A-Za-z0-9._-]+")
IMPORTED = "imported from MLflow"


@dataclass
class Summary:
    """What an import did, per kind: created, updated (changed in MLflow since), removed (aliases
    MLflow dropped), already present unchanged, skipped (with why)."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.removed) | set(self.present))
        return {
            "created": {k: self.created[k] for k in kinds},
            "updated": {k: self.updated[k] for k in kinds},
            "removed": {k: self.removed[k] for k in kinds},
            "already_present": {k: self.present[k] for k in kinds},
            "skipped": self.skipped,
        }


def name_of(value: str) -> str:
    """An MLflow name as a registry name (letters, digits, . _ -; starts with a letter or digit)."""
    cleaned = NAME_OK.sub("-", value).strip("-._") or "unnamed"
    return cleaned[:128]


class ModelImport:
    """Registered models, versions and aliases; mixed into the importer, which owns these fields."""

    mg: ModelGraph
    ml: Any
    licence: str | None
    summary: Summary
    runs: dict[str, str]  # MLflow run id -> registry run id

    def models(self, names: list[str] | None) -> list[Any]:
        found = [m for m in self.ml.search_registered_models() if not names or m.name in names]
        return sorted(found, key=lambda m: m.name)

    def import_model(self, model: Any, artifact_dir: Path, tick: Callable[[], None]) -> None:
        name = name_of(model.name)
        ours = self.mg.graph.get_model(name=name).model
        if ours is None:
            if not self.create_model(name, model):
                return
        else:
            self.update("models", f"model {name}", ours, model_changes(ours, model))
        numbers: dict[int | None, int] = {}
        versions: dict[int, Any] = {}
        for v in self.mg.iter_versions(name):
            numbers[self._mlflow_version(v)] = v.version
            versions[v.version] = v
        found = sorted(self.ml.search_model_versions(f"name = '{model.name}'"), key=lambda v: int(v.version))
        for mv in found:
            tick()
            self.import_version(name, mv, numbers, versions, artifact_dir)
        self.import_aliases(name, getattr(model, "aliases", None) or {}, numbers)

    def create_model(self, name: str, model: Any) -> bool:
        tags = dict(model.tags or {})
        licence = tags.get("licence") or tags.get("license") or self.licence
        if licence is None:
            self.summary.skipped.append(f"model {name}: no licence (tag it in MLflow or pass --licence)")
            return False
        self.mg.create_model(name, description=model.description or None, licence=licence, custom=tag_props(tags))
        self.summary.created["models"] += 1
        return True

    def update(self, kind: str, label: str, ours: Any, changes: Changes) -> None:
        """Write what MLflow changed since the last import at the revision just read (nothing when
        nothing changed); a refusal or a concurrent edit is reported, not fatal."""
        self.summary.skipped += [f"{label}: tag {p} was removed in MLflow; kept here" for p in changes.dropped]
        if not changes:
            self.summary.present[kind] += 1
            return
        try:
            self.mg.update_metadata(ours.id, ours.revision, changes.fields, changes.custom, purpose=IMPORTED)
        except ModelGraphError as exc:  # denied, waits for review, or edited concurrently (conflict)
            self.summary.skipped.append(f"{label}: {changes.described()} not updated: {exc.message}")
            return
        self.summary.updated[kind] += 1

    @staticmethod
    def _mlflow_version(version: Any) -> int | None:
        for prop in version.custom:
            if prop.name == "mlflow_version":
                return int(prop.value)
        return None

    def import_version(
        self, name: str, mv: Any, numbers: dict[int | None, int], versions: dict[int, Any], artifact_dir: Path
    ) -> None:
        number = numbers.get(int(mv.version))
        if number is not None:
            self.update("versions", f"{name} v{mv.version}", versions[number], version_changes(versions[number], mv))
            return
        run_id = self.runs.get(mv.run_id or "")
        if run_id is None:
            self.summary.skipped.append(f"{name} v{mv.version}: its run {mv.run_id} was not imported")
            return
        artifact = self.artifact_bytes(mv.source, artifact_dir)
        if artifact is None:
            self.summary.skipped.append(f"{name} v{mv.version}: artifact {mv.source} could not be read")
            return
        custom: dict[str, Any] = {"mlflow_version": int(mv.version), "mlflow_source": str(mv.source)[:4096]}
        custom.update(tag_props(mv.tags))
        try:
            made = self.mg.register_version(name, run_id, artifact, notes=mv.description or None, custom=custom)
        except ReviewRequired as exc:
            self.summary.skipped.append(f"{name} v{mv.version}: waits for review {exc.review_id}")
            return
        numbers[int(mv.version)] = made.version
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

    def import_aliases(self, name: str, theirs: dict[str, Any], numbers: dict[int | None, int]) -> None:
        """Point, move and remove aliases as MLflow has them now, then record which aliases the
        registry mirrors from MLflow (only those are ever removed by a later import)."""
        model = self.mg.model(name)
        ours = {a.alias: a.version for a in model.aliases}
        wanted: dict[str, int] = {}
        for alias, number in sorted(theirs.items()):
            version = numbers.get(int(number))
            if version is None:
                self.summary.skipped.append(f"{name}@{alias}: its version was not imported")
            else:
                wanted[alias] = version
        previous = mirrored_aliases(model)
        plan = alias_plan(wanted, ours, previous)
        mirrored = {**plan.same, **{a: previous[a] for a in plan.kept}}
        self.summary.present["aliases"] += len(plan.same)
        self.summary.skipped += [f"{name}@{a}: moved in the registry since the last import; kept" for a in plan.kept]
        for alias, version in sorted(plan.point.items()):
            if self.alias_write(name, alias, partial(self.mg.set_alias, name, alias, version, IMPORTED)):
                mirrored[alias] = version
                (self.summary.updated if alias in ours else self.summary.created)["aliases"] += 1
            elif alias in previous:
                mirrored[alias] = previous[alias]
        for alias in plan.remove:
            if self.alias_write(name, alias, partial(self.mg.remove_alias, name, alias, IMPORTED)):
                self.summary.removed["aliases"] += 1
            else:
                mirrored[alias] = previous[alias]  # still there: a later import tries again
        self.record_aliases(name, previous, mirrored)

    def record_aliases(self, name: str, previous: dict[str, int], mirrored: dict[str, int]) -> None:
        """Keep on the model where this import left the aliases it mirrors (written only on change)."""
        if alias_record(mirrored) == alias_record(previous):
            return
        model = self.mg.model(name)
        record = {ALIAS_RECORD: alias_record(mirrored)}
        try:
            self.mg.update_metadata(model.id, model.revision, custom=record, purpose=IMPORTED)
        except ModelGraphError as exc:  # the aliases are right; only the next import's baseline is stale
            self.summary.skipped.append(f"model {name}: {ALIAS_RECORD} not recorded: {exc.message}")

    def alias_write(self, name: str, alias: str, write: Callable[[], Any]) -> bool:
        try:
            write()
        except ReviewRequired as exc:
            self.summary.skipped.append(f"{name}@{alias}: waits for review {exc.review_id}")
            return False
        except ModelGraphError as exc:  # denied (a protected alias without an evaluation), conflict
            self.summary.skipped.append(f"{name}@{alias}: {exc.message}")
            return False
        return True
