"""The registry's Python client: `ModelGraph` (sync) and `AsyncModelGraph` (asyncio), typed exceptions,
and the generated typed GraphQL clients (`api_sync.Graph`, `api_async.Graph`) they are built on.

Usable alone: it imports nothing of the server (`app`), only httpx and pydantic.
"""

from modelgraph.client.aio import AsyncModelGraph
from modelgraph.client.errors import (
    Conflict,
    IntegrityError,
    ModelGraphError,
    NotFound,
    PermissionDenied,
    ReviewRequired,
    Unauthenticated,
    Unavailable,
    ValidationFailed,
)
from modelgraph.client.sync import ActiveRun, ModelGraph
from modelgraph.client.transport import RetryPolicy

__all__ = [
    "ActiveRun",
    "AsyncModelGraph",
    "Conflict",
    "IntegrityError",
    "ModelGraph",
    "ModelGraphError",
    "NotFound",
    "PermissionDenied",
    "RetryPolicy",
    "ReviewRequired",
    "Unauthenticated",
    "Unavailable",
    "ValidationFailed",
]
