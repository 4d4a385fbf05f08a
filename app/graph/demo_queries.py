"""Cypher the demo loader needs to find what it created."""

from __future__ import annotations

from typing import LiteralString

ANY_MODEL: LiteralString = "MATCH (m:Model) RETURN count(m) > 0 AS any"

DATASET_VERSION_ID: LiteralString = "MATCH (v:DatasetVersion {dataset_name: $name}) RETURN v.id AS id LIMIT 1"
