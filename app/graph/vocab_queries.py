"""Cypher for controlled vocabularies (Term) and saved searches (SavedSearch)."""

from __future__ import annotations

from typing import LiteralString

UPSERT_TERM: LiteralString = """
MERGE (t:Term {vocabulary: $vocabulary, value: $value})
  ON CREATE SET t.id = $id, t.created_at = $at, t.created_by = $actor, t.revision = 0
SET t.synonyms = $synonyms, t.broader = $broader, t.description = $description,
    t.updated_at = $at, t.revision = t.revision + 1
WITH t
OPTIONAL MATCH (t)-[old:BROADER]->()
DELETE old
WITH t
OPTIONAL MATCH (parent:Term {vocabulary: $vocabulary, value: $broader})
FOREACH (_ IN CASE WHEN parent IS NULL THEN [] ELSE [1] END | MERGE (t)-[:BROADER]->(parent))
RETURN properties(t) AS props
"""
# Seeding: idempotent, one row per term; BROADER links made after every term exists.
SEED_TERMS: LiteralString = """
UNWIND $terms AS row
MERGE (t:Term {vocabulary: row.vocabulary, value: row.value})
  ON CREATE SET t.id = row.id, t.created_at = $at, t.created_by = $actor, t.revision = 1
SET t.synonyms = row.synonyms, t.broader = row.broader, t.updated_at = $at, t.seed_version = $version
RETURN count(t) AS n
"""
LINK_BROADER: LiteralString = """
MATCH (t:Term) WHERE t.broader IS NOT NULL
MATCH (parent:Term {vocabulary: t.vocabulary, value: t.broader})
MERGE (t)-[:BROADER]->(parent)
RETURN count(*) AS n
"""
LIST_TERMS: LiteralString = """
MATCH (t:Term) WHERE $vocabulary IS NULL OR t.vocabulary = $vocabulary
RETURN properties(t) AS props ORDER BY t.vocabulary, t.value LIMIT 5000
"""
TERM_VALUES: LiteralString = """
MATCH (t:Term {vocabulary: $vocabulary}) WHERE t.value IS NOT NULL
RETURN t.value AS value, t.synonyms AS synonyms ORDER BY t.value
"""

SAVE_SEARCH: LiteralString = """
MERGE (s:SavedSearch {name: $name})
  ON CREATE SET s.id = $id, s.created_at = $at, s.created_by = $actor, s.revision = 0
SET s.description = $description, s.input = $input, s.shared = true, s.updated_at = $at,
    s.updated_by = $actor, s.revision = s.revision + 1
RETURN properties(s) AS props
"""
SEED_SAVED_SEARCHES: LiteralString = """
UNWIND $searches AS row
MERGE (s:SavedSearch {name: row.name})
  ON CREATE SET s.id = row.id, s.created_at = $at, s.created_by = $actor, s.revision = 1,
                s.description = row.description, s.input = row.input, s.shared = true,
                s.updated_at = $at, s.example = true
RETURN count(s) AS n
"""
COUNT_SAVED_SEARCHES: LiteralString = "MATCH (s:SavedSearch) RETURN count(s) AS total"
LIST_SAVED_SEARCHES: LiteralString = """
MATCH (s:SavedSearch) WHERE $after IS NULL OR s.name > $after
RETURN properties(s) AS props ORDER BY s.name LIMIT $limit
"""
SAVED_SEARCH_BY_NAME: LiteralString = "MATCH (s:SavedSearch {name: $name}) RETURN properties(s) AS props"
