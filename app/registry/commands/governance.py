"""Commands of principals, API keys and grants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.registry.commands.base import Command


@dataclass(frozen=True, kw_only=True)
class CreatePrincipal(Command):
    command_name = "create_principal"
    name: str
    kind: str | None = None
    roles: tuple[str, ...] | None = None
    teams: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class IssueApiKey(Command):
    command_name = "issue_api_key"
    principal: str
    # Only the hash of the key reaches the command (and so the audit trail and any review).
    key_hash: str
    label: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class RevokeApiKey(Command):
    command_name = "revoke_api_key"
    id: str


@dataclass(frozen=True, kw_only=True)
class CreateGrant(Command):
    command_name = "create_grant"
    principal: str
    action: str
    resource_id: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class RevokeGrant(Command):
    command_name = "revoke_grant"
    id: str | None = None
    reason: str | None = None
