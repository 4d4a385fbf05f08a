"""Ask the OPA server for decisions; unreachable, slow or undefined means deny."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlsplit

from opa_client import AsyncOpaClient

from app.errors import DependencyUnavailable
from app.policy.decision import Decision

log = logging.getLogger(__name__)

DECISION_PACKAGE = "modelgraph.authz"
DECISION_RULE = "decision"
BATCH_RULE = "decisions"


class PolicyClient:
    """One AsyncOpaClient per process, opened by the app lifespan."""

    def __init__(self, url: str, timeout: float, token: str = "") -> None:
        parts = urlsplit(url)
        self._client = AsyncOpaClient(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or (443 if parts.scheme == "https" else 80),
            ssl=parts.scheme == "https",
            retries=0,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}"} if token else None,
        )
        self._timeout = timeout
        self._opened = False

    async def open(self) -> None:
        await self._client._init_session()
        self._opened = True

    async def close(self) -> None:
        if self._opened:
            await self._client.close_connection()
            self._opened = False

    async def decide(self, policy_input: dict[str, Any]) -> Decision:
        """The decision for one input; raises DependencyUnavailable when OPA cannot answer."""
        return Decision.from_opa(await self._decision_rule(DECISION_RULE, policy_input))

    async def decide_many(self, questions: dict[str, dict[str, Any]]) -> dict[str, Decision]:
        """Several inputs' decisions in one call (each as `decide` would give it); raises
        DependencyUnavailable when OPA cannot answer. A question without an answer is a denial."""
        body = await self._decision_rule(BATCH_RULE, {"questions": questions})
        answers = body.get("result") if isinstance(body, dict) else None
        found = answers if isinstance(answers, dict) else {}
        return {name: Decision.from_opa({"result": found[name]} if name in found else None) for name in questions}

    async def _decision_rule(self, rule: str, policy_input: dict[str, Any]) -> Any:
        """OPA's answer body for a rule of the decision package; every failure mode is a denial."""
        try:
            async with asyncio.timeout(self._timeout):
                return await self._client.query_rule(
                    input_data=policy_input, package_path=DECISION_PACKAGE, rule_name=rule
                )
        except Exception as exc:
            log.warning("policy engine unavailable: %s", type(exc).__name__)
            raise DependencyUnavailable(
                "policy engine unavailable; the request was denied and nothing was written"
            ) from None

    async def query(self, package: str, rule: str, policy_input: dict[str, Any]) -> Any:
        """Any other rule's value (None when undefined); raises DependencyUnavailable when OPA cannot answer."""
        try:
            async with asyncio.timeout(self._timeout):
                body = await self._client.query_rule(input_data=policy_input, package_path=package, rule_name=rule)
        except Exception as exc:
            log.warning("policy engine unavailable: %s", type(exc).__name__)
            raise DependencyUnavailable("policy engine unavailable") from None
        return body.get("result") if isinstance(body, dict) else None

    async def ping(self) -> None:
        """Raise DependencyUnavailable unless OPA's /health answers."""
        try:
            async with asyncio.timeout(self._timeout):
                healthy = await self._client.check_health()
        except Exception as exc:
            raise DependencyUnavailable(f"opa unavailable: {type(exc).__name__}") from None
        if not healthy:
            raise DependencyUnavailable("opa unavailable: /health did not answer 200")
