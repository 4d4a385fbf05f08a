"""The long-lived clients a process owns, opened once and closed once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from neo4j import AsyncDriver

from app.artifacts.store import ArtifactStore
from app.cache import TtlCache
from app.config import Settings
from app.errors import DependencyUnavailable
from app.graph.core_reads import CoreReader
from app.graph.driver import open_driver, ping
from app.graph.history_reads import HistoryReader
from app.graph.principals import PrincipalStore
from app.graph.search_repo import SearchRepo, VocabReader
from app.graph.validation import ValidationRepo
from app.policy.client import PolicyClient


@dataclass(frozen=True)
class DependencyStatus:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Repositories:
    """Every repository, over the process's one driver and its database; built once, in Services."""

    core: CoreReader
    history: HistoryReader
    vocab: VocabReader
    search: SearchRepo
    validation: ValidationRepo
    principals: PrincipalStore

    @classmethod
    def over(cls, driver: AsyncDriver, database: str) -> Repositories:
        return cls(
            CoreReader(driver, database),
            HistoryReader(driver, database),
            VocabReader(driver, database),
            SearchRepo(driver, database),
            ValidationRepo(driver, database),
            PrincipalStore(driver, database),
        )


@dataclass
class Services:
    """Neo4j driver, OPA client and artifact store shared by all requests of a process."""

    settings: Settings
    driver: AsyncDriver
    policy: PolicyClient
    artifacts: ArtifactStore
    # Told about every policy decision (action, seconds, allow|deny|unavailable); /metrics sets it.
    observe_policy: Callable[[str, float, str], None] = field(default=lambda action, seconds, outcome: None)
    # API key hash -> (principal, key record), principal -> grants. See app/cache.py. Policy
    # decisions are never cached: every request asks OPA, so an unreachable OPA denies at once.
    principals: TtlCache[str, Any] = field(init=False)
    repos: Repositories = field(init=False)

    def __post_init__(self) -> None:
        self.principals = TtlCache(self.settings.principal_cache_seconds)
        self.repos = Repositories.over(self.driver, self.settings.neo4j_database)

    def forget_principals(self) -> None:
        """A key, principal or grant changed: nothing cached about who may do what stays valid."""
        self.principals.clear()

    @classmethod
    async def open(cls, settings: Settings) -> Services:
        settings.require_service_credentials()
        policy = PolicyClient(settings.opa_url, settings.opa_timeout_seconds, settings.opa_token.get_secret_value())
        await policy.open()
        return cls(settings, open_driver(settings), policy, ArtifactStore.from_settings(settings))

    async def close(self) -> None:
        await self.policy.close()
        await self.driver.close()

    async def check(self) -> list[DependencyStatus]:
        """Ask every dependency, concurrently, with a bound on how long we wait."""
        probes = {
            "neo4j": ping(self.driver, self.settings.neo4j_database),
            "opa": self.policy.ping(),
            "s3": self.artifacts.ping(),
        }
        results = await asyncio.gather(*(_within(5, p) for p in probes.values()), return_exceptions=True)
        statuses = []
        for name, result in zip(probes, results, strict=True):
            if isinstance(result, DependencyUnavailable):
                statuses.append(DependencyStatus(name, False, result.message))
            elif isinstance(result, BaseException):
                statuses.append(DependencyStatus(name, False, f"{name} unavailable: {type(result).__name__}"))
            else:
                statuses.append(DependencyStatus(name, True, "ok"))
        return statuses


async def _within(seconds: float, probe: Awaitable[None]) -> None:
    """`probe`, stopped after `seconds` (asyncio.timeout: wait_for can lose a cancellation on 3.11)."""
    async with asyncio.timeout(seconds):
        await probe
