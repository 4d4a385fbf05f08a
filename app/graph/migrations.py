"""Apply graph_schema/V####__name.cypher files in order, once each, and record them in the graph."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import LiteralString, Protocol, cast

from app.errors import ConfigurationError, ValidationFailed

FILE_PATTERN = re.compile(r"V(\d{4})__([a-z0-9_]+)\.cypher")

APPLIED_MIGRATIONS: LiteralString = "MATCH (m:SchemaMigration) RETURN m.version AS version, m.checksum AS checksum"
RECORD_MIGRATION: LiteralString = """
MERGE (m:SchemaMigration {version: $version})
SET m.name = $name, m.checksum = $checksum, m.applied_at = $applied_at
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path
    statements: tuple[str, ...]
    checksum: str


class CypherRunner(Protocol):
    """What the runner needs from the database; the real one wraps the async driver."""

    async def fetch(self, query: LiteralString, **params: object) -> list[dict[str, object]]: ...

    async def run(self, statement: str) -> None: ...


def split_statements(text: str) -> tuple[str, ...]:
    """Statements end with `;` at the end of a line; `//` comment lines are dropped."""
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))
    # A statement ends at `;` at the end of a line, optionally followed by a `//` comment.
    return tuple(part.strip() for part in re.split(r";[ \t]*(?://[^\n]*)?(?:\n|$)", body) if part.strip())


def discover(folder: Path) -> list[Migration]:
    """Read and validate the migration files, ordered by version."""
    if not folder.is_dir():
        raise ConfigurationError(f"migrations folder {folder} not found: run from the repository root")
    found: dict[int, Migration] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix != ".cypher":
            continue
        match = FILE_PATTERN.fullmatch(path.name)
        if not match:
            raise ValidationFailed(f"{path.name}: migration files are named V0001__lower_snake.cypher")
        version = int(match.group(1))
        if version in found:
            raise ValidationFailed(f"{path.name}: version {version} is used twice")
        text = path.read_text(encoding="utf-8")
        statements = split_statements(text)
        if not statements:
            raise ValidationFailed(f"{path.name}: no statements")
        checksum = hashlib.sha256(text.encode()).hexdigest()
        found[version] = Migration(version, match.group(2), path, statements, checksum)
    return [found[v] for v in sorted(found)]


async def migrate(runner: CypherRunner, folder: Path) -> list[Migration]:
    """Apply pending migrations; refuse when an applied file was edited afterwards."""
    migrations = discover(folder)
    applied = {int(str(row["version"])): str(row["checksum"]) for row in await runner.fetch(APPLIED_MIGRATIONS)}
    done: list[Migration] = []
    for mig in migrations:
        if mig.version in applied:
            if applied[mig.version] != mig.checksum:
                raise ValidationFailed(f"{mig.path.name} was changed after it was applied; add a new migration instead")
            continue
        for index, statement in enumerate(mig.statements, start=1):
            try:
                await runner.run(statement)
            except Exception as exc:
                raise ValidationFailed(
                    f"{mig.path.name}: statement {index} failed: {getattr(exc, 'message', exc)}"
                ) from exc
        await runner.fetch(
            RECORD_MIGRATION,
            version=mig.version,
            name=mig.name,
            checksum=mig.checksum,
            applied_at=datetime.now(UTC),
        )
        done.append(mig)
    return done


class DriverRunner:
    """CypherRunner over the async driver: each schema statement in its own transaction."""

    def __init__(self, driver: object, database: str) -> None:
        from neo4j import AsyncDriver

        from app.graph.breaker import GuardedDriver

        assert isinstance(driver, AsyncDriver | GuardedDriver)
        self.driver = cast(AsyncDriver, driver)
        self.database = database

    async def fetch(self, query: LiteralString, **params: object) -> list[dict[str, object]]:
        records, _, _ = await self.driver.execute_query(query, params, database_=self.database)
        return [record.data() for record in records]

    async def run(self, statement: str) -> None:
        async with self.driver.session(database=self.database) as session:
            # Migration files are trusted repository content, not request input.
            result = await session.run(statement)
            await result.consume()
