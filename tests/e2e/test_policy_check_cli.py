"""`modelgraph policy check` against a running registry: decision, reasons, exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.config import Settings
from app.services import Services
from tests.integration.chain import build_chain, new_run, run

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]


def invoke(live_server: str, token: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["--profile", "test", "policy", "check", "--url", live_server, "--token", token, *args]
    )
    return result.exit_code, result.output


async def test_gate_allows_denies_and_routes_to_review(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    ids = await build_chain(clean_graph, "gate")
    admin = settings.bootstrap_admin_key.get_secret_value()
    code, out = invoke(
        live_server, admin, "--action", "promote", "--model", "gate", "--version", "1", "--alias", "production"
    )
    assert code == 0 and "promote gate: allowed" in out

    await run(clean_graph, "move_alias", {"model": "gate", "alias": "production", "version": 1})
    worse = await new_run(clean_graph, ids["experiment"], [ids["dataset_version"]], {"f1": 0.82, "auc": 0.95})
    await run(
        clean_graph,
        "register_model_version",
        {"model": "gate", "run_id": worse, "artifact": {"uri": "s3://m/w", "digest": "sha256:" + "ab" * 32}},
    )
    code, out = invoke(
        live_server,
        admin,
        "--action",
        "promote",
        "--model",
        "gate",
        "--version",
        "2",
        "--alias",
        "production",
        "--output",
        "json",
    )
    decision = json.loads(out)
    assert code == 3 and decision["decision"] == "allowed after review"
    assert "f1 0.82 is worse than incumbent 0.9" in decision["reasons"]

    code, out = invoke(live_server, admin, "--action", "retire", "--model", "gate", "--version", "1")
    assert code == 0, out
    code, out = invoke(live_server, admin, "--action", "publish", "--model", "gpl-model", "--licence", "GPL-3.0")
    assert code == 1 and "licence GPL-3.0 is not on the allowed list" in out


def test_gate_without_a_reachable_registry_fails_with_one_line(settings: Settings) -> None:
    code, out = invoke(
        "http://127.0.0.1:1", "x", "--action", "promote", "--model", "m", "--version", "1", "--alias", "production"
    )
    assert code == 2 and "registry at http://127.0.0.1:1 unreachable" in out and "Traceback" not in out


def test_gate_pointed_at_a_wrong_endpoint_is_an_error_not_a_denial(live_server: str, settings: Settings) -> None:
    admin = settings.bootstrap_admin_key.get_secret_value()
    code, out = invoke(
        f"{live_server}/api/v1", admin, "--action", "promote", "--model", "m", "--version", "1", "--alias", "production"
    )
    assert code == 2 and "did not answer as a modelgraph registry (HTTP 404)" in out and "Traceback" not in out
    assert len(out.strip().splitlines()) == 1


async def test_gate_on_a_missing_version_says_not_found(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    await build_chain(clean_graph, "gate")
    admin = settings.bootstrap_admin_key.get_secret_value()
    code, out = invoke(
        live_server, admin, "--action", "promote", "--model", "gate", "--version", "9", "--alias", "production"
    )
    assert code == 4 and "not found" in out and "denied" not in out and "evaluation" not in out, out
