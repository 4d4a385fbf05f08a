"""Cypher for reviews that wait too long: the pending ones with what policy needs to route them,
and their escalation or expiry. Values are always $parameters."""

from __future__ import annotations

from typing import LiteralString

PENDING_REVIEWS: LiteralString = """
MATCH (r:Review {status: 'PENDING'}) WHERE r.created_at IS NOT NULL
WITH r ORDER BY r.created_at LIMIT $limit
OPTIONAL MATCH (m:Model {id: r.target_id})
OPTIONAL MATCH (v:ModelVersion {id: r.target_id})
OPTIONAL MATCH (vm:Model {id: v.model_id})
WITH r, coalesce(m, vm) AS model
RETURN properties(r) AS props, coalesce(model.owners, []) AS owners, coalesce(model.owner_teams, []) AS owner_teams
ORDER BY r.created_at
"""
ESCALATE_REVIEW: LiteralString = """
MATCH (r:Review {id: $id, status: 'PENDING'}) WHERE coalesce(r.escalation_level, 0) = 0
SET r.escalation_level = 1, r.escalated_at = $at, r.escalated_to = $to
RETURN properties(r) AS props
"""
EXPIRE_REVIEW: LiteralString = """
MATCH (r:Review {id: $id, status: 'PENDING'})
SET r.status = 'EXPIRED', r.decided_at = $at, r.should_have_acted = $should_have_acted
RETURN properties(r) AS props
"""
