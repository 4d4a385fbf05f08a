"""Stack layout: per-profile ports, the recorded state, and the env file with generated secrets."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from app.config import load_settings, read_env_file
from app.stack.layout import (
    BASE_PORTS,
    StackSecrets,
    StackState,
    load_or_create_secrets,
    ports_for,
    write_env_file,
)


def test_dev_uses_the_well_known_ports() -> None:
    dev = ports_for("dev")

    assert dev["neo4j_bolt"] == 7687
    assert dev["opa"] == 8181
    assert dev["s3"] == 8333


def test_dev_and_test_ports_differ_and_do_not_overlap() -> None:
    dev, test = ports_for("dev"), ports_for("test")

    assert test["neo4j_bolt"] == 17687
    assert test["opa"] == 18181
    assert test["s3"] == 18333
    assert set(dev) == set(test) == set(BASE_PORTS)
    assert not set(dev.values()) & set(test.values())


@pytest.mark.parametrize("profile", ["dev", "test", "other"])
def test_no_two_services_of_a_profile_share_a_port(profile: str) -> None:
    ports = ports_for(profile)

    assert len(set(ports.values())) == len(ports)
    assert all(1024 < p <= 65535 for p in ports.values())


def test_unknown_profiles_and_extra_offsets_stay_clear_of_dev_and_test() -> None:
    taken = set(ports_for("dev").values()) | set(ports_for("test").values())

    assert not set(ports_for("ci").values()) & taken
    shifted = ports_for("test", extra_offset=100)
    assert shifted["opa"] == 18281
    assert not set(shifted.values()) & taken


def test_stack_state_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "stack.json"
    state = StackState(profile="test", ports=ports_for("test"), pids={"neo4j": 123, "opa": 456})

    state.save(path)

    assert StackState.load(path) == state
    assert not path.with_suffix(".tmp").exists()


def test_stack_state_of_a_fresh_folder_is_none(tmp_path: Path) -> None:
    assert StackState.load(tmp_path / "stack.json") is None


def test_stack_state_without_pids_loads_with_none_running(tmp_path: Path) -> None:
    path = tmp_path / "stack.json"
    path.write_text('{"profile": "dev", "ports": {"opa": 8181}}', encoding="utf-8")

    assert StackState.load(path) == StackState(profile="dev", ports={"opa": 8181}, pids={})


def test_env_file_is_private_and_carries_the_generated_secrets(tmp_path: Path) -> None:
    env_file = tmp_path / "test" / "env"
    ports = ports_for("test")
    sec = StackSecrets()

    write_env_file(env_file, "test", ports, sec)

    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    values = read_env_file(env_file)
    assert values == {
        "MODELGRAPH_PROFILE": "test",
        "MODELGRAPH_NEO4J_URI": "bolt://127.0.0.1:17687",
        "MODELGRAPH_NEO4J_USER": "neo4j",
        "MODELGRAPH_NEO4J_PASSWORD": sec.neo4j_password,
        "MODELGRAPH_OPA_URL": "http://127.0.0.1:18181",
        "MODELGRAPH_OPA_TOKEN": sec.opa_token,
        "MODELGRAPH_OPA_TEST_TOKEN": sec.opa_test_token,
        "MODELGRAPH_S3_ENDPOINT": "127.0.0.1:18333",
        "MODELGRAPH_S3_ACCESS_KEY": sec.s3_access_key,
        "MODELGRAPH_S3_SECRET_KEY": sec.s3_secret_key,
        "MODELGRAPH_ARTIFACT_KEY": sec.artifact_key,
        "MODELGRAPH_AUDIT_KEY": sec.audit_key,
        "MODELGRAPH_BOOTSTRAP_ADMIN_KEY": sec.bootstrap_admin_key,
    }


def test_only_test_stacks_get_a_token_that_may_change_policy_data(tmp_path: Path) -> None:
    dev, test = StackSecrets(), StackSecrets()
    write_env_file(tmp_path / "dev" / "env", "dev", ports_for("dev"), dev)
    write_env_file(tmp_path / "test2" / "env", "test2", ports_for("test2"), test)

    assert read_env_file(tmp_path / "dev" / "env")["MODELGRAPH_OPA_TOKEN"] == dev.opa_token
    assert "MODELGRAPH_OPA_TEST_TOKEN" not in read_env_file(tmp_path / "dev" / "env")
    assert dev.opa_tokens("dev") == {"MODELGRAPH_OPA_TOKEN": dev.opa_token}
    assert test.opa_tokens("test2") == {
        "MODELGRAPH_OPA_TOKEN": test.opa_token,
        "MODELGRAPH_OPA_TEST_TOKEN": read_env_file(tmp_path / "test2" / "env")["MODELGRAPH_OPA_TEST_TOKEN"],
    }
    assert len({dev.opa_token, test.opa_token, test.opa_test_token}) == 3
    assert load_or_create_secrets(tmp_path / "test2" / "env") == test


def test_rewriting_a_world_readable_env_file_makes_it_private(tmp_path: Path) -> None:
    env_file = tmp_path / "env"
    env_file.write_text("OLD=1\n", encoding="utf-8")
    env_file.chmod(0o644)

    write_env_file(env_file, "dev", ports_for("dev"), StackSecrets())

    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert "OLD" not in read_env_file(env_file)


def test_generated_secrets_are_strong_and_unique() -> None:
    a, b = StackSecrets(), StackSecrets()

    assert re.fullmatch(r"[0-9a-f]{64}", a.artifact_key)
    assert a.bootstrap_admin_key.startswith("mgk_admin_")
    assert len(a.neo4j_password) >= 20
    assert a.neo4j_password != b.neo4j_password
    assert a.s3_secret_key != b.s3_secret_key
    assert a.artifact_key != b.artifact_key
    assert re.fullmatch(r"[0-9a-f]{64}", a.audit_key) and a.audit_key != b.audit_key


def test_a_stack_made_before_audit_checkpoints_gets_a_key_that_then_stays(tmp_path: Path) -> None:
    env_file = tmp_path / "env"
    write_env_file(env_file, "dev", ports_for("dev"), StackSecrets())
    lines = env_file.read_text(encoding="utf-8").splitlines()
    env_file.write_text("\n".join(x for x in lines if not x.startswith("MODELGRAPH_AUDIT_KEY")), encoding="utf-8")

    upgraded = load_or_create_secrets(env_file)
    write_env_file(env_file, "dev", ports_for("dev"), upgraded)

    assert re.fullmatch(r"[0-9a-f]{64}", upgraded.audit_key)
    assert load_or_create_secrets(env_file).audit_key == upgraded.audit_key


def test_secrets_are_reused_from_an_existing_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / "env"
    first = load_or_create_secrets(env_file)  # no file yet: new secrets
    write_env_file(env_file, "dev", ports_for("dev"), first)

    again = load_or_create_secrets(env_file)

    assert again == first


def test_the_settings_read_what_the_stack_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The env file is the contract between `stack up` and the service."""
    for name in list(os.environ):
        if name.startswith("MODELGRAPH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("MODELGRAPH_STATE_DIR", str(tmp_path))
    sec = StackSecrets()
    write_env_file(tmp_path / "test" / "env", "test", ports_for("test"), sec)

    s = load_settings("test")

    s.require_service_credentials()
    assert s.neo4j_uri == "bolt://127.0.0.1:17687"
    assert s.opa_url == "http://127.0.0.1:18181"
    assert s.s3_endpoint == "127.0.0.1:18333"
    assert s.neo4j_password.get_secret_value() == sec.neo4j_password
    assert s.artifact_key.get_secret_value() == sec.artifact_key


def test_neo4j_data_and_logs_are_private_to_the_owner(tmp_path: Path) -> None:
    from app.stack.neo4j import PRIVATE_UMASK, write_config

    (tmp_path / "data" / "dbms").mkdir(parents=True)
    (tmp_path / "data" / "dbms" / "auth.ini").write_text("secret")
    (tmp_path / "data" / "dbms" / "auth.ini").chmod(0o644)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "debug.log").write_text("query text")
    (tmp_path / "logs" / "debug.log").chmod(0o664)

    write_config(tmp_path, 7687)

    for folder in ("data", "data/dbms", "logs"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o700, folder
    for file in ("data/dbms/auth.ini", "logs/debug.log"):
        assert stat.S_IMODE((tmp_path / file).stat().st_mode) == 0o600, file
    assert "umask 077" in " ".join(PRIVATE_UMASK)
