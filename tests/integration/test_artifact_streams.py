"""Streamed artifacts (format 2) against the real S3 of the test stack: sealed chunk by chunk into a
multipart upload, read back as a verified stream, deduplicated by content, tampering and truncation
detected; format 1 objects still read."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator

import pytest

from app.artifacts import chunked
from app.artifacts.store import PART_SIZE, ArtifactStore, content_key
from app.config import Settings
from app.errors import IntegrityError
from tests.integration.test_artifact_store import Blobs, blobs, digest_of, raw_client, unique_bytes

pytestmark = pytest.mark.integration
__all__ = ["blobs"]  # the fixture, imported for these tests


async def pieces(data: bytes, size: int = 65_536) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def read_all(store: ArtifactStore, digest: str) -> bytes:
    _, stream = await store.open(digest)
    return b"".join([piece async for piece in stream])


def chunk_objects(settings: Settings) -> set[str]:
    listing = raw_client(settings).list_objects(bucket_name=settings.s3_bucket, prefix="blobs/chunked/", recursive=True)
    return {str(o.object_name) for o in listing}


@pytest.fixture
def store(settings: Settings) -> ArtifactStore:
    return ArtifactStore.from_settings(settings)


async def test_a_stream_larger_than_a_part_round_trips(store: ArtifactStore, blobs: Blobs, settings: Settings) -> None:
    data = os.urandom(PART_SIZE + 3 * chunked.CHUNK_SIZE + 12_345)  # a multipart upload of two parts
    before = chunk_objects(settings)
    stored = await store.put_stream(pieces(data), expected_digest=digest_of(data))
    blobs.keys.add(stored.key)
    [data_key] = chunk_objects(settings) - before
    blobs.keys.add(data_key)
    assert (stored.digest, stored.size) == (digest_of(data), len(data))
    size, stream = await store.open(stored.digest)
    assert size == len(data)
    digest = hashlib.sha256()
    async for piece in stream:
        assert len(piece) <= chunked.CHUNK_SIZE  # given out chunk by chunk, never whole
        digest.update(piece)
    assert "sha256:" + digest.hexdigest() == stored.digest
    assert await store.size(stored.digest) == len(data)
    sealed = await blobs.read(data_key)
    assert data[:4096] not in sealed and len(sealed) > len(data)  # encrypted, with nonces and tags


async def test_the_same_bytes_streamed_twice_keep_one_copy(
    store: ArtifactStore, blobs: Blobs, settings: Settings
) -> None:
    data = unique_bytes(2 * chunked.CHUNK_SIZE)
    before = chunk_objects(settings)
    first = await store.put_stream(pieces(data))
    second = await store.put_stream(pieces(data, 1000))
    added = chunk_objects(settings) - before
    blobs.keys.update({first.key, *added})
    assert first.digest == second.digest and len(added) == 1
    assert await read_all(store, first.digest) == data


async def test_a_declared_digest_that_differs_stores_nothing(store: ArtifactStore, settings: Settings) -> None:
    data = unique_bytes()
    before = chunk_objects(settings)
    with pytest.raises(IntegrityError, match="does not match the declared"):
        await store.put_stream(pieces(data), expected_digest="sha256:" + "0" * 64)
    assert await store.exists(digest_of(data)) is False
    assert chunk_objects(settings) == before


async def test_tampered_reordered_or_truncated_chunks_are_refused(
    store: ArtifactStore, blobs: Blobs, settings: Settings
) -> None:
    data = unique_bytes(3 * chunked.CHUNK_SIZE)
    before = chunk_objects(settings)
    stored = await store.put_stream(pieces(data))
    [data_key] = chunk_objects(settings) - before
    blobs.keys.update({stored.key, data_key})
    sealed = await blobs.read(data_key)
    one = chunked.SEALED_CHUNK
    flipped = bytearray(sealed)
    flipped[one + 100] ^= 0x01
    swapped = sealed[one : 2 * one] + sealed[:one] + sealed[2 * one :]
    for altered, message in (
        (bytes(flipped), "failed authentication"),
        (swapped, "failed authentication"),
        (sealed[: 3 * one], "incomplete"),  # the last chunk dropped
        (sealed[:-5], "failed authentication"),  # the last chunk cut short
        (sealed[:one], "incomplete"),
    ):
        await blobs.write(data_key, altered)
        with pytest.raises(IntegrityError, match=message):
            await read_all(store, stored.digest)
    await blobs.write(data_key, sealed)
    assert await read_all(store, stored.digest) == data


async def test_a_manifest_copied_over_another_digest_is_refused(store: ArtifactStore, blobs: Blobs) -> None:
    a, b = unique_bytes(), unique_bytes()
    stored_a = await store.put_stream(pieces(a))
    stored_b = await store.put_stream(pieces(b))
    blobs.keys.update({stored_a.key, stored_b.key})
    await blobs.write(stored_a.key, await blobs.read(stored_b.key))
    with pytest.raises(IntegrityError, match="failed authentication"):
        await store.open(stored_a.digest)


async def test_format_1_artifacts_still_read_back(store: ArtifactStore, blobs: Blobs) -> None:
    """Artifacts stored before streaming (one sealed object) read through the same calls."""
    data = unique_bytes(10_000)
    stored = await store.put(data)
    blobs.keys.add(stored.key)
    assert stored.key == content_key(stored.digest)
    assert not (await blobs.read(stored.key)).startswith(chunked.MAGIC)
    assert await read_all(store, stored.digest) == data
    assert await store.size(stored.digest) == len(data)
    assert await store.get(stored.digest) == data


async def test_an_empty_stream_is_an_artifact_too(store: ArtifactStore, blobs: Blobs) -> None:
    stored = await store.put_stream(pieces(b""))
    blobs.keys.add(stored.key)
    assert stored.size == 0 and await read_all(store, stored.digest) == b""
