"""`registryInfo`: what this registry is and whether its dependencies answer."""

from __future__ import annotations

import strawberry

from app import __version__
from app.graphql.context import Info


@strawberry.type(description="A dependency of the registry and whether it answered just now.")
class DependencyHealth:
    name: str = strawberry.field(description="neo4j, opa or s3.")
    ok: bool = strawberry.field(description="True when the dependency answered a real request.")
    detail: str = strawberry.field(description="'ok', or why it is not usable.")


@strawberry.type(description="Version and live dependency status of this registry.")
class RegistryStatus:
    version: str = strawberry.field(description="modelgraph version serving this request.")
    dependencies: list[DependencyHealth] = strawberry.field(description="Each dependency, checked now.")


@strawberry.type
class RegistryQuery:
    @strawberry.field(description="Registry version and the health of Neo4j, OPA and the object store.")
    async def registry_info(self, info: Info) -> RegistryStatus:
        statuses = await info.context.services.check()
        return RegistryStatus(
            version=__version__,
            dependencies=[DependencyHealth(name=s.name, ok=s.ok, detail=s.detail) for s in statuses],
        )
