"""Cypher for the facts promotion and retire policies need."""

from __future__ import annotations

from typing import LiteralString

SERVING_PRODUCTION: LiteralString = """
MATCH (d:Deployment)-[s:SERVES]->(v:ModelVersion {model_id: $model_id, version: $version})
WHERE s.until IS NULL AND d.environment = 'production' AND coalesce(d.desired_state, 'DEPLOYED') <> 'RETIRED'
RETURN count(d) > 0 AS serving
"""

BEST_EVALUATION: LiteralString = """
MATCH (e:Evaluation)-[:OF]->(v:ModelVersion {model_id: $model_id, version: $version})
WHERE NOT (e)<-[:SUPERSEDES]-(:Evaluation)
RETURN properties(e) AS props ORDER BY e.created_at DESC LIMIT 1
"""

CURRENT_TARGET: LiteralString = """
MATCH (a:Alias {model_id: $model_id, name: $alias})-[p:POINTS_TO]->(v:ModelVersion) WHERE p.until IS NULL
RETURN properties(v) AS props
"""

# What policy judges a version by, in one round trip (the version, its best evaluation and its run
# were three reads): the version, its latest non-superseded evaluation and the run that trained it.
# ALIAS_TARGET_FACTS: the same for the version the alias points to now (no row when it is not set).
_FACTS: LiteralString = """
OPTIONAL MATCH (r:Run {id: v.run_id})
CALL (v) {
  OPTIONAL MATCH (e:Evaluation)-[:OF]->(v) WHERE NOT (e)<-[:SUPERSEDES]-(:Evaluation)
  RETURN e ORDER BY e.created_at DESC LIMIT 1
}
RETURN properties(v) AS version, properties(e) AS evaluation, properties(r) AS run
"""
VERSION_FACTS: LiteralString = "MATCH (v:ModelVersion {model_id: $model_id, version: $version})" + _FACTS
ALIAS_TARGET_FACTS: LiteralString = (
    "MATCH (:Alias {model_id: $model_id, name: $alias})-[p:POINTS_TO]->(v:ModelVersion) WHERE p.until IS NULL" + _FACTS
)
