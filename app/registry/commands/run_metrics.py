"""The command that appends per-step metric points to a running run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.registry.commands.base import Command, Record


@dataclass(frozen=True, kw_only=True)
class MetricPointIn(Record):
    name: str
    value: float
    step: int | None = None
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class LogRunMetrics(Command):
    command_name = "log_run_metrics"
    run_id: str
    points: tuple[MetricPointIn, ...] | None = None
