"""Bearer tokens: API keys and JWTs, with the usual JWT attacks refused (no services needed)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.auth.tokens import BOOTSTRAP, Authenticator, hash_key, new_api_key
from app.config import Settings
from app.errors import Unauthenticated
from app.registry.actor import Actor

ALICE = Actor(id="prn_1", name="alice", roles=("publisher",))


class FakePrincipals:
    """Stands in for the Neo4j principal store behind the same two methods."""

    def __init__(self, keys: dict[str, dict[str, Any]]) -> None:
        self.keys = keys

    async def by_key_hash(self, key_hash: str) -> tuple[Actor, dict[str, Any]] | None:
        return (ALICE, self.keys[key_hash]) if key_hash in self.keys else None

    async def by_name(self, name: str) -> Actor | None:
        return ALICE if name == "alice" else None


class NativeTime:
    def __init__(self, value: datetime) -> None:
        self.value = value

    def to_native(self) -> datetime:
        return self.value


@pytest.fixture
def rsa_key(tmp_path: Path) -> tuple[Any, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    path = tmp_path / "jwt.pem"
    path.write_bytes(pem)
    return key, path


def authenticator(keys: dict[str, dict[str, Any]] | None = None, pem: Path | None = None) -> Authenticator:
    settings = Settings(bootstrap_admin_key="boot-secret", jwt_public_key_file=pem)
    return Authenticator(settings, FakePrincipals(keys or {}))  # type: ignore[arg-type]


def claims(**overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"sub": "alice", "iss": "modelgraph", "aud": "modelgraph", "exp": now + timedelta(minutes=5), **overrides}


async def test_missing_or_malformed_header_is_refused() -> None:
    for header in (None, "", "Basic abc", "Bearer"):
        with pytest.raises(Unauthenticated, match="bearer token is required"):
            await authenticator().actor_for(header)


async def test_bootstrap_key_is_admin() -> None:
    assert await authenticator().actor_for("Bearer boot-secret") == BOOTSTRAP


async def test_api_key_valid_revoked_and_expired() -> None:
    good, revoked, expired = new_api_key(), new_api_key(), new_api_key()
    past = NativeTime(datetime.now(UTC) - timedelta(seconds=1))
    auth = authenticator(
        {hash_key(good): {}, hash_key(revoked): {"revoked_at": past}, hash_key(expired): {"expires_at": past}}
    )
    assert await auth.actor_for(f"Bearer {good}") == ALICE
    with pytest.raises(Unauthenticated, match="revoked"):
        await auth.actor_for(f"Bearer {revoked}")
    with pytest.raises(Unauthenticated, match="expired"):
        await auth.actor_for(f"Bearer {expired}")
    with pytest.raises(Unauthenticated, match="API key not recognised"):
        await auth.actor_for(f"Bearer {new_api_key()}")


async def test_jwt_signed_with_the_configured_key_is_accepted(rsa_key: tuple[Any, Path]) -> None:
    key, pem = rsa_key
    token = jwt.encode(claims(), key, algorithm="RS256")
    assert await authenticator(pem=pem).actor_for(f"Bearer {token}") == ALICE


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"exp": datetime.now(UTC) - timedelta(seconds=5)}, "Signature has expired"),
        ({"aud": "someone-else"}, "Audience doesn't match"),
        ({"iss": "evil"}, "Invalid issuer"),
        ({"sub": "mallory"}, "not a registered principal"),
    ],
)
async def test_jwt_claims_are_checked(rsa_key: tuple[Any, Path], overrides: dict[str, Any], message: str) -> None:
    key, pem = rsa_key
    token = jwt.encode(claims(**overrides), key, algorithm="RS256")
    with pytest.raises(Unauthenticated, match=message):
        await authenticator(pem=pem).actor_for(f"Bearer {token}")


async def test_alg_none_and_key_confusion_are_refused(rsa_key: tuple[Any, Path]) -> None:
    _, pem = rsa_key
    unsigned = jwt.encode(claims(), key="", algorithm="none")
    with pytest.raises(Unauthenticated, match="JWT rejected"):
        await authenticator(pem=pem).actor_for(f"Bearer {unsigned}")
    # HS256 "signed" with the public key as the HMAC secret: the classic key-confusion forgery.
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT"}')
    body = jwt.utils.base64url_encode(
        json.dumps({k: (int(v.timestamp()) if isinstance(v, datetime) else v) for k, v in claims().items()}).encode()
    )
    signature = hmac.new(pem.read_bytes(), header + b"." + body, hashlib.sha256).digest()
    forged = (header + b"." + body + b"." + jwt.utils.base64url_encode(signature)).decode()
    with pytest.raises(Unauthenticated, match="JWT rejected"):
        await authenticator(pem=pem).actor_for(f"Bearer {forged}")


async def test_jwt_without_configured_key_is_refused() -> None:
    with pytest.raises(Unauthenticated, match="no verification key is configured"):
        await authenticator().actor_for("Bearer a.b.c")
