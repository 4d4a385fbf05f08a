"""Per-request DataLoaders: related nodes are fetched in batches, never one query per row."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from app.domain.entities import AliasPointer, Entity
from app.graph.core_reads import CoreReader
from app.graphql.context import Info


def node_loader(info: Info) -> DataLoader[str, Entity | None]:
    loaders = info.context.loaders
    if "node" not in loaders:
        services = info.context.services
        reader = CoreReader(services.driver, services.settings.neo4j_database)

        async def load(ids: Sequence[str]) -> list[Entity | None]:
            return await reader.nodes(ids)

        loaders["node"] = DataLoader(load_fn=load)
    loader: DataLoader[str, Entity | None] = loaders["node"]
    return loader


def aliases_loader(info: Info) -> DataLoader[str, list[AliasPointer]]:
    """Current aliases by model id: one query for every model of a page."""
    loaders = info.context.loaders
    if "aliases" not in loaders:
        loaders["aliases"] = DataLoader(load_fn=core_reader(info).aliases_of_models)
    loader: DataLoader[str, list[AliasPointer]] = loaders["aliases"]
    return loader


def core_reader(info: Info) -> CoreReader:
    services = info.context.services
    return CoreReader(services.driver, services.settings.neo4j_database)
