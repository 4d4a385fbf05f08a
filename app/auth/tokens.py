"""Resolve a bearer token into an Actor, or refuse with Unauthenticated."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt

from app.cache import TtlCache
from app.config import Settings
from app.errors import Unauthenticated
from app.graph.principals import PrincipalStore
from app.registry.actor import Actor

API_KEY_PREFIX = "mgk_"
# Asymmetric only: HS* would let anyone holding the public key mint tokens (key confusion), and "none" is no signature.
JWT_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]
BOOTSTRAP = Actor(id="bootstrap-admin", name="bootstrap-admin", kind="service", roles=("admin",))


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """Keys are 256-bit random, so one SHA-256 is enough (no password stretching needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


class Authenticator:
    """`cache` holds what a key lookup found (principal and key record, or the JWT subject's
    principal) for a few seconds; expiry is still checked on every request."""

    def __init__(self, settings: Settings, store: PrincipalStore, cache: TtlCache[str, Any] | None = None) -> None:
        self.settings = settings
        self.store = store
        self.cache: TtlCache[str, Any] = cache if cache is not None else TtlCache(settings.principal_cache_seconds)
        self._jwt_key = self._load_jwt_key()

    async def actor_for(self, authorization: str | None) -> Actor:
        if not authorization or not authorization.startswith("Bearer "):
            raise Unauthenticated("a bearer token is required (Authorization: Bearer <key>)")
        token = authorization.removeprefix("Bearer ").strip()
        bootstrap = self.settings.bootstrap_admin_key.get_secret_value()
        if bootstrap and hmac.compare_digest(token.encode(), bootstrap.encode()):
            return BOOTSTRAP
        if token.startswith(API_KEY_PREFIX):
            return await self._api_key(token)
        if token.count(".") == 2:
            return await self._jwt(token)
        raise Unauthenticated("token not recognised")

    async def _api_key(self, token: str) -> Actor:
        key_hash = hash_key(token)
        found = self.cache.get(key_hash)
        if found is None:
            found = await self.store.by_key_hash(key_hash)
            if found is None:
                raise Unauthenticated("API key not recognised")
            self.cache.put(key_hash, found)
        actor, key = found
        if key.get("revoked_at") is not None:
            raise Unauthenticated("API key was revoked")
        expires = key.get("expires_at")
        if expires is not None and expires.to_native() <= datetime.now(UTC):
            raise Unauthenticated("API key expired")
        return actor

    async def _jwt(self, token: str) -> Actor:
        if self._jwt_key is None:
            raise Unauthenticated("JWTs are not accepted: no verification key is configured")
        try:
            claims = jwt.decode(
                token,
                key=self._key_for(token),
                algorithms=JWT_ALGORITHMS,
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"JWT rejected: {exc}") from None
        subject = str(claims["sub"])
        actor = self.cache.get("sub:" + subject)
        if actor is None:
            actor = await self.store.by_name(subject)
            if actor is None:
                raise Unauthenticated(f"JWT subject {subject!r} is not a registered principal")
            self.cache.put("sub:" + subject, actor)
        return actor

    def _key_for(self, token: str) -> Any:
        if isinstance(self._jwt_key, dict):
            kid = jwt.get_unverified_header(token).get("kid")
            if kid not in self._jwt_key:
                raise jwt.InvalidKeyError("unknown key id")
            return self._jwt_key[kid]
        return self._jwt_key

    def _load_jwt_key(self) -> Any:
        if self.settings.jwt_public_key_file:
            return Path(self.settings.jwt_public_key_file).read_text(encoding="utf-8")
        if self.settings.jwt_jwks_file:
            jwks = json.loads(Path(self.settings.jwt_jwks_file).read_text(encoding="utf-8"))
            return {k["kid"]: jwt.PyJWK(k).key for k in jwks.get("keys", []) if "kid" in k}
        return None
