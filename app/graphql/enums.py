"""The fixed sets the SDL exposes as enums, so clients switch on names rather than strings."""

from __future__ import annotations

from enum import Enum

import strawberry

from app.graph.lineage import LINEAGE_KINDS, LINEAGE_TYPES


@strawberry.enum(description="Where a run stands.")
class RunStatus(Enum):
    RUNNING = "RUNNING"
    FINISHED = "FINISHED"
    FAILED = "FAILED"
    KILLED = "KILLED"


@strawberry.enum(description="How a run ended.")
class RunEnd(Enum):
    FINISHED = "FINISHED"
    FAILED = "FAILED"
    KILLED = "KILLED"


@strawberry.enum(description="Whether a model version may still be used.")
class VersionState(Enum):
    READY = "READY"
    ARCHIVED = "ARCHIVED"


@strawberry.enum(description="What the owner wants of a deployment.")
class DesiredState(Enum):
    DEPLOYED = "DEPLOYED"
    RETIRED = "RETIRED"


@strawberry.enum(description="What was last observed of a deployment.")
class ObservedState(Enum):
    CREATING = "CREATING"
    IN_SERVICE = "IN_SERVICE"
    DEGRADED = "DEGRADED"
    ROLLED_BACK = "ROLLED_BACK"
    RETIRED = "RETIRED"


@strawberry.enum(description="Health derived from reported samples.")
class HealthStatus(Enum):
    HEALTHY = "HEALTHY"
    DEGRADED = "DEGRADED"
    UNHEALTHY = "UNHEALTHY"
    UNKNOWN = "UNKNOWN"


# Members come from the graph's whitelists: mypy cannot see a computed Enum's members.
LineageNodeKind = strawberry.enum(  # type: ignore[call-overload]
    Enum("LineageNodeKind", {k: k for k in sorted(LINEAGE_KINDS)}),
    description="A kind of node a lineage subgraph holds.",
)
LineageEdgeType = strawberry.enum(  # type: ignore[call-overload]
    Enum("LineageEdgeType", {t: t for t in LINEAGE_TYPES}),
    description="A provenance relationship a lineage subgraph follows.",
)
