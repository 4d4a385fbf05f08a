"""Ask a running registry what policy would decide, so CI pipelines can gate on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from app.errors import DependencyUnavailable, NotFound, RegistryError, Unauthenticated, ValidationFailed

QUERY = """
query($input: PolicyCheckInput!) {
  policyCheck(input: $input) { allow requiresReview reasons }
}
"""

# Exit codes: pipelines gate on 0; 1 denied, 3 allowed only after review. Errors (unreachable, not a
# registry, bad token, bad input) are 2 and a missing model or version 4: never "denied".
EXIT_ALLOWED, EXIT_DENIED, EXIT_ERROR, EXIT_REVIEW, EXIT_NOT_FOUND = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class CheckRequest:
    action: str
    model: str
    version: int | None = None
    alias: str | None = None
    licence: str | None = None
    run_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class CheckResult:
    allow: bool
    requires_review: bool
    reasons: list[str]

    @property
    def exit_code(self) -> int:
        if not self.allow:
            return EXIT_DENIED
        return EXIT_REVIEW if self.requires_review else EXIT_ALLOWED

    @property
    def verdict(self) -> str:
        return {EXIT_ALLOWED: "allowed", EXIT_DENIED: "denied", EXIT_REVIEW: "allowed after review"}[self.exit_code]


def command_for(req: CheckRequest) -> tuple[str, dict[str, Any]]:
    """Map a CLI action onto the registry command it would run."""

    def need(value: Any, flag: str) -> Any:
        if value is None:
            raise ValidationFailed(f"{flag} is required for --action {req.action}", field=flag)
        return value

    if req.action == "promote":
        return "move_alias", {
            "model": req.model,
            "alias": need(req.alias, "--alias"),
            "version": need(req.version, "--version"),
        }
    if req.action == "retire":
        return "archive_version", {
            "model": req.model,
            "version": need(req.version, "--version"),
            "reason": req.reason or "policy check",
        }
    if req.action == "publish" and req.run_id:
        return "register_model_version", {
            "model": req.model,
            "run_id": req.run_id,
            "artifact": {"uri": "policy-check", "digest": "sha256:" + "0" * 64},
        }
    if req.action == "publish":
        return "create_model", {"name": req.model, "licence": req.licence}
    raise ValidationFailed(f"--action must be promote, retire or publish (got {req.action!r})", field="--action")


def check(url: str, token: str, req: CheckRequest, timeout: float = 10.0) -> CheckResult:
    command, payload = command_for(req)
    if not token:
        raise Unauthenticated("a token is required: pass --token or set MODELGRAPH_TOKEN")
    try:
        response = httpx.post(
            f"{url.rstrip('/')}/graphql",
            timeout=timeout,
            json={"query": QUERY, "variables": {"input": {"command": command, "payload": payload}}},
            headers={"Authorization": f"Bearer {token}"},
        )
    except httpx.HTTPError as exc:
        raise DependencyUnavailable(f"registry at {url} unreachable: {type(exc).__name__}") from None
    body = _json(response)
    if response.status_code == 401:
        raise Unauthenticated(f"registry at {url} refused the token (HTTP 401)")
    if not isinstance(body, dict) or ("data" not in body and "errors" not in body):
        raise RegistryError(
            f"{url}/graphql did not answer as a modelgraph registry (HTTP {response.status_code}): check --url"
        )
    errors = body.get("errors") or []
    if errors:
        code = (errors[0].get("extensions") or {}).get("code")
        message = str(errors[0].get("message"))
        if code == NotFound.code:
            raise NotFound(f"not found: {message}")
        if code == DependencyUnavailable.code or response.status_code == 503:
            raise DependencyUnavailable(f"registry at {url} could not decide: {message}")
        raise ValidationFailed(f"registry answered: {message}")
    data = (body.get("data") or {}).get("policyCheck")
    if not isinstance(data, dict):
        raise RegistryError(f"{url}/graphql answered without a decision: check --url")
    return CheckResult(allow=data["allow"], requires_review=data["requiresReview"], reasons=list(data["reasons"]))


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
