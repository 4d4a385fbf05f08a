"""Per-request DataLoaders: related nodes are fetched in batches, never one query per row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from app.domain.entities import AliasPointer, Revision
from app.graph import records as rec
from app.graph.core_reads import CoreReader
from app.graph.dataset_records import DatasetVersion, Feature
from app.graph.model_records import ModelVersion
from app.graph.run_records import Run
from app.graph.validation import Finding
from app.graphql.context import Info

V = TypeVar("V")


def node_loader(info: Info) -> DataLoader[str, rec.Record | None]:
    """Nodes by id, as typed records (None for a kind the API shows no type for)."""
    loaders = info.context.loaders
    if "node" not in loaders:
        services = info.context.services
        reader = services.repos.core

        async def load(ids: Sequence[str]) -> list[rec.Record | None]:
            return await reader.nodes(ids)

        loaders["node"] = DataLoader(load_fn=load)
    loader: DataLoader[str, rec.Record | None] = loaders["node"]
    return loader


def _per_request(info: Info, name: str, load: Callable[[Sequence[str]], Awaitable[list[V]]]) -> DataLoader[str, V]:
    loaders = info.context.loaders
    if name not in loaders:
        loaders[name] = DataLoader(load_fn=load)
    loader: DataLoader[str, V] = loaders[name]
    return loader


def aliases_loader(info: Info) -> DataLoader[str, list[AliasPointer]]:
    """Current aliases by model id: one query for every model of a page."""
    return _per_request(info, "aliases", core_reader(info).aliases_of_models)


def run_inputs_loader(info: Info) -> DataLoader[str, list[DatasetVersion | Feature]]:
    """What each run used, by run id: one query for every run of a page."""
    return _per_request(info, "run_inputs", core_reader(info).run_inputs_of)


def run_outputs_loader(info: Info) -> DataLoader[str, list[DatasetVersion]]:
    """What each run produced, by run id: one query for every run of a page."""
    return _per_request(info, "run_outputs", core_reader(info).run_outputs_of)


def producer_loader(info: Info) -> DataLoader[str, Run | None]:
    """The run that produced each dataset version: one query for every version of a page."""
    return _per_request(info, "producers", core_reader(info).producers_of)


def artifact_files_loader(info: Info) -> DataLoader[str, list[dict[str, Any]]]:
    """The files of each version's directory artifact: one query for every version of a page."""
    return _per_request(info, "artifact_files", core_reader(info).files_of)


def revisions_loader(info: Info) -> DataLoader[str, list[Revision]]:
    """Metadata revisions by node id: one query for every node of a page."""
    return _per_request(info, "revisions", core_reader(info).revisions_of)


def versions_loader(info: Info, before: int | None, limit: int) -> DataLoader[str, list[ModelVersion]]:
    """A page of versions by model id, for one (cursor, size): a page of models asking for their
    versions with the same arguments costs one query, not one per model."""
    reader = core_reader(info)

    async def load(model_ids: Sequence[str]) -> list[list[ModelVersion]]:
        return await reader.versions_of_models(model_ids, before, limit)

    return _per_request(info, f"versions:{before}:{limit}", load)


def findings_loader(info: Info, include_resolved: bool) -> DataLoader[str, list[Finding]]:
    """Validation findings by subject id (open ones, or all): one query for a page."""
    services = info.context.services
    repo = services.repos.validation

    async def load(ids: Sequence[str]) -> list[list[Finding]]:
        return await repo.findings_of(ids, include_resolved)

    return _per_request(info, f"findings:{include_resolved}", load)


def core_reader(info: Info) -> CoreReader:
    return info.context.services.repos.core
