"""Errors a user can fix: one line on stderr, exit code 2, never a traceback."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.errors import ConfigurationError
from app.stack.process import port_is_free, require_free_ports


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str | None]:
    """An environment with no MODELGRAPH_* settings and an empty state folder."""
    cleared: dict[str, str | None] = {k: None for k in os.environ if k.startswith("MODELGRAPH_")}
    cleared["MODELGRAPH_STATE_DIR"] = str(tmp_path / "state")
    cleared["MODELGRAPH_CACHE_DIR"] = str(tmp_path / "cache")
    cleared["COLUMNS"] = "80"  # a typical terminal: long messages must still be one line
    return cleared


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def test_migrate_without_password_is_one_line_and_exit_2(env: dict[str, str | None]) -> None:
    result = CliRunner().invoke(cli, ["--profile", "test", "migrate"], env=env)

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = error_lines(result.stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: missing MODELGRAPH_NEO4J_PASSWORD")


def test_migrate_without_password_names_the_variable_and_exits_2(
    env: dict[str, str | None],
) -> None:
    env["COLUMNS"] = "1000"
    result = CliRunner().invoke(cli, ["--profile", "test", "migrate"], env=env)

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = error_lines(result.stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: missing MODELGRAPH_NEO4J_PASSWORD, ")
    assert "modelgraph stack up" in lines[0]
    assert result.stdout == ""


def test_stack_up_without_java_is_one_line_and_exit_2(env: dict[str, str | None]) -> None:
    env["MODELGRAPH_JAVA"] = "/nonexistent/java"
    result = CliRunner().invoke(cli, ["--profile", "test", "stack", "up"], env=env)

    assert result.exit_code == 2
    lines = error_lines(result.stderr)
    assert len(lines) == 1, lines


def test_stack_up_without_java_says_java_not_found_and_exits_2(env: dict[str, str | None], tmp_path: Path) -> None:
    env["MODELGRAPH_JAVA"] = "/nonexistent/java"
    env["COLUMNS"] = "1000"
    result = CliRunner().invoke(cli, ["--profile", "test", "stack", "up"], env=env)

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = error_lines(result.stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: Java not found ('/nonexistent/java'): install a JDK 17 or 21")
    assert "MODELGRAPH_JAVA" in lines[0]
    assert not (tmp_path / "state" / "test" / "env").exists()  # nothing half-started


def test_error_message_is_shown_verbatim(env: dict[str, str | None]) -> None:
    env["MODELGRAPH_JAVA"] = "/opt/[jdk]/bin/java"
    env["COLUMNS"] = "1000"
    result = CliRunner().invoke(cli, ["--profile", "test", "stack", "up"], env=env)

    assert result.exit_code == 2
    assert "Java not found ('/opt/[jdk]/bin/java')" in result.stderr


def test_error_message_with_a_closing_tag_still_exits_2(env: dict[str, str | None]) -> None:
    env["MODELGRAPH_JAVA"] = "/opt/[/jdk]/java"
    env["COLUMNS"] = "1000"
    result = CliRunner().invoke(cli, ["--profile", "test", "stack", "up"], env=env)

    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_invalid_setting_is_reported_without_traceback(env: dict[str, str | None]) -> None:
    env["MODELGRAPH_PORT"] = "eighty"
    env["COLUMNS"] = "1000"
    result = CliRunner().invoke(cli, ["--profile", "test", "migrate"], env=env)

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = error_lines(result.stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: invalid setting MODELGRAPH_PORT:")


def test_unknown_stack_service_is_refused(env: dict[str, str | None]) -> None:
    env["COLUMNS"] = "1000"
    result = CliRunner().invoke(cli, ["--profile", "test", "stack", "start-service", "redis"], env=env)

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert error_lines(result.stderr) == ["error: unknown stack service 'redis'; one of neo4j, opa, s3"]


@pytest.fixture
def listening_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield int(sock.getsockname()[1])


def test_port_in_use_is_refused_naming_the_port(listening_port: int) -> None:
    assert not port_is_free(listening_port)

    with pytest.raises(ConfigurationError) as info:
        require_free_ports({"x": listening_port})

    assert info.value.code == "CONFIGURATION_ERROR"
    assert info.value.message.startswith(f"port {listening_port} (x) is already in use")
    assert "MODELGRAPH_STACK_PORT_OFFSET" in info.value.message


def test_free_ports_are_accepted() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    # Bound-then-closed: nothing listens there any more.
    require_free_ports({"free": port})
