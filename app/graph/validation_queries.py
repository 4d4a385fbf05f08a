"""Cypher for the continuous validator: the versions and dataset versions it walks (a cursor by id,
so each cycle continues where the last one stopped), the facts policy judges, findings (open and
resolved, kept as history) and the lease that lets one replica run it. Values are always $parameters."""

from __future__ import annotations

from typing import LiteralString

# ---- what is walked, a batch at a time ---------------------------------------------------------
VERSIONS_AFTER: LiteralString = """
MATCH (v:ModelVersion) WHERE v.id > $after
WITH v ORDER BY v.id LIMIT $limit
MATCH (m:Model {id: v.model_id})
OPTIONAL MATCH (:Alias {model_id: v.model_id, name: 'production'})-[p:POINTS_TO WHERE p.until IS NULL]->(v)
RETURN v.id AS id, v.model_name AS model, v.version AS version, v.status AS status,
       v.artifact_uri AS artifact_uri, v.artifact_digest AS artifact_digest, v.artifact_size AS artifact_size,
       m.intended_use AS intended_use,
       p IS NOT NULL OR EXISTS {
         MATCH (d:Deployment)-[s:SERVES]->(v)
         WHERE s.until IS NULL AND d.environment = 'production' AND coalesce(d.desired_state, 'DEPLOYED') <> 'RETIRED'
       } AS in_production,
       COLLECT {
         MATCH (e:Evaluation)-[:OF]->(v) WHERE NOT (e)<-[:SUPERSEDES]-(:Evaluation)
         RETURN {dataset_version_id: e.dataset_version_id,
                 used_in_training: e.dataset_version_id IS NOT NULL
                   AND EXISTS { MATCH (:Run {id: v.run_id})-[:USED]->(:DatasetVersion {id: e.dataset_version_id}) }}
       } AS evaluations
ORDER BY v.id
"""
DATASET_VERSIONS_AFTER: LiteralString = """
MATCH (d:DatasetVersion) WHERE d.id > $after
RETURN d.id AS id, d.dataset_name AS dataset, d.version AS version, d.source_uri AS source_uri
ORDER BY d.id LIMIT $limit
"""

# ---- findings ------------------------------------------------------------------------------------
OPEN_FINDINGS_OF: LiteralString = """
UNWIND $subject_ids AS subject_id
MATCH (f:Finding {subject_id: subject_id, status: 'open'})
RETURN properties(f) AS props
"""
OPEN_FINDING: dict[str, LiteralString] = {
    label: "MATCH (s:"
    + label
    + """ {id: $subject_id})
CREATE (f:Finding {id: $id, subject_id: $subject_id, subject_kind: $subject_kind, check: $check,
        detail: $detail, status: 'open', opened_at: $at, last_seen_at: $at})
CREATE (f)-[:ABOUT {since: $at}]->(s)
RETURN properties(f) AS props
"""
    for label in ("ModelVersion", "DatasetVersion")
}  # labels come from this fixed tuple, never from a request
SEEN_AGAIN: LiteralString = """
MATCH (f:Finding {id: $id}) SET f.last_seen_at = $at, f.detail = $detail
"""
RESOLVE_FINDING: LiteralString = """
MATCH (f:Finding {id: $id, status: 'open'})
SET f.status = 'resolved', f.resolved_at = $at
RETURN properties(f) AS props
"""
FINDINGS_OF_SUBJECTS: LiteralString = """
UNWIND $subject_ids AS subject_id
CALL (subject_id) {
  MATCH (f:Finding {subject_id: subject_id})
  WHERE $include_resolved OR f.status = 'open'
  RETURN f ORDER BY f.opened_at DESC, f.id DESC LIMIT $limit
}
RETURN subject_id, properties(f) AS props
"""
COUNT_OPEN_FINDINGS: LiteralString = """
MATCH (f:Finding {status: 'open'}) RETURN f.check AS check, count(f) AS open
"""

# ---- where the last cycle stopped ----------------------------------------------------------------
CURSOR: LiteralString = "MATCH (c:ValidatorCursor {name: $name}) RETURN c.after AS after"
SET_CURSOR: LiteralString = "MERGE (c:ValidatorCursor {name: $name}) SET c.after = $after, c.at = $at"

# ---- one replica runs periodic work: a lease with an expiry --------------------------------------
# The SET before the check takes the lease node's write lock, so two replicas racing for an expired
# lease are serialised and the second sees the first one's holder.
ACQUIRE_LEASE: LiteralString = """
MERGE (l:Lease {name: $name})
SET l.touched_at = $now
WITH l
WHERE l.holder IS NULL OR l.holder = $holder OR l.expires_at < $now
SET l.holder = $holder, l.expires_at = $expires_at
RETURN l.holder AS holder
"""
RELEASE_LEASE: LiteralString = """
MATCH (l:Lease {name: $name, holder: $holder}) SET l.expires_at = $now
"""
