"""Backup -> wipe -> restore against the real Neo4j and S3: the same graph and the same artifact
bytes come back, the audit chain still verifies, and the artifact key is not in the backup."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import pytest

from app.backup import backup, restore
from app.errors import Conflict
from app.graph.audit_verify import verify
from app.graph.backup import encode
from app.services import Services
from tests.conftest import CLEAR_GRAPH
from tests.integration.chain import build_chain

pytestmark = pytest.mark.integration

NODES = "MATCH (n) WHERE NOT n:SchemaMigration RETURN labels(n) AS labels, properties(n) AS props"
EDGES = (
    "MATCH (a)-[r]->(b) RETURN coalesce(a.id, a.key) AS a, type(r) AS type, "
    "coalesce(b.id, b.key) AS b, properties(r) AS props"
)


async def graph_state(services: Services) -> list[str]:
    """Every node and relationship with its properties, as sorted JSON lines."""
    lines = []
    for query in (NODES, EDGES):
        for record in (await services.driver.execute_query(query)).records:
            row = {
                k: encode(v) if k != "props" else {p: encode(x) for p, x in v.items()} for k, v in record.data().items()
            }
            lines.append(json.dumps(row, sort_keys=True))
    return sorted(lines)


async def wipe(services: Services) -> None:
    async with services.driver.session(database=services.settings.neo4j_database) as session:
        await (await session.run(CLEAR_GRAPH)).consume()
    client, bucket = services.artifacts._client, services.artifacts._bucket
    for key in await services.artifacts.keys():
        await anyio.to_thread.run_sync(partial(client.remove_object, bucket_name=bucket, object_name=key))


async def test_backup_wipe_restore_brings_back_graph_artifacts_and_audit(clean_graph: Services, tmp_path: Path) -> None:
    services = clean_graph
    await build_chain(services)
    data = b"model weights " + uuid.uuid4().bytes
    stored = await services.artifacts.put(data)
    large = os.urandom(3 * 1024 * 1024 + 7)  # streamed (format 2): a manifest and a chunk object

    async def pieces() -> AsyncIterator[bytes]:
        yield large

    streamed = await services.artifacts.put_stream(pieces())
    before = await graph_state(services)
    objects = len(await services.artifacts.keys())

    manifest = await backup(services, tmp_path / "b")
    await wipe(services)
    assert await graph_state(services) == [] and not await services.artifacts.exists(stored.digest)
    restored = await restore(services, tmp_path / "b")

    node_lines = sum(1 for line in before if '"labels"' in line)
    assert manifest.counts == {"nodes": node_lines, "relationships": len(before) - node_lines, "artifacts": objects}
    assert restored.counts == manifest.counts and manifest.migration_level >= 23
    assert await graph_state(services) == before
    assert await services.artifacts.get(stored.digest) == data  # decrypts and verifies with the same key
    assert await services.artifacts.get(streamed.digest) == large
    async with services.driver.session(database=services.settings.neo4j_database) as session:
        chain = await verify(session, services.settings.audit_key_bytes())
    assert chain.ok and chain.checked > 0
    files = [p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()]
    for secret in (services.settings.artifact_key, services.settings.audit_key):  # both stay outside backups
        assert all(secret.get_secret_value().encode() not in body for body in files)


async def test_restore_refuses_a_graph_that_is_not_empty(clean_graph: Services, tmp_path: Path) -> None:
    await build_chain(clean_graph)
    await backup(clean_graph, tmp_path / "b")

    with pytest.raises(Conflict) as refused:
        await restore(clean_graph, tmp_path / "b")

    assert "restore needs an empty graph" in refused.value.message


async def test_restore_refuses_another_migration_level(clean_graph: Services, tmp_path: Path) -> None:
    await backup(clean_graph, tmp_path / "b")
    manifest = tmp_path / "b" / "manifest.json"
    raw: dict[str, Any] = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**raw, "migration_level": raw["migration_level"] + 1}))

    with pytest.raises(Conflict) as refused:
        await restore(clean_graph, tmp_path / "b")

    assert "restore into a registry migrated to the same level" in refused.value.message


def test_backup_command_writes_a_manifest(clean_graph: Services, tmp_path: Path) -> None:
    env = {**os.environ, "MODELGRAPH_PROFILE": clean_graph.settings.profile}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "backup", str(tmp_path / "cli")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "backup written" in done.stdout
    assert json.loads((tmp_path / "cli" / "manifest.json").read_text())["format"] == 1
