"""Reads for the provenance core: nodes by id (batched), models, versions, aliases, history."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, LiteralString, TypeVar

from neo4j import AsyncDriver

from app.domain.entities import AliasPointer, Revision
from app.graph import core_queries as q
from app.graph import records as rec
from app.graph.dataset_records import Dataset, DatasetVersion, Feature
from app.graph.ids import label_of
from app.graph.model_records import Model, ModelVersion
from app.graph.props import Props
from app.graph.reads import rows, total
from app.graph.run_records import Experiment, Project, Run

R = TypeVar("R")


class CoreReader:
    """Read side of the core aggregates; returns domain objects only."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver = driver
        self.db = database

    async def nodes(self, ids: Sequence[str]) -> list[rec.Record | None]:
        """Batch lookup for DataLoaders, as typed records (None for a kind the API shows no type
        for): one query per label, results in request order."""
        by_label: dict[str, list[str]] = defaultdict(list)
        for node_id in ids:
            label = label_of(node_id)
            if label in q.NODES_BY_ID:
                by_label[label].append(node_id)
        found: dict[str, rec.Record] = {}
        for label, label_ids in by_label.items():
            for row in await rows(self.driver, self.db, q.NODES_BY_ID[label], ids=label_ids):
                record = rec.record_of(label, row["props"])
                if record is not None:
                    found[record.id] = record
        return [found.get(node_id) for node_id in ids]

    async def record(self, node_id: str) -> rec.Record | None:
        """One node of any kind the API shows, as its typed record."""
        return (await self.nodes([node_id]))[0]

    async def run(self, run_id: str) -> Run | None:
        """A run by id (None when the id names no run)."""
        found = await self.record(run_id)
        return found if isinstance(found, Run) else None

    async def _typed(self, decode: Callable[[Props], R], query: LiteralString, **params: Any) -> list[R]:
        return [decode(r["props"]) for r in await rows(self.driver, self.db, query, **params)]

    async def _first(self, decode: Callable[[Props], R], query: LiteralString, **params: Any) -> R | None:
        found = await self._typed(decode, query, **params)
        return found[0] if found else None

    async def model_by_name(self, name: str) -> Model | None:
        return await self._first(Model.of, q.MODEL_BY_NAME, name=name)

    async def models(self, after: str | None, limit: int) -> list[Model]:
        return await self._typed(Model.of, q.LIST_MODELS, after=after, limit=limit)

    async def version_by_ref(self, model: str, number: int | None, alias: str | None) -> ModelVersion | None:
        """A version by model name and number, or by alias when one is given."""
        params = {"model": model, "version": number, "alias": alias}
        return await self._first(ModelVersion.of, q.VERSION_BY_REF, **params)

    async def version(self, model_id: str, number: int) -> ModelVersion | None:
        return await self._first(ModelVersion.of, q.VERSION_BY_NUMBER, model_id=model_id, version=number)

    async def run_by_external_id(self, external_id: str) -> Run | None:
        return await self._first(Run.of, q.RUN_BY_EXTERNAL_ID, external_id=external_id)

    async def latest_dataset_version(self, source_uri: str) -> DatasetVersion | None:
        return await self._first(DatasetVersion.of, q.LATEST_DATASET_VERSION_BY_SOURCE, source_uri=source_uri)

    async def dataset_of_source(self, key: str) -> Dataset | None:
        """The dataset registered with this source (an OpenLineage identity key)."""
        return await self._first(Dataset.of, q.DATASET_OF_SOURCE, key=key)

    async def dataset_by_name(self, name: str) -> Dataset | None:
        return await self._first(Dataset.of, q.DATASET_BY_NAME, name=name)

    async def latest_version_of_source(self, key: str) -> DatasetVersion | None:
        return await self._first(DatasetVersion.of, q.LATEST_VERSION_OF_SOURCE, key=key)

    async def run_outputs_of(self, run_ids: Sequence[str]) -> list[list[DatasetVersion]]:
        """Dataset versions each run produced, in the order asked (one query for a whole page)."""
        found: dict[str, list[DatasetVersion]] = defaultdict(list)
        for r in await rows(self.driver, self.db, q.RUN_OUTPUTS_OF_RUNS, ids=list(run_ids)):
            found[str(r["run_id"])].append(DatasetVersion.of(r["props"]))
        return [found.get(run_id, []) for run_id in run_ids]

    async def producers_of(self, version_ids: Sequence[str]) -> list[Run | None]:
        """The run that produced each dataset version (None when none did), in the order asked."""
        found = {
            str(r["version_id"]): Run.of(r["props"])
            for r in await rows(self.driver, self.db, q.PRODUCERS_OF_VERSIONS, ids=list(version_ids))
        }
        return [found.get(i) for i in version_ids]

    async def project(self, name: str) -> Project | None:
        return await self._first(Project.of, q.PROJECT_BY_NAME, name=name)

    async def experiment(self, project: str, name: str) -> Experiment | None:
        return await self._first(Experiment.of, q.EXPERIMENT_BY_NAME, project=project, name=name)

    async def version_by_digest(self, digest: str) -> ModelVersion | None:
        """The first version stored as this artifact, or holding it as a file of its directory."""
        found = await self._first(ModelVersion.of, q.VERSION_BY_DIGEST, digest=digest)
        return found or await self._first(ModelVersion.of, q.VERSION_BY_FILE_DIGEST, digest=digest)

    async def files_of(self, version_ids: Sequence[str]) -> list[list[dict[str, Any]]]:
        """The files of each version's directory artifact (path, digest, size), in the order asked."""
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in await rows(self.driver, self.db, q.FILES_OF_VERSIONS, ids=list(version_ids)):
            found[str(r["version_id"])].append({"path": r["path"], "digest": r["digest"], "size": r["size"]})
        return [found.get(i, []) for i in version_ids]

    async def versions_of_models(
        self, model_ids: Sequence[str], before: int | None, limit: int
    ) -> list[list[ModelVersion]]:
        """A page of versions of each model, in the order asked (one query for a page of models)."""
        found: dict[str, list[ModelVersion]] = defaultdict(list)
        params = {"model_ids": list(model_ids), "before": before, "limit": limit}
        for r in await rows(self.driver, self.db, q.VERSIONS_OF_MODELS, **params):
            found[str(r["model_id"])].append(ModelVersion.of(r["props"]))
        return [found.get(model_id, []) for model_id in model_ids]

    async def alias_at(self, model_id: str, alias: str, at: datetime) -> AliasPointer | None:
        found = await rows(self.driver, self.db, q.ALIAS_AT, model_id=model_id, alias=alias, at=at)
        return _pointer(found[0]) if found else None

    async def alias_history(self, model_id: str, alias: str | None) -> list[AliasPointer]:
        return [_pointer(r) for r in await rows(self.driver, self.db, q.ALIAS_HISTORY, model_id=model_id, alias=alias)]

    async def aliases(self, model_id: str) -> list[AliasPointer]:
        return [_pointer(r) for r in await rows(self.driver, self.db, q.ALIASES_OF_MODEL, model_id=model_id)]

    async def aliases_of_models(self, model_ids: Sequence[str]) -> list[list[AliasPointer]]:
        """Current aliases of each model, in the order asked (one query for a whole page)."""
        found: dict[str, list[AliasPointer]] = defaultdict(list)
        for r in await rows(self.driver, self.db, q.ALIASES_OF_MODELS, model_ids=list(model_ids)):
            found[str(r["model_id"])].append(_pointer(r))
        return [found.get(model_id, []) for model_id in model_ids]

    async def models_in_project(self, project_id: str, after: str | None, limit: int) -> list[Model]:
        """A project's models by name, after the name `after`."""
        query = q.IN_PROJECT_BY_NAME["Model"]
        return await self._typed(Model.of, query, parent=project_id, after=after, limit=limit)

    async def experiments_in_project(self, project_id: str, after: str | None, limit: int) -> list[Experiment]:
        """A project's experiments by name, after the name `after`."""
        query = q.IN_PROJECT_BY_NAME["Experiment"]
        return await self._typed(Experiment.of, query, parent=project_id, after=after, limit=limit)

    async def count_models(self) -> int:
        return await total(self.driver, self.db, q.COUNT_MODELS)

    async def count_in_project(self, label: str, project_id: str) -> int:
        return await total(self.driver, self.db, q.COUNT_IN_PROJECT[label], parent=project_id)

    async def count_runs_of(self, experiment_id: str) -> int:
        return await total(self.driver, self.db, q.COUNT_RUNS_OF_EXPERIMENT, parent=experiment_id)

    async def runs_of(self, experiment_id: str, before: tuple[datetime, str] | None, limit: int) -> list[Run]:
        """An experiment's runs, newest first, before the (started_at, id) key `before`."""
        at, run_id = before or (None, None)
        query = q.RUNS_OF_EXPERIMENT
        return await self._typed(Run.of, query, parent=experiment_id, before_at=at, before_id=run_id, limit=limit)

    async def revisions(self, node_id: str, limit: int = 100) -> list[Revision]:
        return (await self.revisions_of([node_id], limit))[0]

    async def revisions_of(self, node_ids: Sequence[str], limit: int = 100) -> list[list[Revision]]:
        """Newest revisions of each node, in the order asked (one query for a whole page)."""
        found: dict[str, list[Revision]] = defaultdict(list)
        for r in await rows(self.driver, self.db, q.REVISIONS_OF_NODES, ids=list(node_ids), limit=limit):
            at = r["at"].to_native() if r["at"] else None
            found[str(r["target"])].append(Revision(r["revision"], at, r["actor"], json.loads(r["changes"] or "{}")))
        return [found.get(node_id, []) for node_id in node_ids]

    async def run_inputs(self, run_id: str) -> list[DatasetVersion | Feature]:
        return (await self.run_inputs_of([run_id]))[0]

    async def run_inputs_of(self, run_ids: Sequence[str]) -> list[list[DatasetVersion | Feature]]:
        """What each run used, in the order asked (one query for a whole page)."""
        found: dict[str, list[DatasetVersion | Feature]] = defaultdict(list)
        for r in await rows(self.driver, self.db, q.RUN_INPUTS_OF_RUNS, ids=list(run_ids)):
            used = DatasetVersion if r["label"] == "DatasetVersion" else Feature
            found[str(r["run_id"])].append(used.of(r["props"]))
        return [found.get(run_id, []) for run_id in run_ids]

    async def latest_version_of_dataset(self, dataset: str) -> DatasetVersion | None:
        return await self._first(DatasetVersion.of, q.LATEST_VERSION_OF_DATASET, name=dataset)

    async def dataset_version(self, dataset: str, number: int) -> DatasetVersion | None:
        ds = await self.dataset_by_name(dataset)
        if ds is None:
            return None
        query = q.DATASET_VERSION_BY_NUMBER
        return await self._first(DatasetVersion.of, query, dataset_id=ds.id, version=number)

    async def impacted_versions(
        self, dataset_version_id: str, after: str | None, first: int, count_cap: int
    ) -> tuple[list[ModelVersion], int]:
        """One page of affected versions (first + 1 rows, to tell whether more follow) and a count
        of all of them up to `count_cap` + 1, run concurrently."""
        page, counted = await asyncio.gather(
            self._typed(ModelVersion.of, q.IMPACTED_VERSIONS_PAGE, id=dataset_version_id, after=after, limit=first + 1),
            rows(self.driver, self.db, q.IMPACTED_VERSIONS_COUNT, id=dataset_version_id, cap=count_cap + 1),
        )
        return page, int(counted[0]["n"]) if counted else 0

    async def training_data(self, run_ids: list[str]) -> list[DatasetVersion]:
        """What these runs trained on, each dataset version once (one query however many runs)."""
        return await self._typed(DatasetVersion.of, q.TRAINING_DATA_OF_RUNS, ids=list(dict.fromkeys(run_ids)))


def _pointer(row: dict[str, object]) -> AliasPointer:
    def t(v: object) -> datetime | None:
        return v.to_native() if hasattr(v, "to_native") else None

    return AliasPointer(
        str(row["alias"]),
        int(str(row["version"])),
        str(row["version_id"]),
        t(row["since"]),
        t(row["until"]),
        _str(row.get("actor")),
    )


def _str(value: object) -> str | None:
    return None if value is None else str(value)
