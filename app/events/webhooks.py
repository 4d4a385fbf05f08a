"""What makes a webhook safe to send: the SSRF guard, Standard Webhooks signatures, sealed secrets.

- SSRF: only http(s) without credentials in the URL; every address the host resolves to must be
  public (not loopback, private, link-local, CGNAT, multicast, reserved or a cloud metadata
  address) unless the operator's allow-list (`MODELGRAPH_WEBHOOK_ALLOW_HOSTS`: host names or CIDR
  ranges) names it. The request then goes to the checked address itself (the Host header and TLS
  SNI keep the name), so a DNS answer that changes between check and connect cannot redirect it.
  Redirects are never followed.
- Signatures follow the Standard Webhooks convention: headers `webhook-id`, `webhook-timestamp`
  and `webhook-signature: v1,<base64 HMAC-SHA256 over "id.timestamp.body">`, keyed by the
  subscription's `whsec_<base64>` secret.
- Secrets are stored sealed (AES-256-GCM under `MODELGRAPH_ARTIFACT_KEY`), never in clear.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import ipaddress
import os
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.domain import validation as v
from app.errors import ValidationFailed

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format prefix, not a secret
SEAL_AAD = b"modelgraph webhook secret v1"
# Addresses that are never "public" although ipaddress may not call them private.
METADATA = (
    ipaddress.ip_network("169.254.169.254/32"),  # AWS, GCP, Azure, OpenStack metadata
    ipaddress.ip_network("100.100.100.200/32"),  # Alibaba Cloud metadata
    ipaddress.ip_network("fd00:ec2::254/128"),  # AWS metadata over IPv6
    ipaddress.ip_network("100.64.0.0/10"),  # carrier-grade NAT (shared address space)
)
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Blocked(Exception):
    """The URL may not be called; the message says why (stored with the delivery)."""


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (an address) and what to call it (Host, SNI)."""

    url: str
    scheme: str
    host: str
    port: int
    address: str

    def connect_url(self) -> str:
        """The URL with the host replaced by the checked address."""
        parts = urlsplit(self.url)
        host = f"[{self.address}]" if ":" in self.address else self.address
        return parts._replace(netloc=f"{host}:{self.port}").geturl()

    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"


def check_url(url: str, field: str = "url") -> tuple[str, str, int]:
    """Scheme, host and port of a webhook URL, or ValidationFailed."""
    if not isinstance(url, str) or len(url) > 2048:
        raise v.fail(field, "must be an http(s) URL of at most 2048 characters")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise v.fail(field, "must use http or https")
    if parts.username is not None or parts.password is not None:
        raise v.fail(field, "must not carry credentials (use the signing secret)")
    if not parts.hostname:
        raise v.fail(field, "must name a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise v.fail(field, "has an invalid port") from None
    return parts.scheme, parts.hostname.lower().rstrip("."), port


def forbidden(address: IPAddress) -> str | None:
    """Why an address is not public, or None."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return forbidden(address.ipv4_mapped)
    for network in METADATA:
        if address.version == network.version and address in network:
            return "a metadata or shared address"
    for name in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{name}"):
            return f"a {name.replace('_', '-')} address"
    if not address.is_global:
        return "not a public address"
    return None


def allowed(host: str, address: IPAddress, allow: list[str]) -> bool:
    for entry in allow:
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry == host:
            return True
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


async def resolve(url: str, allow: list[str]) -> Target:
    """Resolve and check a webhook URL; Blocked when no permitted address is left."""
    try:
        scheme, host, port = check_url(url)
    except ValidationFailed as exc:
        raise Blocked(exc.message) from None
    try:
        literal: IPAddress | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(5):  # not wait_for, which can lose a cancellation on 3.11
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except (OSError, TimeoutError):
            raise Blocked(f"{host} does not resolve") from None
        addresses = list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos))
    if not addresses:
        raise Blocked(f"{host} does not resolve")
    for address in addresses:
        why = forbidden(address)
        if why is not None and not allowed(host, address, allow):
            # One bad answer blocks the host: a name with one public and one private address is
            # exactly what a rebinding attack looks like.
            raise Blocked(f"{host} resolves to {address}, {why} (not in MODELGRAPH_WEBHOOK_ALLOW_HOSTS)")
    return Target(url=url.strip(), scheme=scheme, host=host, port=port, address=str(addresses[0]))


# ---- signatures ------------------------------------------------------------------------------
def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_<base64>` secret."""
    if not secret.startswith(SECRET_PREFIX):
        raise v.fail("secret", f"must start with {SECRET_PREFIX} followed by base64")
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except ValueError:
        raise v.fail("secret", f"must start with {SECRET_PREFIX} followed by base64") from None
    if not 24 <= len(key) <= 64:
        raise v.fail("secret", "must hold 24 to 64 bytes")
    return key


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value (Standard Webhooks, scheme v1)."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does (tests use it): any v1 signature in the header matches."""
    expected = sign(secret, headers["webhook-id"], int(headers["webhook-timestamp"]), body).split(",", 1)[1]
    for candidate in headers.get("webhook-signature", "").split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False


# ---- sealed secrets --------------------------------------------------------------------------
def seal(key_hex: str, secret: str) -> str:
    nonce = os.urandom(12)
    return (nonce + AESGCM(bytes.fromhex(key_hex)).encrypt(nonce, secret.encode(), SEAL_AAD)).hex()


def unseal(key_hex: str, sealed: str) -> str:
    raw = bytes.fromhex(sealed)
    return AESGCM(bytes.fromhex(key_hex)).decrypt(raw[:12], raw[12:], SEAL_AAD).decode()
