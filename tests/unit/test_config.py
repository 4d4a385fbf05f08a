"""Settings: defaults, environment overrides, the stack's env file, and one-line config errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import SecretStr

from app.config import Settings, load_settings, read_env_file
from app.errors import ConfigurationError

GOOD_KEY = "ab" * 32


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No MODELGRAPH_* variable from the caller's shell leaks in; state lives in tmp."""
    for name in list(os.environ):
        if name.startswith("MODELGRAPH_"):
            monkeypatch.delenv(name)
    state = tmp_path / "state"
    monkeypatch.setenv("MODELGRAPH_STATE_DIR", str(state))
    return state


def write_profile_env(state: Path, profile: str, values: dict[str, str]) -> Path:
    env_file = state / profile / "env"
    env_file.parent.mkdir(parents=True, exist_ok=True)
    env_file.write_text("# comment line\n\n" + "".join(f"{k}={v}\n" for k, v in values.items()), encoding="utf-8")
    return env_file


def complete(**changes: object) -> Settings:
    base: dict[str, object] = {
        "neo4j_password": SecretStr("pw"),
        "s3_access_key": "ak",
        "s3_secret_key": SecretStr("sk"),
        "artifact_key": SecretStr(GOOD_KEY),
    }
    base.update(changes)
    return Settings(**base)  # type: ignore[arg-type]


def test_defaults_point_at_the_dev_stack_on_loopback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MODELGRAPH_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))

    s = Settings()

    assert s.profile == "dev"
    assert (s.host, s.port) == ("127.0.0.1", 8000)
    assert s.neo4j_uri == "bolt://127.0.0.1:7687"
    assert s.neo4j_user == "neo4j"
    assert s.neo4j_database == "neo4j"
    assert s.opa_url == "http://127.0.0.1:8181"
    assert s.s3_endpoint == "127.0.0.1:8333"
    assert s.s3_bucket == "modelgraph-artifacts"
    assert s.s3_secure is False
    assert s.max_body_bytes == 2_000_000
    assert s.webhook_allow_hosts == []
    assert s.neo4j_bookmarks is False
    assert s.neo4j_password.get_secret_value() == ""
    assert s.state_dir == tmp_path / "xdg-state" / "modelgraph"
    assert s.cache_dir == tmp_path / "xdg-cache" / "modelgraph"
    assert s.stack_dir == tmp_path / "xdg-state" / "modelgraph" / "dev"


def test_secrets_are_not_shown_in_the_settings_repr() -> None:
    s = complete(neo4j_password=SecretStr("hunter2-secret"))
    assert "hunter2-secret" not in repr(s)
    assert "hunter2-secret" not in str(s)


def test_environment_variables_override_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODELGRAPH_PORT", "9001")
    monkeypatch.setenv("MODELGRAPH_NEO4J_URI", "bolt://db.internal:7687")
    monkeypatch.setenv("MODELGRAPH_S3_SECURE", "true")
    monkeypatch.setenv("MODELGRAPH_WEBHOOK_ALLOW_HOSTS", '["127.0.0.1/32"]')

    s = Settings()

    assert s.port == 9001
    assert s.neo4j_uri == "bolt://db.internal:7687"
    assert s.s3_secure is True
    assert s.webhook_allow_hosts == ["127.0.0.1/32"]


def test_load_settings_reads_the_profile_env_file(clean_env: Path) -> None:
    write_profile_env(
        clean_env,
        "test",
        {
            "MODELGRAPH_PROFILE": "test",
            "MODELGRAPH_NEO4J_URI": "bolt://127.0.0.1:17687",
            "MODELGRAPH_NEO4J_PASSWORD": "from-file",
            "MODELGRAPH_OPA_URL": "http://127.0.0.1:18181",
            "UNRELATED_VARIABLE": "ignored",
        },
    )

    s = load_settings("test")

    assert s.profile == "test"
    assert s.stack_dir == clean_env / "test"
    assert s.neo4j_uri == "bolt://127.0.0.1:17687"
    assert s.neo4j_password.get_secret_value() == "from-file"
    assert s.opa_url == "http://127.0.0.1:18181"


def test_load_settings_ignores_other_profiles_files(clean_env: Path) -> None:
    write_profile_env(clean_env, "dev", {"MODELGRAPH_NEO4J_PASSWORD": "dev-password"})

    s = load_settings("test")

    assert s.neo4j_password.get_secret_value() == ""


