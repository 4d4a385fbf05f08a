"""Cypher for reviews: pending changes that wait for an approver."""

from __future__ import annotations

from typing import LiteralString

CREATE_REVIEW: LiteralString = """
CREATE (r:Review {id: $id, command: $command, payload: $payload, action: $action,
        target_id: $target_id, target_kind: $target_kind, requested_by: $requested_by,
        requester_kind: $requester_kind, requester_roles: $roles, requester_teams: $teams,
        reasons: $reasons, status: 'PENDING', created_at: $at, expires_at: $expires_at,
        purpose: $purpose, target_state: $target_state})
RETURN properties(r) AS props
"""

LOCK_REVIEW: LiteralString = """
MATCH (r:Review {id: $id}) SET r.lock = coalesce(r.lock, 0) + 1 RETURN properties(r) AS props
"""

DECIDE_REVIEW: LiteralString = """
MATCH (r:Review {id: $id})
SET r.status = $status, r.decided_by = $actor, r.decided_at = $at, r.comment = $comment,
    r.result_id = $result_id
RETURN properties(r) AS props
"""

LIST_REVIEWS: LiteralString = """
MATCH (r:Review) WHERE $status IS NULL OR r.status = $status
RETURN properties(r) AS props ORDER BY r.created_at DESC LIMIT $limit
"""

GET_REVIEW: LiteralString = "MATCH (r:Review {id: $id}) RETURN properties(r) AS props"

# A page of reviews, newest first, keyed by (created_at, id); every filter optional.
PAGE_REVIEWS: LiteralString = """
MATCH (r:Review)
WHERE ($status IS NULL OR r.status = $status)
  AND ($requested_by IS NULL OR r.requested_by = $requested_by)
  AND ($not_requested_by IS NULL OR r.requested_by <> $not_requested_by)
  AND ($model_needle IS NULL OR r.payload CONTAINS $model_needle)
  AND ($before_at IS NULL OR r.created_at < $before_at OR (r.created_at = $before_at AND r.id < $before_id))
RETURN properties(r) AS props ORDER BY r.created_at DESC, r.id DESC LIMIT $limit
"""
