"""Who is asking, as established by authentication (never by the request body)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the check asks policy; meta only carries it to the decision
    from app.registry.decisions import ReadCheck


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str = "user"  # user | service
    roles: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()

    def policy_view(self) -> dict[str, object]:
        return {
            "id": self.name,
            "kind": self.kind,
            "roles": list(self.roles),
            "teams": list(self.teams),
        }


@dataclass(frozen=True)
class RequestMeta:
    """Per-request facts every write carries into policy input and the audit event."""

    actor: Actor
    request_id: str
    idempotency_key: str | None = None
    purpose: str | None = None
    grants: list[dict[str, object]] = field(default_factory=list)
    # A client's own X-Request-Id, validated; audit events keep it beside the server's request_id.
    correlation_id: str | None = None
    # Set when the change is an approved review being applied: who approved it.
    approved_by: str | None = None
    # A GraphQL request's read permission, asked with its first command decision (app/registry/decisions.py).
    read_check: ReadCheck | None = field(default=None, compare=False, repr=False)

    def audit_details(self) -> dict[str, object]:
        """What every audit event of this request carries besides its own details."""
        return {"correlation_id": self.correlation_id} if self.correlation_id else {}
