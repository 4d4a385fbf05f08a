"""The migrations runner: file discovery, statement splitting, and applying once, in order."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import LiteralString

import pytest

from app.errors import ConfigurationError, ValidationFailed
from app.graph.migrations import (
    APPLIED_MIGRATIONS,
    RECORD_MIGRATION,
    discover,
    migrate,
    split_statements,
)
from app.graph.search_queries import METRIC_SCORES_OF_V


class StatementFailed(Exception):
    """Looks like a neo4j error: carries a `.message`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FakeRunner:
    """A CypherRunner that keeps SchemaMigration records in a dict and logs every statement."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.records: dict[int, dict[str, object]] = {}
        self.statements: list[str] = []
        self.fail_on = fail_on

    async def fetch(self, query: LiteralString, **params: object) -> list[dict[str, object]]:
        if query == APPLIED_MIGRATIONS:
            return [{"version": v, "checksum": r["checksum"]} for v, r in self.records.items()]
        if query == RECORD_MIGRATION:
            version = params["version"]
            assert isinstance(version, int)
            self.records[version] = dict(params)
            return []
        raise AssertionError(f"unexpected query: {query}")

    async def run(self, statement: str) -> None:
        if self.fail_on is not None and self.fail_on in statement:
            raise StatementFailed(f"Invalid input near {self.fail_on!r}")
        self.statements.append(statement)


V1 = "// people\nCREATE CONSTRAINT person_id IF NOT EXISTS\nFOR (p:Person) REQUIRE p.id IS UNIQUE;\n"
V2 = (
    "CREATE INDEX person_name IF NOT EXISTS\n  FOR (p:Person) ON (p.name);\n"
    "\n// second statement\n"
    "CREATE INDEX person_age IF NOT EXISTS FOR (p:Person) ON (p.age);\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "graph_schema"
    d.mkdir()
    return d


# -- split_statements -----------------------------------------------------------------------


def test_split_drops_comment_lines_and_keeps_multiline_statements() -> None:
    text = (
        "// header comment\n"
        "CREATE CONSTRAINT a IF NOT EXISTS\n"
        "FOR (n:A) REQUIRE n.id IS UNIQUE;\n"
        "\n"
        "   // indented comment\n"
        "CREATE INDEX b IF NOT EXISTS\n"
        "FOR (n:B)\n"
        "ON (n.name);   \n"
        "RETURN 'a;b' AS kept_together\n"
    )

    assert split_statements(text) == (
        "CREATE CONSTRAINT a IF NOT EXISTS\nFOR (n:A) REQUIRE n.id IS UNIQUE",
        "CREATE INDEX b IF NOT EXISTS\nFOR (n:B)\nON (n.name)",
        "RETURN 'a;b' AS kept_together",
    )


def test_split_ends_a_statement_before_a_trailing_comment() -> None:
    text = (
        "CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x); // first\nCREATE INDEX b IF NOT EXISTS FOR (n:B) ON (n.y);\n"
    )
    assert split_statements(text) == (
        "CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)",
        "CREATE INDEX b IF NOT EXISTS FOR (n:B) ON (n.y)",
    )


def test_split_of_only_comments_and_blank_lines_is_empty() -> None:
    assert split_statements("// nothing here\n\n   \n// still nothing;\n") == ()


# -- discover ---------------------------------------------------------------------------------


def test_discover_orders_by_version_not_by_creation_order(folder: Path) -> None:
    # Created newest-first, with mtimes that would sort the other way round.
    for i, name in enumerate(["V0010__ten.cypher", "V0002__two.cypher", "V0001__one.cypher"]):
        path = write(folder, name, f"RETURN {name[1:5]};\n")
        stamp = time.time() - 100 * (3 - i)
        os.utime(path, (stamp, stamp))
    write(folder, "README.md", "not a migration")

    found = discover(folder)

    assert [(m.version, m.name) for m in found] == [(1, "one"), (2, "two"), (10, "ten")]
    assert found[0].statements == ("RETURN 0001",)
    assert found[0].path == folder / "V0001__one.cypher"
    assert found[0].checksum == hashlib.sha256(b"RETURN 0001;\n").hexdigest()


@pytest.mark.parametrize("name", ["V1__short.cypher", "V0001__Upper.cypher", "V0001-dash.cypher", "0001__no_v.cypher"])
def test_discover_refuses_badly_named_files(folder: Path, name: str) -> None:
    write(folder, name, "RETURN 1;\n")

    with pytest.raises(ValidationFailed) as info:
        discover(folder)

    assert info.value.code == "VALIDATION_FAILED"
    assert info.value.message == f"{name}: migration files are named V0001__lower_snake.cypher"


def test_discover_refuses_a_duplicate_version(folder: Path) -> None:
    write(folder, "V0003__a.cypher", "RETURN 1;\n")
    write(folder, "V0003__b.cypher", "RETURN 2;\n")

    with pytest.raises(ValidationFailed) as info:
        discover(folder)

    assert info.value.message == "V0003__b.cypher: version 3 is used twice"


@pytest.mark.parametrize("text", ["", "// only a comment\n\n"], ids=["empty", "comments-only"])
def test_discover_refuses_a_file_without_statements(folder: Path, text: str) -> None:
    write(folder, "V0001__empty.cypher", text)

    with pytest.raises(ValidationFailed) as info:
        discover(folder)

    assert info.value.message == "V0001__empty.cypher: no statements"


def test_discover_explains_a_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nope"

    with pytest.raises(ConfigurationError) as info:
        discover(missing)

    assert info.value.code == "CONFIGURATION_ERROR"
    assert info.value.message == (f"migrations folder {missing} not found: run from the repository root")


# -- migrate ----------------------------------------------------------------------------------


async def test_migrate_applies_pending_in_order_and_records_them(folder: Path) -> None:
    write(folder, "V0002__indexes.cypher", V2)
    write(folder, "V0001__constraints.cypher", V1)
    runner = FakeRunner()
    before = datetime.now(UTC)

    done = await migrate(runner, folder)

    assert [m.version for m in done] == [1, 2]
    assert runner.statements == [
        "CREATE CONSTRAINT person_id IF NOT EXISTS\nFOR (p:Person) REQUIRE p.id IS UNIQUE",
        "CREATE INDEX person_name IF NOT EXISTS\n  FOR (p:Person) ON (p.name)",
        "CREATE INDEX person_age IF NOT EXISTS FOR (p:Person) ON (p.age)",
    ]
    assert sorted(runner.records) == [1, 2]
    assert runner.records[1]["name"] == "constraints"
    assert runner.records[1]["checksum"] == hashlib.sha256(V1.encode()).hexdigest()
    assert runner.records[2]["checksum"] == hashlib.sha256(V2.encode()).hexdigest()
    applied_at = runner.records[2]["applied_at"]
    assert isinstance(applied_at, datetime)
    assert applied_at.tzinfo is not None  # naive datetimes would become LocalDateTime
    assert applied_at >= before


async def test_second_run_is_a_no_op(folder: Path) -> None:
    write(folder, "V0001__constraints.cypher", V1)
    write(folder, "V0002__indexes.cypher", V2)
    runner = FakeRunner()
    await migrate(runner, folder)
    runs, records = list(runner.statements), dict(runner.records)

    assert await migrate(runner, folder) == []

    assert runner.statements == runs
    assert runner.records == records


async def test_only_new_files_run_after_earlier_ones_were_applied(folder: Path) -> None:
    write(folder, "V0001__constraints.cypher", V1)
    runner = FakeRunner()
    await migrate(runner, folder)
    write(folder, "V0002__indexes.cypher", V2)

    done = await migrate(runner, folder)

    assert [m.name for m in done] == ["indexes"]
    assert len(runner.statements) == 3
    assert sorted(runner.records) == [1, 2]


async def test_an_applied_file_that_changed_is_refused(folder: Path) -> None:
    path = write(folder, "V0001__constraints.cypher", V1)
    runner = FakeRunner()
    await migrate(runner, folder)
    sneaky = "CREATE INDEX sneaky IF NOT EXISTS FOR (p:Person) ON (p.x);\n"
    path.write_text(V1 + sneaky, encoding="utf-8")
    write(folder, "V0002__indexes.cypher", V2)

    with pytest.raises(ValidationFailed) as info:
        await migrate(runner, folder)

    assert info.value.code == "VALIDATION_FAILED"
    assert info.value.message == (
        "V0001__constraints.cypher was changed after it was applied; add a new migration instead"
    )
    assert len(runner.statements) == 1  # nothing after the refusal ran
    assert sorted(runner.records) == [1]


async def test_a_failing_statement_names_file_and_statement_and_is_not_recorded(
    folder: Path,
) -> None:
    write(folder, "V0001__constraints.cypher", V1)
    write(folder, "V0002__indexes.cypher", V2)
    write(folder, "V0003__later.cypher", "RETURN 3;\n")
    runner = FakeRunner(fail_on="person_age")

    with pytest.raises(ValidationFailed) as info:
        await migrate(runner, folder)

    assert info.value.message == ("V0002__indexes.cypher: statement 2 failed: Invalid input near 'person_age'")
    assert sorted(runner.records) == [1]  # V0002 not recorded, V0003 never reached
    assert not any("RETURN 3" in s for s in runner.statements)

    # Once the cause is fixed, the next run picks up exactly where it stopped.
    runner.fail_on = None
    done = await migrate(runner, folder)
    assert [m.version for m in done] == [2, 3]
    assert sorted(runner.records) == [1, 2, 3]


def test_the_metric_scores_backfill_builds_what_the_write_path_builds() -> None:
    path = Path(__file__).resolve().parents[2] / "graph_schema" / "V0091__metric_scores_backfill.cypher"
    (statement,) = split_statements(path.read_text())
    assert " ".join(statement.split()) == " ".join(("MATCH (v:ModelVersion)" + METRIC_SCORES_OF_V).split())
