"""The artifact store against the real S3 of the test stack: content addressing, encryption,
integrity on read, and real credential checks."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import AsyncIterator, Callable
from functools import partial

import anyio
import pytest
from minio import Minio
from minio.error import S3Error

from app.artifacts.store import ArtifactStore, content_key
from app.config import Settings
from app.errors import DependencyUnavailable, IntegrityError, NotFound, ValidationFailed

pytestmark = pytest.mark.integration


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def unique_bytes(size: int = 4096) -> bytes:
    return b"modelgraph-test-artifact\n" + os.urandom(size)


def raw_client(settings: Settings, secret_key: str | None = None) -> Minio:
    return Minio(
        settings.s3_endpoint,
        access_key=settings.s3_access_key,
        secret_key=secret_key or settings.s3_secret_key.get_secret_value(),
        secure=settings.s3_secure,
        region=settings.s3_region,
    )


class Blobs:
    """Raw access to the bucket (what an attacker with bucket access could do) plus cleanup."""

    def __init__(self, settings: Settings) -> None:
        self.client = raw_client(settings)
        self.bucket = settings.s3_bucket
        self.keys: set[str] = set()

    async def read(self, key: str) -> bytes:
        def go() -> bytes:
            response = self.client.get_object(bucket_name=self.bucket, object_name=key)
            try:
                return bytes(response.read())
            finally:
                response.close()
                response.release_conn()

        return await anyio.to_thread.run_sync(go)

    async def write(self, key: str, blob: bytes) -> None:
        self.keys.add(key)
        await anyio.to_thread.run_sync(
            lambda: self.client.put_object(
                bucket_name=self.bucket, object_name=key, data=io.BytesIO(blob), length=len(blob)
            )
        )

    async def remove_all(self) -> None:
        for key in self.keys:
            await anyio.to_thread.run_sync(partial(self.client.remove_object, bucket_name=self.bucket, object_name=key))


@pytest.fixture
async def blobs(settings: Settings) -> AsyncIterator[Blobs]:
    b = Blobs(settings)
    try:
        yield b
    finally:
        await b.remove_all()


@pytest.fixture
def store(settings: Settings, blobs: Blobs) -> ArtifactStore:
    return ArtifactStore.from_settings(settings)


async def put(store: ArtifactStore, blobs: Blobs, data: bytes) -> str:
    stored = await store.put(data)
    blobs.keys.add(stored.key)
    return stored.digest


async def test_put_exists_get_round_trip(store: ArtifactStore, blobs: Blobs) -> None:
    data = unique_bytes()
    digest = digest_of(data)
    assert await store.exists(digest) is False

    stored = await store.put(data, expected_digest=digest)
    blobs.keys.add(stored.key)

    assert stored.digest == digest
    assert stored.size == len(data)
    assert stored.key == content_key(digest)
    assert stored.key == f"blobs/sha256/{digest[7:9]}/{digest[7:]}"
    assert await store.exists(digest) is True
    assert await store.get(digest) == data


async def test_putting_the_same_bytes_twice_is_harmless(store: ArtifactStore, blobs: Blobs) -> None:
    data = unique_bytes(100)
    first = await store.put(data)
    blobs.keys.add(first.key)

    second = await store.put(data)

    assert second.key == first.key
    assert await store.get(first.digest) == data


async def test_bytes_are_encrypted_at_rest(store: ArtifactStore, blobs: Blobs) -> None:
    data = b"plaintext-marker " * 64
    digest = await put(store, blobs, data)

    raw = await blobs.read(content_key(digest))

    assert b"plaintext-marker" not in raw
    assert len(raw) > len(data)  # nonce and authentication tag


async def test_tampered_object_is_refused_on_read(store: ArtifactStore, blobs: Blobs) -> None:
    data = unique_bytes()
    digest = await put(store, blobs, data)
    key = content_key(digest)
    raw = bytearray(await blobs.read(key))
    raw[len(raw) // 2] ^= 0x01  # one flipped bit in the ciphertext
    await blobs.write(key, bytes(raw))

    with pytest.raises(IntegrityError) as info:
        await store.get(digest)

    assert info.value.code == "INTEGRITY_ERROR"
    assert info.value.message == (f"artifact {digest} failed authentication: stored bytes were altered")


async def test_swapped_object_is_refused_on_read(store: ArtifactStore, blobs: Blobs) -> None:
    """A valid blob of another artifact copied over this one is still detected."""
    a, b = unique_bytes(), unique_bytes()
    digest_a = await put(store, blobs, a)
    digest_b = await put(store, blobs, b)
    await blobs.write(content_key(digest_a), await blobs.read(content_key(digest_b)))

    with pytest.raises(IntegrityError, match="failed authentication"):
        await store.get(digest_a)


async def test_wrong_encryption_key_cannot_read(settings: Settings, store: ArtifactStore, blobs: Blobs) -> None:
    digest = await put(store, blobs, unique_bytes())
    other = ArtifactStore(raw_client(settings), settings.s3_bucket, "00" * 32)

    with pytest.raises(IntegrityError, match="failed authentication"):
        await other.get(digest)


async def test_declared_digest_mismatch_is_refused_and_nothing_is_stored(
    store: ArtifactStore,
) -> None:
    data = unique_bytes()
    claimed = "sha256:" + "0" * 64

    with pytest.raises(IntegrityError) as info:
        await store.put(data, expected_digest=claimed)

    assert info.value.code == "INTEGRITY_ERROR"
    assert info.value.message == (f"content digest {digest_of(data)} does not match the declared {claimed}")
    assert await store.exists(digest_of(data)) is False


async def test_unknown_digest_is_not_found(store: ArtifactStore) -> None:
    digest = digest_of(unique_bytes())

    assert await store.exists(digest) is False
    with pytest.raises(NotFound) as info:
        await store.get(digest)

    assert info.value.code == "NOT_FOUND"
    assert info.value.message == "artifact bytes not found in the object store"


@pytest.mark.parametrize(
    "digest",
    ["sha256:" + "A" * 64, "md5:" + "0" * 32, "sha256:../../etc/passwd", "sha256:" + "0" * 63],
)
async def test_malformed_digest_never_becomes_a_key(store: ArtifactStore, digest: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        await store.get(digest)

    assert info.value.code == "VALIDATION_FAILED"
    assert info.value.field == "digest"
    assert info.value.message == "digest must look like sha256:<64 lowercase hex>"


async def test_ping_answers(store: ArtifactStore) -> None:
    await store.ping()


@pytest.mark.parametrize(
    "call",
    [
        lambda c, bucket: c.bucket_exists(bucket_name=bucket),
        lambda c, bucket: c.put_object(
            bucket_name=bucket, object_name="mgtest/denied", data=io.BytesIO(b"x"), length=1
        ),
    ],
    ids=["head-bucket", "put-object"],
)
def test_wrong_secret_is_refused_by_the_object_store(settings: Settings, call: Callable[[Minio, str], object]) -> None:
    client = raw_client(settings, secret_key="definitely-not-the-secret")

    with pytest.raises(S3Error) as info:
        call(client, settings.s3_bucket)

    assert info.value.code in ("SignatureDoesNotMatch", "AccessDenied")


async def test_wrong_secret_surfaces_as_dependency_unavailable(settings: Settings) -> None:
    store = ArtifactStore(
        raw_client(settings, secret_key="definitely-not-the-secret"),
        settings.s3_bucket,
        settings.artifact_key.get_secret_value(),
    )

    with pytest.raises(DependencyUnavailable) as put_info:
        await store.put(unique_bytes(10))
    with pytest.raises(DependencyUnavailable) as ping_info:
        await store.ping()

    assert put_info.value.code == "DEPENDENCY_UNAVAILABLE"
    assert put_info.value.message == "s3 error: SignatureDoesNotMatch"
    assert ping_info.value.message == "s3 refused the request: AccessDenied"