def test_environment_wins_over_the_env_file(monkeypatch: pytest.MonkeyPatch, clean_env: Path) -> None:
    write_profile_env(
        clean_env,
        "test",
        {
            "MODELGRAPH_OPA_URL": "http://from-file:1",
            "MODELGRAPH_NEO4J_PASSWORD": "from-file",
        },
    )
    monkeypatch.setenv("MODELGRAPH_OPA_URL", "http://from-env:2")

    s = load_settings("test")

    assert s.opa_url == "http://from-env:2"
    assert s.neo4j_password.get_secret_value() == "from-file"


def test_explicit_overrides_win_over_environment_and_file(monkeypatch: pytest.MonkeyPatch, clean_env: Path) -> None:
    write_profile_env(clean_env, "test", {"MODELGRAPH_PORT": "8100"})
    monkeypatch.setenv("MODELGRAPH_PORT", "8200")

    assert load_settings("test", port=8300).port == 8300


def test_profile_comes_from_the_environment_when_not_given(monkeypatch: pytest.MonkeyPatch, clean_env: Path) -> None:
    write_profile_env(clean_env, "test", {"MODELGRAPH_NEO4J_PASSWORD": "test-pw"})
    monkeypatch.setenv("MODELGRAPH_PROFILE", "test")

    s = load_settings()

    assert s.profile == "test"
    assert s.neo4j_password.get_secret_value() == "test-pw"


def test_invalid_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODELGRAPH_PORT", "not-a-port")

    with pytest.raises(ConfigurationError) as info:
        load_settings("test")

    assert info.value.code == "CONFIGURATION_ERROR"
    assert info.value.message.startswith("invalid setting MODELGRAPH_PORT:")
    assert "\n" not in info.value.message


def test_out_of_range_value_in_env_file_names_the_variable(clean_env: Path) -> None:
    write_profile_env(clean_env, "test", {"MODELGRAPH_OPA_TIMEOUT_SECONDS": "0"})

    expected = r"^invalid setting MODELGRAPH_OPA_TIMEOUT_SECONDS: "
    with pytest.raises(ConfigurationError, match=expected):
        load_settings("test")


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"^invalid setting MODELGRAPH_PROFILE: "):
        load_settings("prod")


def test_complete_credentials_pass() -> None:
    complete().require_service_credentials()


def test_missing_credentials_are_named_in_one_line() -> None:
    s = Settings()

    with pytest.raises(ConfigurationError) as info:
        s.require_service_credentials()

    message = info.value.message
    assert info.value.code == "CONFIGURATION_ERROR"
    assert "\n" not in message
    assert message.startswith(
        "missing MODELGRAPH_NEO4J_PASSWORD, MODELGRAPH_S3_ACCESS_KEY, "
        "MODELGRAPH_S3_SECRET_KEY, MODELGRAPH_ARTIFACT_KEY:"
    )
    assert "modelgraph stack up" in message
    assert str(s.stack_dir / "env") in message


def test_only_the_missing_credentials_are_named() -> None:
    s = complete(s3_access_key="", artifact_key=SecretStr(""))

    with pytest.raises(ConfigurationError) as info:
        s.require_service_credentials()

    assert info.value.message.startswith("missing MODELGRAPH_S3_ACCESS_KEY, MODELGRAPH_ARTIFACT_KEY:")
    assert "NEO4J_PASSWORD" not in info.value.message
    assert "S3_SECRET_KEY" not in info.value.message


@pytest.mark.parametrize(
    "key",
    ["zz" * 32, "ab" * 31, "ab" * 33, "ab" * 31 + "g1"],
    ids=["not-hex", "too-short", "too-long", "one-bad-char"],
)
def test_bad_artifact_key_is_refused(key: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        complete(artifact_key=SecretStr(key)).require_service_credentials()

    assert info.value.code == "CONFIGURATION_ERROR"
    assert info.value.message == "MODELGRAPH_ARTIFACT_KEY must be 64 hex characters (32 bytes)"


def test_read_env_file_skips_comments_blank_lines_and_missing_files(tmp_path: Path) -> None:
    env_file = tmp_path / "env"
    env_file.write_text("# header\n\n  A = 1 \nB=x=y\nnot a pair\n", encoding="utf-8")

    assert read_env_file(env_file) == {"A": "1", "B": "x=y"}
    assert read_env_file(tmp_path / "missing") == {}


def test_outbox_retention_must_outlast_webhook_retries() -> None:
    # A redelivery within the retry window needs its event still in the outbox.
    with pytest.raises(ValueError, match="outbox_retention_hours"):
        Settings(outbox_retention_hours=24, webhook_retry_window_seconds=26 * 3600)
    assert Settings(outbox_retention_hours=27, webhook_retry_window_seconds=26 * 3600).outbox_retention_hours == 27
    assert Settings(outbox_retention_hours=0).outbox_retention_hours == 0  # kept for ever
