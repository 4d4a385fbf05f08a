"""What the performance-history and deployment commands share (app/registry/evaluations.py,
deployments.py, health.py): the history reader and checks of timestamps and version numbers.

Every applied write of theirs emits its registry events through the outbox (app/events/catalog.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain import validation as v
from app.graph.history_reads import HistoryReader
from app.services import Services


def history(services: Services) -> HistoryReader:
    return services.repos.history


def when(field: str, value: Any, *, required: bool = False) -> datetime | None:
    """A timestamp from GraphQL (datetime) or JSON (ISO 8601 string): timezone-aware, not future."""
    if value is None:
        if required:
            raise v.fail(field, "is required")
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise v.fail(field, "must be an ISO 8601 timestamp with a timezone") from None
    if not isinstance(value, datetime):
        raise v.fail(field, "must be an ISO 8601 timestamp with a timezone")
    return v.utc(field, value)


def number(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise v.fail(field, "must be a positive whole number")
    return value
