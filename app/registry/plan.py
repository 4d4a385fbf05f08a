"""What a command will do (a Plan the policy judges) and what running it produced (an Outcome)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain.streams import stream_for
from app.graph.unit import Work
from app.policy.decision import Decision


@dataclass
class Plan:
    """What a command will do and what the policy needs to judge it."""

    action: str  # publish | modify | retire | promote | ...
    resource: dict[str, Any]
    work: Work
    context: dict[str, Any] = field(default_factory=dict)
    # The state of the target the decision was taken against ("alias production points to version 3").
    # A review stores it; approving re-plans the command and refuses when the target has moved since.
    state: str | None = None
    # The audit stream (see app/domain/streams.py); None derives it from the resource.
    stream: str | None = None
    # Nodes the change is about besides the policy resource (e.g. the version an alias moves to);
    # the audit event lists them in details.subjects, so the trail of each of them shows it.
    subjects: tuple[str, ...] = ()
    # The node the work creates is a subject too (e.g. a newly registered version).
    result_is_subject: bool = False

    def audit_stream(self) -> str | None:
        """None when the write creates the aggregate whose stream it starts."""
        stream = stream_for(self.resource) if self.stream is None else self.stream
        return stream or None


@dataclass(frozen=True)
class Outcome:
    result: dict[str, Any] | None = None
    replayed: bool = False
    review: dict[str, Any] | None = None
    decision: Decision | None = None
    subjects: tuple[str, ...] = ()
