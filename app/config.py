"""Settings from the environment. Nothing else in the code base reads os.environ.

Values come from `MODELGRAPH_*` variables, then from the env file the local stack writes
(`<state_dir>/<profile>/env`), then from the defaults below.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.errors import ConfigurationError

Profile = Literal["dev", "test", "test2", "test3", "test4", "test5"]


def default_cache_dir() -> Path:
    """Downloads and builds (Neo4j jars, OPA binary) live here, outside any clone."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "modelgraph"


def default_state_dir() -> Path:
    """Running stacks keep data, logs, PIDs and generated secrets here."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "modelgraph"


class Settings(BaseSettings):
    """Everything the service and the CLI can be configured with."""

    model_config = SettingsConfigDict(env_prefix="MODELGRAPH_", extra="ignore")

    profile: Profile = "dev"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    cache_dir: Path = Field(default_factory=default_cache_dir)
    state_dir: Path = Field(default_factory=default_state_dir)
    # Local stack knobs: the repo's policy and migration folders, the JVM, a port shift.
    policies_dir: Path = Path("policies")
    graph_schema_dir: Path = Path("graph_schema")
    java: str = "java"
    stack_port_offset: int = Field(default=0, ge=0, le=40000)

    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str = "neo4j"
    # Driver: time to open a connection, and to get one from the pool when all are busy.
    neo4j_connection_timeout_seconds: float = Field(default=3.0, gt=0, le=120)
    neo4j_acquisition_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    # Circuit breaker (app/graph/breaker.py): a call unanswered this long triggers a Bolt probe;
    # an unanswered probe (or a connection error) fails every call fast for the reset time.
    neo4j_probe_after_seconds: float = Field(default=1.0, gt=0, le=60)
    neo4j_probe_timeout_seconds: float = Field(default=1.0, gt=0, le=30)
    neo4j_breaker_reset_seconds: float = Field(default=2.0, gt=0, le=300)

    opa_url: str = "http://127.0.0.1:8181"
    opa_timeout_seconds: float = Field(default=2.0, gt=0, le=30)
    # Bearer token for OPA's API (the local stack's OPA refuses calls without it); empty: none sent.
    opa_token: SecretStr = SecretStr("")

    s3_endpoint: str = "127.0.0.1:8333"
    s3_access_key: str = ""
    s3_secret_key: SecretStr = SecretStr("")
    s3_bucket: str = "modelgraph-artifacts"
    s3_secure: bool = False
    s3_region: str = "us-east-1"

    # 32 bytes, hex: encrypts artifacts at rest (AES-256-GCM).
    artifact_key: SecretStr = SecretStr("")
    # 32 bytes, hex, kept outside Neo4j: keys the audit checkpoints (HMAC-SHA256).
    audit_key: SecretStr = SecretStr("")
    # How often the service checkpoints the audit streams' heads (0: never; `modelgraph audit checkpoint`).
    audit_checkpoint_seconds: float = Field(default=60.0, ge=0)
    # Continuous validation (app/validation.py): a cycle every so many seconds (0: off) under a
    # lease, over the next `batch` versions and dataset versions, reading at most `bytes_per_cycle`
    # of artifact bytes. Dataset sources are checked only where an operator allows it (JSON lists).
    # Phone numbers written without a country code in free text are read as numbers of this region.
    phone_region: str = Field(default="US", pattern=r"^[A-Z]{2}$")
    validate_every_seconds: float = Field(default=600.0, ge=0)
    validate_batch: int = Field(default=200, ge=1, le=10_000)
    validate_bytes_per_cycle: int = Field(default=256 * 1024 * 1024, ge=0)
    validate_source_buckets: list[str] = Field(default_factory=list)
    validate_file_roots: list[str] = Field(default_factory=list)
    validate_http_hosts: list[str] = Field(default_factory=list)
    validate_http_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    # Bearer key for the first admin, so a fresh registry can issue keys.
    bootstrap_admin_key: SecretStr = SecretStr("")
    # JWTs: verification key (PEM) or JWKS file, plus the claims we insist on.
    jwt_public_key_file: Path | None = None
    jwt_jwks_file: Path | None = None
    jwt_issuer: str = "modelgraph"
    jwt_audience: str = "modelgraph"

    # How long a process may reuse the principal behind a key and the principal's grants.
    # Changes made through this process (keys revoked, principals or grants changed) apply at once;
    # other replicas see them within this many seconds. 0 turns the caches off.
    principal_cache_seconds: float = Field(default=5.0, ge=0, le=300)
    # A websocket re-checks its principal before every operation and at least this often; a
    # revoked or expired key or a disabled principal ends it (close code 4403).
    ws_recheck_seconds: float = Field(default=30.0, gt=0, le=30)
    # For CLI commands that talk to a running registry (e.g. `modelgraph policy check`).
    api_url: str = "http://127.0.0.1:8000"
    token: SecretStr = SecretStr("")

    # Backpressure: requests handled at once per process; others wait this long, then get 503.
    # The limit adapts between min and max so admitted requests finish within the target latency
    # (0 keeps it fixed at max); target + queue timeout bound what a client waits for an answer.
    max_in_flight: int = Field(default=64, ge=1, le=10_000)
    min_in_flight: int = Field(default=4, ge=1, le=10_000)
    target_latency_seconds: float = Field(default=2.0, ge=0, le=60)
    queue_timeout_seconds: float = Field(default=2.0, ge=0, le=60)
    # From arrival (queueing included), an admitted request's database work must finish within this;
    # Neo4j stops a transaction that runs past it (rolled back) and the client gets 503 (0: no deadline).
    # Artifact transfers, paced by the client, have none. Below 5 s: encoding a large answer follows it.
    request_deadline_seconds: float = Field(default=3.5, ge=0, le=600)
    # Seconds a 503 asks the client to wait (Retry-After).
    retry_after_seconds: int = Field(default=2, ge=1, le=600)
    # uvicorn (`modelgraph serve`): idle keep-alive, open connections+tasks before a bare 503,
    # and how long a client may take to send its headers; the body must arrive within its own deadline.
    keep_alive_timeout_seconds: float = Field(default=5.0, gt=0, le=300)
    limit_concurrency: int = Field(default=1000, ge=1)
    header_read_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    body_read_timeout_seconds: float = Field(default=30.0, gt=0, le=3600)

    # Health samples older than this are refused (windows are meant to be kept this long).
    health_retention_days: int = Field(default=30, ge=1, le=3650)

    max_body_bytes: int = Field(default=2_000_000, ge=1024)
    # Artifact uploads stream to the store chunk by chunk (never held whole), so this bounds storage use,
    # not memory.
    max_artifact_bytes: int = Field(default=64 * 1024**3, ge=1024)
    # Request JSON (bodies and GraphQL variables) nested deeper than this is refused with 400.
    max_json_depth: int = Field(default=64, ge=4, le=512)
    max_query_depth: int = Field(default=15, ge=2)
    max_query_aliases: int = Field(default=30, ge=1)
    max_query_tokens: int = Field(default=5000, ge=100)
    # Each field costs 1; a list multiplies its subtree by `first` (else 5). GraphiQL's schema fetch costs ~9k.
    max_query_cost: int = Field(default=10_000, ge=10)
    # Level of the JSON log lines `modelgraph serve` writes to stderr (one per request at INFO).
    log_level: str = Field(default="INFO", pattern=r"^(?i:debug|info|warning|error|critical)$")

    # Driver routing and bookmarks (see README "Scale"): `neo4j://` (routing) works against a single
    # server and a cluster alike. With bookmarks on, every session of a process shares one bookmark
    # manager, so a read served by a cluster follower waits for this process's earlier writes. One
    # server needs none (and a restored database invalidates old bookmarks), hence off by default.
    neo4j_bookmarks: bool = False

    # Events (app/events): how often a process looks for new outbox rows to hand to its subscribers
    # and its webhook worker. Writes in this process wake it at once; other replicas' within this.
    events_poll_seconds: float = Field(default=0.25, gt=0, le=30)
    # Webhooks: off turns the delivery worker of this process off (another replica may still deliver).
    webhooks_enabled: bool = True
    # Hosts or CIDR ranges a webhook may reach although they resolve to loopback, private,
    # link-local or metadata addresses (e.g. ["127.0.0.1/32", "hooks.internal"]). Empty: none.
    webhook_allow_hosts: list[str] = Field(default_factory=list)
    webhook_connect_timeout_seconds: float = Field(default=3.0, gt=0, le=30)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # Retries back off exponentially from the base to the cap (with jitter) until the window has
    # passed since the first attempt; then the delivery is dead-lettered.
    webhook_retry_base_seconds: float = Field(default=30.0, gt=0, le=3600)
    webhook_retry_max_seconds: float = Field(default=3600.0, gt=0, le=86_400)
    webhook_retry_window_seconds: float = Field(default=26 * 3600.0, gt=0)
    # A worker holds a delivery this long; a process killed mid-delivery loses it to another after this.
    webhook_lease_seconds: float = Field(default=60.0, gt=1, le=3600)
    webhook_batch: int = Field(default=20, ge=1, le=500)
    # Outbox retention (app/events/retention.py): events older than this are removed, oldest first,
    # once no delivery waits for them; checked every prune period (0 turns either off).
    outbox_retention_hours: float = Field(default=7 * 24.0, ge=0)
    outbox_prune_every_seconds: float = Field(default=3600.0, ge=0)

    @model_validator(mode="after")
    def _lease_outlasts_a_delivery(self) -> Settings:
        # A lease that ran out while its holder still waits for the receiver lets a second worker
        # send the same delivery at the same time.
        if self.webhook_lease_seconds <= self.webhook_timeout_seconds:
            raise ValueError("webhook_lease_seconds must be longer than webhook_timeout_seconds")
        return self

    @model_validator(mode="after")
    def _retention_outlasts_webhook_retries(self) -> Settings:
        # A redelivery (or a reader catching up after a day's outage) needs its event still there.
        if 0 < self.outbox_retention_hours * 3600 <= self.webhook_retry_window_seconds:
            raise ValueError("outbox_retention_hours must be longer than webhook_retry_window_seconds")
        return self

    def audit_key_bytes(self) -> bytes | None:
        """The checkpoint key, or None when none is configured."""
        key = self.audit_key.get_secret_value()
        if not key:
            return None
        if len(key) != 64 or any(c not in "0123456789abcdefABCDEF" for c in key):
            raise ConfigurationError("MODELGRAPH_AUDIT_KEY must be 64 hex characters (32 bytes)")
        return bytes.fromhex(key)

    @property
    def stack_dir(self) -> Path:
        """Where this profile's local stack keeps its state."""
        return self.state_dir / self.profile

    def require_service_credentials(self) -> None:
        """Fail with one actionable line when the service cannot possibly connect."""
        missing = [
            name
            for name, value in (
                ("MODELGRAPH_NEO4J_PASSWORD", self.neo4j_password.get_secret_value()),
                ("MODELGRAPH_S3_ACCESS_KEY", self.s3_access_key),
                ("MODELGRAPH_S3_SECRET_KEY", self.s3_secret_key.get_secret_value()),
                ("MODELGRAPH_ARTIFACT_KEY", self.artifact_key.get_secret_value()),
            )
            if not value
        ]
        if missing:
            raise ConfigurationError(
                f"missing {', '.join(missing)}: run `modelgraph stack up` (which writes them to "
                f"{self.stack_dir / 'env'}) or set them in the environment"
            )
        key = self.artifact_key.get_secret_value()
        if len(key) != 64 or any(c not in "0123456789abcdefABCDEF" for c in key):
            raise ConfigurationError("MODELGRAPH_ARTIFACT_KEY must be 64 hex characters (32 bytes)")


def read_env_file(path: Path) -> dict[str, str]:
    """Parse the KEY=VALUE file the stack writes (no shell syntax)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def load_settings(profile: str | None = None, **overrides: object) -> Settings:
    """Build settings: explicit overrides > environment > the profile's stack env file."""
    try:
        chosen = profile or os.environ.get("MODELGRAPH_PROFILE") or "dev"
        probe = Settings(profile=chosen)
        file_values = read_env_file(probe.stack_dir / "env")
        merged: dict[str, object] = {
            key.removeprefix("MODELGRAPH_").lower(): value
            for key, value in file_values.items()
            if key.startswith("MODELGRAPH_") and key not in os.environ
        }
        merged.update(overrides)
        merged["profile"] = chosen
        return Settings(**merged)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigurationError(f"invalid setting MODELGRAPH_{field.upper()}: {first['msg']}") from None
