"""The compose `scale` profile: a second app replica with the same settings, behind a proxy that
spreads HTTP and websockets over both (checked without Docker)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def services() -> dict[str, dict[str, object]]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    found: dict[str, dict[str, object]] = compose["services"]
    return found


def test_the_scale_profile_adds_a_second_replica_with_the_same_settings() -> None:
    found = services()
    assert found["app-2"]["profiles"] == ["scale"] and found["proxy"]["profiles"] == ["scale"]
    assert "profiles" not in found["app"]
    assert found["app-2"]["environment"] == found["app"]["environment"]
    assert found["app-2"]["image"] == found["app"]["image"]
    assert found["app-2"]["depends_on"] == {"app": {"condition": "service_healthy"}}  # app migrates first
    assert "migrate" not in " ".join(found["app-2"]["command"])  # type: ignore[arg-type]


def test_the_proxy_balances_both_replicas_and_upgrades_websockets() -> None:
    conf = (ROOT / "deploy" / "proxy" / "nginx.conf").read_text(encoding="utf-8")
    assert set(re.findall(r"server (app(?:-2)?):8000", conf)) == {"app", "app-2"}
    assert "proxy_set_header Upgrade $http_upgrade" in conf
    assert services()["proxy"]["ports"] == ["127.0.0.1:8080:8080"]
