"""Continuous validation: what was registered is still true. Each cycle walks the next batch of
model versions and dataset versions (a cursor, so a large registry is covered incrementally) and
checks that

- an artifact stored by the registry still exists, and its bytes still decrypt and match the digest
  (bytes are read within a per-cycle budget: the rate limit for large stores);
- a dataset version's source is still there, where a cheap check exists and an operator allowed it
  (an S3 bucket of the registry's store, a file under an allowed root, an HTTP(S) host on the
  allow-list, asked with HEAD and no redirect followed);
- the metadata policy requires is present (policies/modelgraph/validation: e.g. a production
  version needs an intended use and an evaluation on data its training run did not use).

A problem opens a finding on what it is about (visible on the version, in versionStatus, in audit);
a later cycle that finds it fixed resolves it, and both stay as history. Findings are only opened
or resolved for checks that really ran: an unreachable store or policy engine changes nothing.
In the service the validator runs every MODELGRAPH_VALIDATE_EVERY_SECONDS under a lease, so one
replica runs it at a time; `modelgraph validate` runs it on demand."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx

from app.artifacts import STORED_URI
from app.errors import DependencyUnavailable, IntegrityError, NotFound
from app.graph.validation import DatasetFacts, Finding, Subject, VersionFacts
from app.registry.escalation import escalate_reviews
from app.services import Services

log = logging.getLogger(__name__)

ARTIFACT_CHECKS = frozenset({"artifact_missing", "artifact_corrupt"})
SOURCE_CHECKS = frozenset({"source_unreachable"})
LEASE = "validator"
VALIDATION_PACKAGE = "modelgraph.validation"


@dataclass
class CycleReport:
    versions: int = 0
    datasets: int = 0
    bytes_verified: int = 0
    opened: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # checks that could not run, and why
    wrapped: bool = False  # this cycle reached the end: the next one starts again from the beginning

    def summary(self) -> dict[str, Any]:
        return {
            "versions": self.versions,
            "datasets": self.datasets,
            "bytes_verified": self.bytes_verified,
            "opened": [{"subject": f.subject_id, "check": f.check, "detail": f.detail} for f in self.opened],
            "resolved": [{"subject": f.subject_id, "check": f.check} for f in self.resolved],
            "skipped": self.skipped,
            "complete_pass": self.wrapped,
        }


@dataclass(frozen=True)
class Checked:
    """The checks that ran for one subject, and the problems they found (check -> detail)."""

    ran: frozenset[str]
    problems: dict[str, str]


class Validator:
    def __init__(self, services: Services, *, batch: int | None = None, byte_budget: int | None = None) -> None:
        settings = services.settings
        self.services = services
        self.repo = services.repos.validation
        self.batch = batch or settings.validate_batch
        self.byte_budget = byte_budget if byte_budget is not None else settings.validate_bytes_per_cycle

    async def cycle(self) -> CycleReport:
        report = CycleReport()
        budget = [self.byte_budget]
        versions_after = await self.repo.cursor("versions")
        versions = await self.repo.versions_after(versions_after, self.batch)
        report.versions = len(versions)
        open_ = _by_subject(await self.repo.open_findings([v.id for v in versions]))
        for v in versions:
            checked = await self._check_version(v, budget, report)
            await self._reconcile(Subject.version(v), checked, open_.get(v.id, []), report)

        datasets_after = await self.repo.cursor("datasets")
        datasets = await self.repo.datasets_after(datasets_after, self.batch)
        report.datasets = len(datasets)
        open_ = _by_subject(await self.repo.open_findings([d.id for d in datasets]))
        for d in datasets:
            checked = await self._check_source(d, report)
            await self._reconcile(Subject.dataset(d), checked, open_.get(d.id, []), report)

        # A short batch is the end of the list: the next cycle starts from the beginning again.
        await self.repo.set_cursor("versions", versions[-1].id if len(versions) == self.batch else "")
        await self.repo.set_cursor("datasets", datasets[-1].id if len(datasets) == self.batch else "")
        report.wrapped = len(versions) < self.batch and len(datasets) < self.batch
        return report

    async def full_pass(self) -> CycleReport:
        """Cycles until every version and dataset version was visited once (for `modelgraph validate`)."""
        total = CycleReport()
        await self.repo.set_cursor("versions", "")
        await self.repo.set_cursor("datasets", "")
        while True:
            one = await self.cycle()
            total.versions += one.versions
            total.datasets += one.datasets
            total.bytes_verified += one.bytes_verified
            total.opened += one.opened
            total.resolved += one.resolved
            total.skipped += one.skipped
            if one.wrapped:
                total.wrapped = True
                return total

    # -- checks ------------------------------------------------------------------------------
    async def _check_version(self, v: VersionFacts, budget: list[int], report: CycleReport) -> Checked:
        ran: set[str] = set()
        problems: dict[str, str] = {}
        if v.artifact_uri.startswith(STORED_URI) and v.artifact_digest:
            try:
                problems.update(await self._artifact(v, budget, report))
                ran |= ARTIFACT_CHECKS
            except DependencyUnavailable as exc:
                report.skipped.append(f"{v.id}: artifact not checked ({exc.message})")
        try:
            violations = await self.services.policy.query(VALIDATION_PACKAGE, "violations", v.policy_input())
        except DependencyUnavailable as exc:
            report.skipped.append(f"{v.id}: metadata not checked ({exc.message})")
        else:
            ran.add("*policy*")
            for violation in violations or []:
                problems[str(violation["check"])] = str(violation["message"])
        return Checked(frozenset(ran), problems)

    async def _artifact(self, v: VersionFacts, budget: list[int], report: CycleReport) -> dict[str, str]:
        store = self.services.artifacts
        if not await store.exists(v.artifact_digest):
            return {"artifact_missing": f"no object for {v.artifact_digest} in the artifact store"}
        size = int(v.artifact_size or 0)
        if size > budget[0]:
            return {}  # exists; its bytes wait for a cycle with budget left
        try:
            _, pieces = await store.open(v.artifact_digest)
            async for _ in pieces:  # every chunk is authenticated as it streams; nothing is kept
                pass
        except IntegrityError as exc:
            return {"artifact_corrupt": exc.message}
        except NotFound:
            return {"artifact_missing": f"no object for {v.artifact_digest} in the artifact store"}
        budget[0] -= size
        report.bytes_verified += size
        return {}

    async def _check_source(self, d: DatasetFacts, report: CycleReport) -> Checked:
        settings = self.services.settings
        parts = urlsplit(d.source_uri)
        try:
            if parts.scheme == "s3" and parts.netloc in settings.validate_source_buckets:
                found = await self.services.artifacts.object_exists(parts.netloc, parts.path.lstrip("/"))
                detail = None if found else f"no object {d.source_uri}"
            elif parts.scheme == "file" and _under(Path(parts.path), settings.validate_file_roots):
                found = await anyio.to_thread.run_sync(Path(parts.path).exists)
                detail = None if found else f"no file {parts.path}"
            elif parts.scheme in ("http", "https") and parts.hostname in settings.validate_http_hosts:
                detail = await _head(d.source_uri, settings.validate_http_timeout_seconds)
            else:
                return Checked(frozenset(), {})  # no cheap check allowed for this source
        except DependencyUnavailable as exc:
            report.skipped.append(f"{d.id}: source not checked ({exc.message})")
            return Checked(frozenset(), {})
        return Checked(SOURCE_CHECKS, {"source_unreachable": detail} if detail else {})

    # -- findings ----------------------------------------------------------------------------
    async def _reconcile(self, subject: Subject, checked: Checked, open_: list[Finding], report: CycleReport) -> None:
        by_check = {f.check: f for f in open_}
        for check, detail in checked.problems.items():
            if check in by_check:
                await self.repo.seen_again(by_check[check], detail)
            else:
                try:
                    report.opened.append(await self.repo.open(subject, check, detail))
                except LookupError:
                    return  # deleted meanwhile
        for check, finding in by_check.items():
            if check not in checked.problems and _ran(check, checked.ran):
                report.resolved.append(await self.repo.resolve(finding, subject))


def _ran(check: str, ran: frozenset[str]) -> bool:
    if check in ARTIFACT_CHECKS or check in SOURCE_CHECKS:
        return check in ran
    return "*policy*" in ran  # any other check comes from the policy, which answered


def _by_subject(findings: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.subject_id, []).append(f)
    return out


def _under(path: Path, roots: list[str]) -> bool:
    resolved = Path(os.path.normpath(path))
    return any(resolved.is_relative_to(Path(root)) for root in roots if root)


async def _head(url: str, seconds: float) -> str | None:
    """None when the source answers; else what went wrong. Redirects are not followed: a 3xx
    answers for the source, wherever it points."""
    try:
        async with httpx.AsyncClient(follow_redirects=False, timeout=seconds) as client:
            response = await client.head(url)
    except httpx.HTTPError as exc:
        return f"{url} did not answer: {type(exc).__name__}"
    if response.status_code >= 400:
        return f"{url} answered {response.status_code}"
    return None


async def run_periodically(
    services: Services, holder: str, every: float, observe: Callable[[dict[str, int] | None], None]
) -> None:
    """The service's loop: one cycle every `every` seconds while this replica holds the lease."""
    validator = Validator(services)
    ttl = timedelta(seconds=max(every * 3, 60))
    while True:
        await asyncio.sleep(every)  # not at start-up: a restart loop must not become a validation loop
        try:
            if await validator.repo.acquire_lease(LEASE, holder, ttl):
                report = await validator.cycle()
                observe(await validator.repo.open_counts())
                escalated = await escalate_reviews(services)
                if escalated.escalated or escalated.expired:
                    log.info("reviews escalated %s, expired %s", escalated.escalated, escalated.expired)
                if report.opened or report.resolved or report.skipped:
                    log.info("validation cycle: %s", report.summary())
        except DependencyUnavailable as exc:
            observe(None)
            log.warning("validation cycle skipped: %s", exc.message)
        except Exception:
            observe(None)
            log.exception("validation cycle failed")
