"""Chunk objects no manifest points to, removed once they are older than a grace period.

A streamed upload writes its chunk object first and the manifest (under the content key) after.
Two uploads of the same bytes at the same moment may both write a manifest; the store removes the
loser's chunks when it notices, but an upload interrupted between the two writes (a crash, a killed
process) cannot. The sweep finds what no manifest references; the grace period keeps uploads that
are still between their two writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.artifacts.store import ArtifactStore

DEFAULT_GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class Sweep:
    removed: list[str]
    kept_young: int  # unreferenced, but younger than the grace period
    referenced: int


async def referenced_chunks(store: ArtifactStore) -> set[str]:
    """The chunk object of every format 2 manifest in the store."""
    found: set[str] = set()
    for key in await store.keys():
        if key.startswith("blobs/sha256/"):
            data_key = await store.data_key_of("sha256:" + key.rsplit("/", 1)[1])
            if data_key:
                found.add(data_key)
    return found


async def sweep_orphan_chunks(
    store: ArtifactStore, grace: timedelta = DEFAULT_GRACE, now: datetime | None = None
) -> Sweep:
    chunks = await store.chunk_objects()
    if not chunks:
        return Sweep([], 0, 0)
    referenced = await referenced_chunks(store)
    cutoff = (now or datetime.now(UTC)) - grace
    orphans = [k for k, _ in chunks if k not in referenced]
    old = sorted(k for k, at in chunks if k in orphans and at < cutoff)
    for key in old:
        await store.remove_chunk_object(key)
    return Sweep(old, len(orphans) - len(old), len(chunks) - len(orphans))
