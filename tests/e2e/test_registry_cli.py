"""The CLI for people (`modelgraph models|versions|alias|search|lineage|reviews`) against the running
service: text and `--output json`, and the documented exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.auth.tokens import hash_key, new_api_key
from app.cli import cli
from app.config import Settings
from app.services import Services
from modelgraph.client import ModelGraph
from tests.integration.chain import run

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

RIGHTS = {"training_allowed": True, "commercial_use": True, "contains_personal_data": False}


def mg_cli(url: str, token: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args, "--url", url, "--token", token])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


async def key_for(services: Services, name: str, role: str) -> str:
    await run(services, "create_principal", {"name": name, "roles": [role]})
    key = new_api_key()
    await run(services, "issue_api_key", {"principal": name, "key_hash": hash_key(key)})
    return key


async def test_people_browse_register_promote_and_review_from_the_terminal(
    live_server: str, settings: Settings, clean_graph: Services, tmp_path: Path
) -> None:
    admin = settings.bootstrap_admin_key.get_secret_value()
    publisher = await key_for(clean_graph, "pat", "publisher")
    approver = await key_for(clean_graph, "ann", "approver")
    with ModelGraph(live_server, publisher) as mg:
        data = mg.register_dataset("cli-data", "s3://raw/cli.parquet", usage_rights=RIGHTS)
        with mg.start_run("e", project="cli", inputs=[data]) as r:
            r.log_metric("f1", 0.93)
        mg.create_model("cli-model", licence="MIT", task="classification")
    artifact = tmp_path / "model.bin"
    artifact.write_bytes(b"cli weights")

    register = ["versions", "register", "cli-model", "--file", str(artifact), "--run", r.id]
    code, out = mg_cli(live_server, publisher, *register)
    assert code == 0 and "registered cli-model v1" in out, out
    code, out = mg_cli(live_server, publisher, "versions", "show", "cli-model", "--version", "1", "--output", "json")
    shown = json.loads(out)
    assert code == 0 and shown["version"] == 1 and shown["artifact"]["size"] == len(b"cli weights")

    code, out = mg_cli(live_server, publisher, "alias", "set", "cli-model", "staging", "1")
    assert code == 0 and "cli-model@staging → v1" in out
    with ModelGraph(live_server, publisher) as mg:
        mg.record_evaluation("cli-model", 1, {"f1": 0.93})
    code, out = mg_cli(live_server, publisher, "alias", "set", "cli-model", "production", "1")
    assert code == 3 and "review required" in out, out

    code, out = mg_cli(live_server, approver, "reviews", "list", "--mine", "--output", "json")
    reviews = json.loads(out)
    assert code == 0 and [r["command"] for r in reviews] == ["move_alias"]
    code, out = mg_cli(live_server, approver, "reviews", "approve", reviews[0]["id"])
    assert code == 0 and "APPROVED" in out
    code, out = mg_cli(live_server, approver, "reviews", "reject", reviews[0]["id"])
    assert code == 5, out  # already decided: a conflict

    code, out = mg_cli(live_server, admin, "alias", "history", "cli-model", "--output", "json")
    assert code == 0 and sorted(m["alias"] for m in json.loads(out)) == ["production", "staging"]
    code, out = mg_cli(live_server, admin, "models", "list", "--output", "json")
    assert code == 0 and [m["name"] for m in json.loads(out)] == ["cli-model"]
    code, out = mg_cli(live_server, admin, "models", "show", "cli-model")
    assert code == 0 and "cli-model" in out and "production" in out
    code, out = mg_cli(live_server, admin, "search", "cli-model", "--output", "json")
    assert code == 0 and [(h["model_name"], h["version"]) for h in json.loads(out)] == [("cli-model", 1)]

    code, out = mg_cli(live_server, admin, "lineage", shown["id"], "--hops", "2")
    assert code == 0 and "ModelVersion" in out and "TRAINED_BY Run" in out and "USED DatasetVersion" in out, out
    code, out = mg_cli(live_server, admin, "lineage", shown["id"], "--output", "json")
    assert code == 0 and {n["kind"] for n in json.loads(out)["nodes"]} >= {"ModelVersion", "Run"}


async def test_exit_codes_say_what_went_wrong(live_server: str, settings: Settings, clean_graph: Services) -> None:
    viewer = await key_for(clean_graph, "vera", "viewer")
    admin = settings.bootstrap_admin_key.get_secret_value()
    code, out = mg_cli(live_server, admin, "versions", "show", "nope", "--alias", "production")
    assert code == 4 and "has no alias 'production'" in out
    code, out = mg_cli(live_server, viewer, "alias", "set", "nope", "staging", "1")
    assert code in (1, 4), out
    code, out = mg_cli("http://127.0.0.1:1", admin, "models", "list")
    assert code == 2 and "unreachable" in out and "Traceback" not in out and len(out.strip().splitlines()) == 1
    code, out = mg_cli(live_server, "not-a-key", "models", "list")
    assert code == 2 and "Traceback" not in out
