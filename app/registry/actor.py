"""Who is asking, as established by authentication (never by the request body)."""

from __future__ import annotations

from dataclasses import dataclass, field


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

    def audit_details(self) -> dict[str, object]:
        """What every audit event of this request carries besides its own details."""
        return {"correlation_id": self.correlation_id} if self.correlation_id else {}
