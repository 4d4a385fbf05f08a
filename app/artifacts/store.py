"""S3 access through the (synchronous) minio SDK, always called off the event loop.

Keys are generated here from the content digest; no client-supplied path or URI ever becomes
a storage location.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass
from typing import Any

import anyio
import urllib3
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from minio import Minio
from minio.error import S3Error

from app.config import Settings
from app.errors import DependencyUnavailable, IntegrityError, NotFound, ValidationFailed

DIGEST_PATTERN = re.compile(r"sha256:[0-9a-f]{64}")
NONCE_BYTES = 12
MAX_ARTIFACT_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class StoredArtifact:
    digest: str  # "sha256:<hex>" of the plaintext
    key: str  # where the ciphertext lives in the bucket
    size: int


KEY_PATTERN = re.compile(r"^blobs/sha256/[0-9a-f]{2}/[0-9a-f]{64}$")


def _checked_key(key: str) -> str:
    """Only keys this store generates are read or written (never a path from a backup file)."""
    if not KEY_PATTERN.match(key):
        raise ValidationFailed(f"not an artifact key: {key!r}", field="key")
    return key


def content_key(digest: str) -> str:
    """Server-generated storage key for a digest (fan-out by the first two hex chars)."""
    if not DIGEST_PATTERN.fullmatch(digest):
        raise ValidationFailed("digest must look like sha256:<64 lowercase hex>", field="digest")
    hexpart = digest.removeprefix("sha256:")
    return f"blobs/sha256/{hexpart[:2]}/{hexpart}"


class ArtifactStore:
    """Put/get artifact bytes; AES-256-GCM with the digest as associated data."""

    def __init__(self, client: Minio, bucket: str, key_hex: str) -> None:
        self._client = client
        self._bucket = bucket
        self._aead = AESGCM(bytes.fromhex(key_hex))

    @classmethod
    def from_settings(cls, settings: Settings) -> ArtifactStore:
        # minio's default pool retries 5 times with backoff, so an unreachable store looked like
        # a 5 s hang to /readyz; fail fast instead (the caller decides about retrying).
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=3, read=60),
            retries=urllib3.Retry(total=1, backoff_factor=0.2, status_forcelist=[502, 503, 504]),
            maxsize=20,
        )
        client = Minio(
            settings.s3_endpoint,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key.get_secret_value(),
            secure=settings.s3_secure,
            region=settings.s3_region,
            http_client=http,
        )
        return cls(client, settings.s3_bucket, settings.artifact_key.get_secret_value())

    async def ping(self) -> None:
        """An authenticated call that proves the bucket is reachable."""
        try:
            exists = await anyio.to_thread.run_sync(lambda: self._client.bucket_exists(bucket_name=self._bucket))
        except S3Error as exc:
            raise DependencyUnavailable(f"s3 refused the request: {exc.code}") from None
        except Exception as exc:
            raise DependencyUnavailable(f"s3 unavailable: {type(exc).__name__}") from None
        if not exists:
            raise DependencyUnavailable(f"s3 bucket {self._bucket} does not exist")

    async def put(self, data: bytes, expected_digest: str | None = None) -> StoredArtifact:
        """Store bytes under their digest; refuse when they do not match what the caller claims."""
        if len(data) > MAX_ARTIFACT_BYTES:
            raise ValidationFailed(f"artifact is larger than {MAX_ARTIFACT_BYTES} bytes", field="content")
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if expected_digest is not None and expected_digest != digest:
            raise IntegrityError(f"content digest {digest} does not match the declared {expected_digest}")
        key = content_key(digest)
        nonce = os.urandom(NONCE_BYTES)
        blob = nonce + self._aead.encrypt(nonce, data, digest.encode())
        await self._call(
            lambda: self._client.put_object(
                bucket_name=self._bucket,
                object_name=key,
                data=io.BytesIO(blob),
                length=len(blob),
                content_type="application/octet-stream",
            )
        )
        return StoredArtifact(digest=digest, key=key, size=len(data))

    async def get(self, digest: str) -> bytes:
        """Read, decrypt and verify; a tampered or swapped object is an IntegrityError."""
        key = content_key(digest)

        def read() -> bytes:
            response = self._client.get_object(bucket_name=self._bucket, object_name=key)
            try:
                return bytes(response.read())
            finally:
                response.close()
                response.release_conn()

        blob = await self._call(read)
        try:
            data = self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], digest.encode())
        except Exception:
            raise IntegrityError(f"artifact {digest} failed authentication: stored bytes were altered") from None
        if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
            raise IntegrityError(f"artifact {digest} does not match its digest")
        return data

    async def exists(self, digest: str) -> bool:
        key = content_key(digest)
        try:
            await anyio.to_thread.run_sync(lambda: self._client.stat_object(bucket_name=self._bucket, object_name=key))
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound"):
                return False
            raise DependencyUnavailable(f"s3 error: {exc.code}") from None
        except Exception as exc:
            raise DependencyUnavailable(f"s3 unavailable: {type(exc).__name__}") from None
        return True

    async def object_exists(self, bucket: str, key: str) -> bool:
        """Whether any object exists in a bucket of this store (a dataset source, say): HEAD only."""
        try:
            await anyio.to_thread.run_sync(lambda: self._client.stat_object(bucket_name=bucket, object_name=key))
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound", "NoSuchBucket"):
                return False
            raise DependencyUnavailable(f"s3 error: {exc.code}") from None
        except Exception as exc:
            raise DependencyUnavailable(f"s3 unavailable: {type(exc).__name__}") from None
        return True

    # -- backup and restore: ciphertext moves as it is stored; the key never leaves the service --
    async def keys(self) -> list[str]:
        """Every stored artifact object's key."""
        listing = await self._call(
            lambda: [o.object_name for o in self._client.list_objects(bucket_name=self._bucket, recursive=True)]
        )
        return sorted(str(k) for k in listing if KEY_PATTERN.match(str(k)))

    async def get_stored(self, key: str) -> bytes:
        """The object exactly as stored (nonce + ciphertext), for a backup."""

        def read() -> bytes:
            response = self._client.get_object(bucket_name=self._bucket, object_name=_checked_key(key))
            try:
                return bytes(response.read())
            finally:
                response.close()
                response.release_conn()

        result: bytes = await self._call(read)
        return result

    async def put_stored(self, key: str, blob: bytes) -> None:
        """Put back an object taken by get_stored (restore); get() still verifies it on read."""
        await self._call(
            lambda: self._client.put_object(
                bucket_name=self._bucket,
                object_name=_checked_key(key),
                data=io.BytesIO(blob),
                length=len(blob),
                content_type="application/octet-stream",
            )
        )

    async def _call(self, fn: Any) -> Any:
        try:
            return await anyio.to_thread.run_sync(fn)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject"):
                raise NotFound("artifact bytes not found in the object store") from None
            raise DependencyUnavailable(f"s3 error: {exc.code}") from None
        except (IntegrityError, NotFound):
            raise
        except Exception as exc:
            raise DependencyUnavailable(f"s3 unavailable: {type(exc).__name__}") from None
