"""Applying the repository's vocabulary seed file through the one write path."""

from __future__ import annotations

import json
from pathlib import Path

import anyio

from app.registry.actor import RequestMeta
from app.registry.commands.vocab import SeedVocabularies
from app.registry.execute import execute
from app.registry.plan import Outcome
from app.registry.vocab import SEED_FILE
from app.services import Services


async def seed_from_file(services: Services, meta: RequestMeta, path: Path | None = None) -> Outcome:
    """Apply the repository's seed file through the one write path."""
    path = path or services.settings.graph_schema_dir / SEED_FILE
    payload = json.loads(await anyio.Path(path).read_text(encoding="utf-8"))
    payload.pop("description", None)
    return await execute(services, meta, SeedVocabularies.from_payload(payload))
