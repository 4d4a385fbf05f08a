"""Two uploads of the same bytes at the same moment keep one copy, and chunk objects no manifest
points to (a raced or interrupted upload) are swept once older than the grace period, against the
real S3 of the test stack."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from app.artifacts import chunked
from app.artifacts.store import ArtifactStore
from app.artifacts.sweep import sweep_orphan_chunks
from app.config import Settings
from tests.integration.test_artifact_store import Blobs, blobs, unique_bytes
from tests.integration.test_artifact_streams import chunk_objects, pieces, read_all

pytestmark = pytest.mark.integration
__all__ = ["blobs"]  # the fixture, imported for these tests


class Racing(ArtifactStore):
    """A store whose uploads all see "not there yet", as two simultaneous first uploads do."""

    async def exists(self, digest: str) -> bool:
        return False


@pytest.fixture
def racing(settings: Settings) -> Racing:
    store = Racing.from_settings(settings)
    assert isinstance(store, Racing)
    return store


async def test_simultaneous_uploads_of_the_same_bytes_keep_one_chunk_object(
    racing: Racing, blobs: Blobs, settings: Settings
) -> None:
    data = unique_bytes(2 * chunked.CHUNK_SIZE)
    before = chunk_objects(settings)
    first, second = await asyncio.gather(racing.put_stream(pieces(data)), racing.put_stream(pieces(data, 1000)))
    added = chunk_objects(settings) - before
    blobs.keys.update({first.key, *added})
    assert first.digest == second.digest
    # Whichever wrote its manifest last owns the bytes; the other removed its chunks, or (when it
    # had already returned) left them for the sweep, which removes exactly those.
    kept = await racing.data_key_of(first.digest)
    assert kept in added
    swept = await sweep_orphan_chunks(racing, timedelta(0), now=datetime.now(UTC) + timedelta(seconds=5))
    assert chunk_objects(settings) - before == {kept}
    assert set(swept.removed) >= added - {kept}
    assert await read_all(racing, first.digest) == data


async def test_an_orphan_is_kept_while_young_and_swept_after_the_grace_period(
    racing: Racing, blobs: Blobs, settings: Settings
) -> None:
    data = unique_bytes(1000)
    before = chunk_objects(settings)
    first = await racing.put_stream(pieces(data))
    await racing.put_stream(pieces(data))  # one after the other: the first one's chunks lose their manifest
    added = chunk_objects(settings) - before
    blobs.keys.update({first.key, *added})
    kept = await racing.data_key_of(first.digest)
    [orphan] = added - {kept}

    young = await sweep_orphan_chunks(racing)  # the default grace: an hour
    assert orphan not in young.removed and young.kept_young >= 1
    assert orphan in chunk_objects(settings)

    later = await sweep_orphan_chunks(racing, now=datetime.now(UTC) + timedelta(hours=2))
    assert orphan in later.removed and kept not in later.removed
    assert chunk_objects(settings) - before == {kept}
    assert await read_all(racing, first.digest) == data
