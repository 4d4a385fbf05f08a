"""The running local Neo4j keeps its store and logs to its owner (they hold registry data and auth)."""

from __future__ import annotations

import stat

import pytest

from app.config import Settings

pytestmark = pytest.mark.integration


def test_neo4j_data_and_logs_are_owner_only_while_it_runs(settings: Settings) -> None:
    home = settings.stack_dir / "neo4j"
    for folder in ("data", "logs"):
        root = home / folder
        assert stat.S_IMODE(root.stat().st_mode) == 0o700, root
        exposed = [
            str(p.relative_to(home))
            for p in root.rglob("*")
            if not p.is_symlink() and stat.S_IMODE(p.stat().st_mode) & 0o077
        ]
        assert exposed == [], f"readable by others: {exposed[:5]}"
