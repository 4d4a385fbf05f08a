"""Where each stack service keeps its files and which loopback ports it uses."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

NEO4J_VERSION = "5.26.24"
OPA_VERSION = "v1.22.3"

# dev uses the well-known ports; other profiles shift them so stacks can run side by side
# (test2..test5 let extra checkouts run their test suites beside the main one).
PROFILE_OFFSETS = {"dev": 0, "test": 10000, "test2": 20000, "test3": 22000, "test4": 24000, "test5": 26000}

BASE_PORTS = {
    "neo4j_bolt": 7687,
    "opa": 8181,
    "s3": 8333,
    "s3_grpc": 8334,
    "weed_master": 9333,
    "weed_master_grpc": 9334,
    "weed_volume": 9335,
    "weed_volume_grpc": 9336,
    "weed_filer": 9337,
    "weed_filer_grpc": 9338,
    "weed_metrics": 9339,
}


def ports_for(profile: str, extra_offset: int = 0) -> dict[str, int]:
    """Every port of a profile's stack."""
    offset = PROFILE_OFFSETS.get(profile, 20000) + extra_offset
    return {name: port + offset for name, port in BASE_PORTS.items()}


@dataclass
class StackSecrets:
    """Generated once per stack, kept in its env file (mode 600)."""

    neo4j_password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    s3_access_key: str = field(default_factory=lambda: "mg" + secrets.token_hex(8))
    s3_secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    artifact_key: str = field(default_factory=lambda: secrets.token_hex(32))
    audit_key: str = field(default_factory=lambda: secrets.token_hex(32))
    bootstrap_admin_key: str = field(default_factory=lambda: "mgk_admin_" + secrets.token_urlsafe(24))
    # The service's bearer token for OPA; only test stacks get a token that may change policy data
    # (made when their env file is first written).
    opa_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    opa_test_token: str = ""

    def opa_tokens(self, profile: str) -> dict[str, str]:
        """The tokens OPA's system.authz policy reads from its environment."""
        tokens = {"MODELGRAPH_OPA_TOKEN": self.opa_token}
        if is_test_profile(profile):
            tokens["MODELGRAPH_OPA_TEST_TOKEN"] = self.opa_test_token
        return tokens


def is_test_profile(profile: str) -> bool:
    """Test stacks let the test suite change policy data over OPA's API; dev never does."""
    return profile.startswith("test")


@dataclass
class StackState:
    """What `up` recorded so that `down` and `status` act on exactly those processes."""

    profile: str
    ports: dict[str, int]
    pids: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> StackState | None:
        if not path.is_file():
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(profile=raw["profile"], ports=raw["ports"], pids=raw.get("pids", {}))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        tmp.replace(path)


def load_or_create_secrets(env_file: Path) -> StackSecrets:
    """Reuse the secrets of an existing stack; generate them for a new one."""
    from app.config import read_env_file

    values = read_env_file(env_file)
    if not values:
        return StackSecrets()
    needed = (
        "MODELGRAPH_NEO4J_PASSWORD",
        "MODELGRAPH_S3_ACCESS_KEY",
        "MODELGRAPH_S3_SECRET_KEY",
        "MODELGRAPH_ARTIFACT_KEY",
        "MODELGRAPH_BOOTSTRAP_ADMIN_KEY",
    )
    missing = [k for k in needed if not values.get(k)]
    if missing:
        from app.errors import ConfigurationError

        raise ConfigurationError(
            f"{env_file} lacks {', '.join(missing)}: restore it, or remove the stack folder "
            f"{env_file.parent} to start afresh"
        )
    return StackSecrets(
        neo4j_password=values["MODELGRAPH_NEO4J_PASSWORD"],
        s3_access_key=values["MODELGRAPH_S3_ACCESS_KEY"],
        s3_secret_key=values["MODELGRAPH_S3_SECRET_KEY"],
        artifact_key=values["MODELGRAPH_ARTIFACT_KEY"],
        bootstrap_admin_key=values["MODELGRAPH_BOOTSTRAP_ADMIN_KEY"],
        # Stacks made before audit checkpoints get their key on the next `stack up`.
        audit_key=values.get("MODELGRAPH_AUDIT_KEY") or secrets.token_hex(32),
        # Stacks made before OPA was locked down get their tokens on the next `stack up`.
        opa_token=values.get("MODELGRAPH_OPA_TOKEN") or secrets.token_urlsafe(24),
        opa_test_token=values.get("MODELGRAPH_OPA_TEST_TOKEN", ""),
    )


def write_env_file(env_file: Path, profile: str, ports: dict[str, int], sec: StackSecrets) -> None:
    """The contract between the stack and the service: MODELGRAPH_* settings, one per line."""
    if is_test_profile(profile) and not sec.opa_test_token:
        sec.opa_test_token = secrets.token_urlsafe(24)
    lines = {
        "MODELGRAPH_PROFILE": profile,
        "MODELGRAPH_NEO4J_URI": f"bolt://127.0.0.1:{ports['neo4j_bolt']}",
        "MODELGRAPH_NEO4J_USER": "neo4j",
        "MODELGRAPH_NEO4J_PASSWORD": sec.neo4j_password,
        "MODELGRAPH_OPA_URL": f"http://127.0.0.1:{ports['opa']}",
        **sec.opa_tokens(profile),
        "MODELGRAPH_S3_ENDPOINT": f"127.0.0.1:{ports['s3']}",
        "MODELGRAPH_S3_ACCESS_KEY": sec.s3_access_key,
        "MODELGRAPH_S3_SECRET_KEY": sec.s3_secret_key,
        "MODELGRAPH_ARTIFACT_KEY": sec.artifact_key,
        "MODELGRAPH_AUDIT_KEY": sec.audit_key,
        "MODELGRAPH_BOOTSTRAP_ADMIN_KEY": sec.bootstrap_admin_key,
    }
    env_file.parent.mkdir(parents=True, exist_ok=True)
    body = "# written by `modelgraph stack up`; secrets for this local stack only\n"
    body += "".join(f"{k}={v}\n" for k, v in lines.items())
    env_file.touch(mode=0o600, exist_ok=True)
    env_file.chmod(0o600)
    env_file.write_text(body, encoding="utf-8")
