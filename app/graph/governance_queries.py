"""Cypher for grants and the audit trail query."""

from __future__ import annotations

from typing import LiteralString

CREATE_GRANT: LiteralString = """
MATCH (p:Principal {name: $principal})
CREATE (g:Grant {id: $id, principal: $principal, action: $action, resource_id: $resource_id,
                 expires_at: $expires_at, created_at: $at, created_by: $actor})-[:FOR]->(p)
RETURN g.id AS id
"""

GRANTS_OF: LiteralString = """
MATCH (g:Grant {principal: $principal}) WHERE g.revoked_at IS NULL
RETURN g.action AS action, g.resource_id AS resource_id, g.expires_at AS expires_at
"""

# Revoking keeps the grant (who granted what, until when, and who revoked it) for the record.
REVOKE_GRANT: LiteralString = """
MATCH (g:Grant {id: $id})
WITH g, g.revoked_at AS before
SET g.revoked_at = coalesce(before, $at), g.revoked_by = coalesce(g.revoked_by, $actor),
    g.revoke_reason = CASE WHEN before IS NULL THEN $reason ELSE g.revoke_reason END
RETURN g.id AS id, g.principal AS principal, before AS revoked_before
"""

GRANT_BY_ID: LiteralString = "MATCH (g:Grant {id: $id}) RETURN properties(g) AS props"

LIST_GRANTS: LiteralString = """
MATCH (g:Grant {principal: $principal}) WHERE $include_revoked OR g.revoked_at IS NULL
RETURN properties(g) AS props ORDER BY g.created_at DESC LIMIT $limit
"""

_AUDIT_FILTERS: LiteralString = """
  AND ($actor IS NULL OR e.actor = $actor) AND ($action IS NULL OR e.action STARTS WITH $action)
  AND ($from IS NULL OR e.at >= $from) AND ($to IS NULL OR e.at < $to)
RETURN properties(e) AS props ORDER BY e.position DESC LIMIT $limit
"""
# Newest first, walking the position index backwards from the cursor.
AUDIT_TRAIL: LiteralString = (
    "MATCH (e:AuditEvent) WHERE e.position < coalesce($before, 9223372036854775807)" + _AUDIT_FILTERS
)
# With a target: start from the events about it (target_id index), not from the whole trail. A
# version's trail adds its model's events that name it among their subjects (an alias moved to it,
# its registration, the approval of either); a review's trail adds its own stream (its decision).
AUDIT_TRAIL_OF_TARGET: LiteralString = (
    """
OPTIONAL MATCH (:ModelVersion {id: $target})-[:VERSION_OF]->(m:Model)
CALL (m) {
  MATCH (e:AuditEvent) USING INDEX e:AuditEvent(target_id) WHERE e.target_id = $target RETURN e
  UNION
  MATCH (e:AuditEvent) USING INDEX e:AuditEvent(target_id)
  WHERE e.target_id = m.id AND e.details CONTAINS $target RETURN e
  UNION
  MATCH (e:AuditEvent) WHERE e.chain = 'review:' + $target AND e.seq IS NOT NULL RETURN e
}
WITH e WHERE e.position < coalesce($before, 9223372036854775807)"""
    + _AUDIT_FILTERS
)
