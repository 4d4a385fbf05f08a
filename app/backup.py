"""`modelgraph backup DEST` / `modelgraph restore SRC`: the graph (one consistent read
transaction, app/graph/backup.py), the artifact objects as stored (still encrypted) and a
manifest with counts and the migration level. The artifact key is never written to a backup:
a restore needs the same MODELGRAPH_ARTIFACT_KEY to read the artifacts again."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio

from app import __version__
from app.errors import ConfigurationError, Conflict, IntegrityError
from app.graph import backup as graph
from app.services import Services

FORMAT = 1
MANIFEST, NODES, RELATIONSHIPS, ARTIFACTS = "manifest.json", "nodes.jsonl", "relationships.jsonl", "artifacts"


@dataclass(frozen=True)
class Manifest:
    counts: dict[str, int]
    migration_level: int

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "modelgraph": __version__,
            "migration_level": self.migration_level,
            "counts": self.counts,
        }


async def backup(services: Services, dest: Path) -> Manifest:
    """Write a backup into `dest` (a new or empty directory)."""
    if await anyio.Path(dest).exists() and [p async for p in anyio.Path(dest).iterdir()]:
        raise ConfigurationError(f"{dest} is not empty: back up into a new directory")
    await anyio.Path(dest / ARTIFACTS).mkdir(parents=True, exist_ok=True)
    db = services.settings.neo4j_database
    counts = await graph.export(services.driver, db, dest / NODES, dest / RELATIONSHIPS)
    level = counts.pop("migration_level")
    # After the snapshot: objects are immutable and never deleted, so every one it refers to is here.
    keys = await services.artifacts.keys()
    for key in keys:
        target = dest / ARTIFACTS / key
        await anyio.Path(target.parent).mkdir(parents=True, exist_ok=True)
        await services.artifacts.save_stored(key, target)
    manifest = Manifest({**counts, "artifacts": len(keys)}, level)
    await anyio.Path(dest / MANIFEST).write_text(json.dumps(manifest.to_json(), indent=2) + "\n", encoding="utf-8")
    return manifest


async def restore(services: Services, src: Path) -> Manifest:
    """Restore a backup into an empty registry at the backup's migration level, then check counts."""
    manifest = await _read_manifest(src)
    db = services.settings.neo4j_database
    level, nodes, relationships = await graph.level_and_size(services.driver, db)
    if level != manifest.migration_level:
        raise Conflict(
            f"the backup was taken at migration V{manifest.migration_level:04d}, this graph is at "
            f"V{level:04d}: restore into a registry migrated to the same level"
        )
    if nodes or relationships:
        raise Conflict(f"restore needs an empty graph; this one has {nodes} nodes: use a fresh registry")
    created = await graph.import_(services.driver, db, src / NODES, src / RELATIONSHIPS)
    blobs = await anyio.to_thread.run_sync(lambda: sorted(p for p in (src / ARTIFACTS).rglob("*") if p.is_file()))
    for blob in blobs:
        key = blob.relative_to(src / ARTIFACTS).as_posix()
        await services.artifacts.load_stored(key, blob)
    found = {**created, "artifacts": len(blobs)}
    if found != manifest.counts:
        raise IntegrityError(f"restore does not match the manifest: expected {manifest.counts}, restored {found}")
    return manifest


async def _read_manifest(src: Path) -> Manifest:
    try:
        raw = json.loads(await anyio.Path(src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ConfigurationError(f"{src} is not a modelgraph backup (no readable {MANIFEST})") from None
    if raw.get("format") != FORMAT:
        raise ConfigurationError(f"{src}: backup format {raw.get('format')!r} is not supported (expected {FORMAT})")
    return Manifest({k: int(v) for k, v in raw["counts"].items()}, int(raw["migration_level"]))
