"""S3 access through the (synchronous) minio SDK, always called off the event loop.

Keys are generated here from the content digest; no client-supplied path or URI ever becomes
a storage location.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, cast

import anyio
import urllib3
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from minio import Minio
from minio.error import S3Error

from app.artifacts.chunked import Manifest, Opener, Sealer, is_manifest
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


# Content keys (format 1 objects and format 2 manifests) and format 2 chunk objects.
KEY_PATTERN = re.compile(r"^(blobs/sha256/[0-9a-f]{2}/[0-9a-f]{64}|blobs/chunked/[0-9a-f]{32})$")
CHUNKED_PREFIX = "blobs/chunked/"
# Multipart parts of a streamed upload: one part is the most the service holds of an upload.
PART_SIZE = 8 * 1024 * 1024


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
    """Put/get artifact bytes, AES-256-GCM sealed: format 1 (one object, the digest as associated
    data) for small in-memory puts, format 2 (chunked, app/artifacts/chunked.py) for streams; both
    are read."""

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
        """Store bytes already in memory (format 1: one sealed object) under their digest; refuse
        when they do not match what the caller claims. For small artifacts such as directory
        manifests; uploads stream through `put_stream`."""
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

    async def put_stream(self, source: AsyncIterator[bytes], expected_digest: str | None = None) -> StoredArtifact:
        """Store bytes as they arrive (format 2): sealed chunk by chunk into a multipart upload, the
        digest computed on the way; never more than one part in memory. The same bytes stored twice
        keep one copy (the second upload's chunks are removed). A body that does not match the
        declared digest is removed and refused."""
        sealer = Sealer(self._aead)
        data_key = f"{CHUNKED_PREFIX}{sealer.file_id.hex()}"
        reader = _SealingReader(source, sealer)
        try:
            await self._call(
                lambda: self._client.put_object(
                    bucket_name=self._bucket,
                    object_name=data_key,
                    data=cast(BinaryIO, reader),
                    length=-1,
                    part_size=PART_SIZE,
                    num_parallel_uploads=1,
                    content_type="application/octet-stream",
                )
            )
        except DependencyUnavailable:
            if reader.error is not None:  # the body failed (too large, client gone): say that
                raise reader.error from None
            raise
        digest = sealer.digest
        key = content_key(digest)
        try:
            if expected_digest is not None and expected_digest != digest:
                raise IntegrityError(f"content digest {digest} does not match the declared {expected_digest}")
            if not await self.exists(digest):
                blob = sealer.manifest(data_key).seal(self._aead, digest)
                await self._put_blob(key, blob)
                if await self.data_key_of(digest) == data_key:
                    return StoredArtifact(digest=digest, key=key, size=sealer.size)
                # The same bytes uploaded at the same time wrote the manifest last: theirs is the copy.
        except BaseException:
            await self._remove(data_key)
            raise
        await self._remove(data_key)
        return StoredArtifact(digest=digest, key=key, size=sealer.size)

    async def data_key_of(self, digest: str) -> str | None:
        """The chunk object a format 2 artifact's manifest points to (None for format 1)."""
        manifest = await self._manifest(digest)
        return manifest.data_key if manifest else None

    async def chunk_objects(self) -> list[tuple[str, datetime]]:
        """Every format 2 chunk object and when it was written (for the orphan sweep)."""
        listing = await self._call(
            lambda: [
                (str(o.object_name), o.last_modified)
                for o in self._client.list_objects(bucket_name=self._bucket, prefix=CHUNKED_PREFIX, recursive=True)
            ]
        )
        return [(k, at) for k, at in listing if KEY_PATTERN.match(k) and at is not None]

    async def remove_chunk_object(self, key: str) -> None:
        if not key.startswith(CHUNKED_PREFIX):
            raise ValidationFailed(f"not a chunk object: {key!r}", field="key")
        await self._remove(_checked_key(key))

    async def size(self, digest: str) -> int:
        """The plaintext size of a stored artifact (format 1 or 2), from what is stored."""
        key = content_key(digest)
        head = await self._call(lambda: self._read_range(key, 0, 4))
        if is_manifest(head):
            manifest = await self._manifest(digest)
            if manifest is not None:
                return manifest.size
        stat = await self._call(lambda: self._client.stat_object(bucket_name=self._bucket, object_name=key))
        return int(stat.size) - NONCE_BYTES - 16

    async def open(self, digest: str) -> tuple[int, AsyncIterator[bytes]]:
        """The artifact's size and its bytes as a stream of verified pieces. What can be checked
        before the first byte is (the object exists, its manifest authenticates); a chunk that fails
        later ends the stream with an IntegrityError before its bytes are given out."""
        manifest = await self._manifest(digest)
        if manifest is None:
            data = await self.get(digest)
            return len(data), _once(data)
        return manifest.size, self._stream(manifest, digest)

    async def _stream(self, manifest: Manifest, digest: str) -> AsyncIterator[bytes]:
        opener = Opener(self._aead, manifest, digest)
        response = await self._call(
            lambda: self._client.get_object(bucket_name=self._bucket, object_name=_checked_key(manifest.data_key))
        )
        pieces: Iterator[bytes] = response.stream(1024 * 1024)
        try:
            while True:
                piece = await self._call(lambda: next(pieces, b""))
                if not piece:
                    break
                for plain in opener.feed(piece):
                    yield plain
            yield opener.close()
        finally:
            response.close()
            response.release_conn()

    async def _manifest(self, digest: str) -> Manifest | None:
        """The format 2 manifest under this digest's key; None for a format 1 object."""
        key = content_key(digest)
        blob = await self._call(lambda: self._read_all(key))
        if not is_manifest(blob):
            return None
        try:
            return Manifest.open(self._aead, digest, blob)
        except IntegrityError:
            # A format 1 object whose random nonce happens to start like a manifest reads as format 1.
            self._decrypt_v1(blob, digest)
            return None

    def _read_all(self, key: str) -> bytes:
        response = self._client.get_object(bucket_name=self._bucket, object_name=key)
        try:
            return bytes(response.read())
        finally:
            response.close()
            response.release_conn()

    def _read_range(self, key: str, offset: int, length: int) -> bytes:
        response = self._client.get_object(bucket_name=self._bucket, object_name=key, offset=offset, length=length)
        try:
            return bytes(response.read())
        finally:
            response.close()
            response.release_conn()

    async def _put_blob(self, key: str, blob: bytes) -> None:
        await self._call(
            lambda: self._client.put_object(
                bucket_name=self._bucket,
                object_name=key,
                data=io.BytesIO(blob),
                length=len(blob),
                content_type="application/octet-stream",
            )
        )

    async def _remove(self, key: str) -> None:
        await self._call(lambda: self._client.remove_object(bucket_name=self._bucket, object_name=key))

    def _decrypt_v1(self, blob: bytes, digest: str) -> bytes:
        try:
            data = self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], digest.encode())
        except Exception:
            raise IntegrityError(f"artifact {digest} failed authentication: stored bytes were altered") from None
        if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
            raise IntegrityError(f"artifact {digest} does not match its digest")
        return bytes(data)

    async def get(self, digest: str) -> bytes:
        """Read, decrypt and verify a format 1 object (whole, in memory); a tampered or swapped
        object is an IntegrityError. Format 2 artifacts are read with `open`."""
        key = content_key(digest)

        def read() -> bytes:
            response = self._client.get_object(bucket_name=self._bucket, object_name=key)
            try:
                return bytes(response.read())
            finally:
                response.close()
                response.release_conn()

        blob = await self._call(read)
        if is_manifest(blob):
            manifest = await self._manifest(digest)
            if manifest is not None:
                return b"".join([piece async for piece in self._stream(manifest, digest)])
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

    async def save_stored(self, key: str, path: Path) -> None:
        """Write the object exactly as stored (sealed) to a file, streamed: for a backup."""
        await self._call(
            lambda: self._client.fget_object(
                bucket_name=self._bucket, object_name=_checked_key(key), file_path=str(path)
            )
        )

    async def load_stored(self, key: str, path: Path) -> None:
        """Put back an object saved by save_stored (restore), streamed; reads still verify it."""
        await self._call(
            lambda: self._client.fput_object(
                bucket_name=self._bucket,
                object_name=_checked_key(key),
                file_path=str(path),
                part_size=PART_SIZE,
                num_parallel_uploads=1,
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


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


class _SealingReader:
    """A file-like view (read(n), called by minio in a worker thread) of an async byte source,
    sealed on the way; pulls from the event loop one piece at a time."""

    def __init__(self, source: AsyncIterator[bytes], sealer: Sealer) -> None:
        self._source = source
        self._sealer = sealer
        self._out = bytearray()
        self._done = False
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._out) < size):
            try:
                piece = anyio.from_thread.run(self._next)
            except BaseException as exc:
                self.error = exc
                raise
            if piece is None:
                self._out += self._sealer.finish()
                self._done = True
            else:
                for sealed in self._sealer.feed(piece):
                    self._out += sealed
        take = len(self._out) if size < 0 else min(size, len(self._out))
        chunk = bytes(self._out[:take])
        del self._out[:take]
        return chunk

    async def _next(self) -> bytes | None:
        try:
            return await self._source.__anext__()
        except StopAsyncIteration:
            return None
