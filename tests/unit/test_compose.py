"""docker-compose.yml wires the services the way the app expects (checked without Docker).

Each test names a mistake that would only show up after `docker compose up`: a setting the
app ignores, credentials that disagree, a dependency started too early, a port open to the LAN.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from app.config import Settings

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"neo4j", "opa", "minio", "minio-init", "app"}
ONE_SHOT = {"minio-init"}
REQUIRED_APP_SETTINGS = {
    "MODELGRAPH_NEO4J_URI",
    "MODELGRAPH_NEO4J_PASSWORD",
    "MODELGRAPH_OPA_URL",
    "MODELGRAPH_S3_ENDPOINT",
    "MODELGRAPH_S3_ACCESS_KEY",
    "MODELGRAPH_S3_SECRET_KEY",
    "MODELGRAPH_ARTIFACT_KEY",
    "MODELGRAPH_AUDIT_KEY",
    "MODELGRAPH_OPA_TOKEN",
}
SECRETS = {
    "MODELGRAPH_NEO4J_PASSWORD",
    "MODELGRAPH_S3_ACCESS_KEY",
    "MODELGRAPH_S3_SECRET_KEY",
    "MODELGRAPH_ARTIFACT_KEY",
    "MODELGRAPH_AUDIT_KEY",
    "MODELGRAPH_BOOTSTRAP_ADMIN_KEY",
    "MODELGRAPH_OPA_TOKEN",
}
# ${NAME}, ${NAME:-default}, ${NAME:?message}; `$${...}` is an escaped literal, not a reference.
VAR_REF = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return compose["services"]


def env_of(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment, whether written as a mapping or as KEY=VALUE lines."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def refs(value: str) -> set[str]:
    """The compose variables a value is interpolated from."""
    return set(VAR_REF.findall(value))


def as_text(command: str | list[str]) -> str:
    return command if isinstance(command, str) else " ".join(command)


def test_all_five_services_are_defined(services: dict[str, dict[str, Any]]) -> None:
    assert set(services) >= SERVICES


def test_every_long_running_service_has_a_healthcheck(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in set(services) - ONE_SHOT:
        check = services[name].get("healthcheck") or {}
        assert not check.get("disable"), name
        assert check.get("test") not in (None, [], ["NONE"]), f"{name} has no healthcheck"


def test_bucket_init_runs_once(services: dict[str, dict[str, Any]]) -> None:
    init = services["minio-init"]
    assert init.get("restart") == "no"
    assert init["depends_on"]["minio"]["condition"] == "service_healthy"
    assert "mc mb" in as_text(init["command"])


def test_app_starts_only_after_its_dependencies_are_ready(
    services: dict[str, dict[str, Any]],
) -> None:
    conditions = {name: spec["condition"] for name, spec in services["app"]["depends_on"].items()}
    assert conditions == {
        "neo4j": "service_healthy",
        "opa": "service_healthy",
        "minio": "service_healthy",
        "minio-init": "service_completed_successfully",
    }


def test_app_environment_uses_only_real_settings(services: dict[str, dict[str, Any]]) -> None:
    known = {f"MODELGRAPH_{name.upper()}" for name in Settings.model_fields}
    given = {key for key in env_of(services["app"]) if key.startswith("MODELGRAPH_")}
    assert given - known == set(), "the app would silently ignore these"
    assert REQUIRED_APP_SETTINGS - given == set(), "the app could not connect without these"


def test_secrets_are_required_and_never_hard_coded(services: dict[str, dict[str, Any]]) -> None:
    env = env_of(services["app"])
    for name in SECRETS:
        assert re.fullmatch(rf"\$\{{{name}:\?[^}}]+\}}", env[name]), (
            f"{name} must be `${{{name}:?message}}` so compose refuses to start without it"
        )


def test_minio_root_credentials_are_the_apps_s3_credentials(
    services: dict[str, dict[str, Any]],
) -> None:
    app, minio, init = (env_of(services[name]) for name in ("app", "minio", "minio-init"))
    assert refs(minio["MINIO_ROOT_USER"]) == refs(app["MODELGRAPH_S3_ACCESS_KEY"]) != set()
    assert refs(minio["MINIO_ROOT_PASSWORD"]) == refs(app["MODELGRAPH_S3_SECRET_KEY"]) != set()
    assert refs(init["S3_ACCESS_KEY"]) == refs(app["MODELGRAPH_S3_ACCESS_KEY"])
    assert refs(init["S3_SECRET_KEY"]) == refs(app["MODELGRAPH_S3_SECRET_KEY"])
    assert init["S3_BUCKET"] == app["MODELGRAPH_S3_BUCKET"], "init must create the app's bucket"


def test_neo4j_password_is_the_apps(services: dict[str, dict[str, Any]]) -> None:
    auth = env_of(services["neo4j"])["NEO4J_AUTH"]
    app = env_of(services["app"])
    user, _, password = auth.partition("/")
    assert user == app["MODELGRAPH_NEO4J_USER"] == "neo4j"
    assert refs(password) == refs(app["MODELGRAPH_NEO4J_PASSWORD"]) != set()


def test_app_reaches_each_dependency_by_its_service_name(
    services: dict[str, dict[str, Any]],
) -> None:
    env = env_of(services["app"])
    neo4j = urlsplit(env["MODELGRAPH_NEO4J_URI"])
    assert (neo4j.scheme, neo4j.hostname, neo4j.port) == ("bolt", "neo4j", 7687)
    opa = urlsplit(env["MODELGRAPH_OPA_URL"])
    assert (opa.hostname, opa.port) == ("opa", 8181)
    assert "0.0.0.0:8181" in as_text(services["opa"]["command"]), "OPA must listen beyond loopback"
    # The minio SDK takes host:port; a scheme here fails at startup.
    assert env["MODELGRAPH_S3_ENDPOINT"] == "minio:9000"
    assert env["MODELGRAPH_S3_SECURE"].lower() == "false"


def test_published_ports_bind_loopback_only(services: dict[str, dict[str, Any]]) -> None:
    published = []
    for name, service in services.items():
        for port in service.get("ports", []):
            host_ip = port.get("host_ip") if isinstance(port, dict) else str(port).split(":")[0]
            assert host_ip == "127.0.0.1", f"{name} publishes {port!r} beyond loopback"
            published.append((name, port))
    assert ("app", "127.0.0.1:8000:8000") in published


def test_opa_serves_the_repository_policies_read_only(
    services: dict[str, dict[str, Any]],
) -> None:
    opa = services["opa"]
    assert "./policies:/policies:ro" in opa["volumes"]
    command = as_text(opa["command"])
    assert command.startswith("run --server") and command.endswith("/policies")


def test_opa_answers_only_the_apps_token(services: dict[str, dict[str, Any]]) -> None:
    """policies/system/authz reads the token from OPA's environment; it must be the app's."""
    opa, app = services["opa"], env_of(services["app"])
    command = as_text(opa["command"])
    assert "--authentication=token" in command and "--authorization=basic" in command
    assert refs(env_of(opa)["MODELGRAPH_OPA_TOKEN"]) == refs(app["MODELGRAPH_OPA_TOKEN"]) == {"MODELGRAPH_OPA_TOKEN"}
    assert "Authorization: Bearer $${MODELGRAPH_OPA_TOKEN}" in as_text(opa["healthcheck"]["test"])


def test_app_migrates_before_serving_and_is_probed_on_readyz(
    services: dict[str, dict[str, Any]],
) -> None:
    app = services["app"]
    command = as_text(app["command"])
    assert command.index("modelgraph migrate") < command.index("modelgraph serve --host 0.0.0.0")
    assert "/readyz" in as_text(app["healthcheck"]["test"])


def test_image_runs_as_non_root_with_migrations_in_its_working_directory() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    runtime = dockerfile.rsplit("\nFROM ", 1)[1]
    assert "WORKDIR /srv/modelgraph" in runtime
    assert "COPY graph_schema ./graph_schema" in runtime
    users = re.findall(r"^USER\s+(\S+)", runtime, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("0", "root")
