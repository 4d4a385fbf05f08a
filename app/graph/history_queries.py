"""Cypher for performance history (evaluations, feedback, annotations) and deployments
(serving edges, events, health windows). Values are always $parameters."""

from __future__ import annotations

from typing import LiteralString

# ---- evaluations ----------------------------------------------------------------------------
CREATE_EVALUATION: LiteralString = """
MATCH (v:ModelVersion {model_id: $model_id, version: $version})
OPTIONAL MATCH (d:DatasetVersion {id: $dataset_version_id})
WITH v, d WHERE $dataset_version_id IS NULL OR d IS NOT NULL
CREATE (e:Evaluation {id: $id, model_id: v.model_id, model_name: v.model_name, version: v.version,
        version_id: v.id, dataset_version_id: $dataset_version_id, slice: $slice, method: $method,
        code_version: $code_version, evaluator: $evaluator, evaluated_at: $evaluated_at,
        confidence: $confidence, reports: $reports, notes: $notes, supersedes: $supersedes,
        created_at: $at, created_by: $actor})
SET e += $metrics
CREATE (e)-[:OF {since: $at}]->(v)
FOREACH (_ IN CASE WHEN d IS NULL THEN [] ELSE [1] END | CREATE (e)-[:ON {since: $at}]->(d))
RETURN properties(e) AS props
"""
LINK_SUPERSEDES: LiteralString = """
MATCH (e:Evaluation {id: $id}), (old:Evaluation {id: $old_id})
CREATE (e)-[:SUPERSEDES {since: $at}]->(old)
"""
# A version's evaluations newest first, with a (evaluated_at, id) cursor; superseded ones on request.
_EVALUATIONS_OF_VERSION_FILTER: LiteralString = """
MATCH (e:Evaluation)
WHERE e.version_id = $version_id AND e.evaluated_at IS NOT NULL
  AND ($slice IS NULL OR e.slice = $slice)
  AND ($include_superseded OR NOT EXISTS { (e)<-[:SUPERSEDES]-(:Evaluation) })
"""
EVALUATIONS_OF_VERSION: LiteralString = (
    _EVALUATIONS_OF_VERSION_FILTER
    + """
  AND ($before_at IS NULL OR e.evaluated_at < $before_at OR (e.evaluated_at = $before_at AND e.id < $before_id))
RETURN properties(e) AS props
ORDER BY e.evaluated_at DESC, e.id DESC LIMIT $limit
"""
)
COUNT_EVALUATIONS_OF_VERSION: LiteralString = _EVALUATIONS_OF_VERSION_FILTER + "RETURN count(e) AS total"
EVALUATION_STATE: LiteralString = """
MATCH (old:Evaluation {id: $id})
RETURN old.version_id AS version_id, EXISTS { (old)<-[:SUPERSEDES]-(:Evaluation) } AS superseded
"""


# The current (not superseded) evaluations of one metric in a time range, for the two history reads.
# "Not superseded" is a relationship count (read from the node's degree, no expansion): 15 % less
# time than NOT EXISTS over 10k evaluations. Only evaluations supersede evaluations.
def _current_evaluations(also: LiteralString = "") -> LiteralString:
    """The MATCH of those evaluations, with one more condition when given."""
    return (
        """
MATCH (e:Evaluation)
WHERE e.model_id = $model_id AND e.evaluated_at >= $from AND e.evaluated_at < $to"""
        + also
        + """
  AND ($version IS NULL OR e.version = $version)
  AND ($dataset_version_id IS NULL OR e.dataset_version_id = $dataset_version_id)
  AND ($slice IS NULL OR e.slice = $slice)
  AND e[$metric] IS NOT NULL
  AND COUNT { (e)<-[:SUPERSEDES]-() } = 0
"""
    )


_CURRENT_EVALUATIONS = _current_evaluations()
# The first $limit points in time order. The index (model_id, evaluated_at) gives that order, so the
# first subquery reads only as far as the $limit-th point to find the last time kept; the second reads
# up to that time again (ties at it included) and orders by id too. Without the cut, a long window
# read and sorted every evaluation in it (10k for 1k points).
PERFORMANCE_HISTORY: LiteralString = (
    "CALL () {\n"
    + _CURRENT_EVALUATIONS
    + """  WITH e ORDER BY e.model_id, e.evaluated_at LIMIT $limit
  RETURN max(e.evaluated_at) AS last
}
"""
    + _current_evaluations(" AND e.evaluated_at <= last")
    + """WITH e ORDER BY e.evaluated_at, e.id LIMIT $limit
// One row holding plain lists: hydrating 10k records (and 10k DateTimes) one by one cost ~10x more.
RETURN collect([e.id, e.version, e.evaluated_at.epochSeconds, e.evaluated_at.microsecond, e[$metric],
                e.dataset_version_id, e.slice]) AS points
"""
)
# The same evaluations, bucketed server-side: one row per (version, bucket) however many points.
PERFORMANCE_SERIES: LiteralString = (
    _CURRENT_EVALUATIONS
    + """WITH e.version AS version, e.evaluated_at.epochSeconds / $width AS bucket, toFloat(e[$metric]) AS value
WITH version, bucket, count(*) AS n, avg(value) AS mean, min(value) AS low, max(value) AS high
ORDER BY bucket, version
RETURN collect([version, bucket * $width, n, mean, low, high]) AS buckets
"""
)
COMPARE_VERSIONS: LiteralString = """
UNWIND $versions AS n
OPTIONAL MATCH (e:Evaluation {model_id: $model_id, version: n})
WHERE ($dataset_version_id IS NULL OR e.dataset_version_id = $dataset_version_id)
  AND coalesce(e.slice, '') = coalesce($slice, '')
  AND COUNT { (e)<-[:SUPERSEDES]-() } = 0
WITH n, e ORDER BY e.evaluated_at DESC
WITH n, collect(properties(e)) AS evals
RETURN n AS version, evals[0] AS props
"""

# ---- annotations and feedback -------------------------------------------------------------
ANNOTATE: dict[str, LiteralString] = {
    "Evaluation": """MATCH (n:Evaluation {id: $target_id})
CREATE (a:Annotation {id: $id, about_id: n.id, about_kind: 'Evaluation', text: $text, actor: $actor, created_at: $at})
CREATE (a)-[:ABOUT {since: $at}]->(n) RETURN properties(a) AS props""",
    "ModelVersion": """MATCH (n:ModelVersion {id: $target_id})
CREATE (a:Annotation {id: $id, about_id: n.id, about_kind: 'ModelVersion', text: $text, actor: $actor, created_at: $at})
CREATE (a)-[:ABOUT {since: $at}]->(n) RETURN properties(a) AS props""",
    "Deployment": """MATCH (n:Deployment {id: $target_id})
CREATE (a:Annotation {id: $id, about_id: n.id, about_kind: 'Deployment', text: $text, actor: $actor, created_at: $at})
CREATE (a)-[:ABOUT {since: $at}]->(n) RETURN properties(a) AS props""",
    "DeploymentEvent": """MATCH (n:DeploymentEvent {id: $target_id})
CREATE (a:Annotation {id: $id, about_id: n.id, about_kind: 'DeploymentEvent', text: $text, actor: $actor,
        created_at: $at})
CREATE (a)-[:ABOUT {since: $at}]->(n) RETURN properties(a) AS props""",
    "HealthWindow": """MATCH (n:HealthWindow {id: $target_id})
CREATE (a:Annotation {id: $id, about_id: n.id, about_kind: 'HealthWindow', text: $text, actor: $actor,
        created_at: $at})
CREATE (a)-[:ABOUT {since: $at}]->(n) RETURN properties(a) AS props""",
}
ANNOTATIONS_OF: LiteralString = """
UNWIND $ids AS about
MATCH (a:Annotation {about_id: about})
RETURN properties(a) AS props ORDER BY a.created_at, a.id
"""
CREATE_FEEDBACK: LiteralString = """
MATCH (v:ModelVersion {model_id: $model_id, version: $version})
OPTIONAL MATCH (d:Deployment {id: $deployment_id})
WITH v, d WHERE $deployment_id IS NULL OR d IS NOT NULL
CREATE (f:Feedback {id: $id, kind: $kind, statistic: $statistic, value: $value, threshold: $threshold,
        baseline: $baseline, margin: $margin, slice: $slice, flagged: $flagged, flag_reason: $flag_reason,
        observed_at: $observed_at, deployment_id: $deployment_id, model_id: v.model_id,
        model_name: v.model_name, version: v.version, version_id: v.id, created_at: $at, created_by: $actor})
CREATE (f)-[:OF {since: $at}]->(v)
FOREACH (_ IN CASE WHEN d IS NULL THEN [] ELSE [1] END | CREATE (f)-[:FROM {since: $at}]->(d))
RETURN properties(f) AS props
"""
FLAGS_OF_VERSION: LiteralString = """
MATCH (f:Feedback {version_id: $version_id}) WHERE f.flagged AND f.observed_at IS NOT NULL
RETURN properties(f) AS props ORDER BY f.observed_at DESC LIMIT $limit
"""

# ---- deployments ----------------------------------------------------------------------------
ENSURE_ENVIRONMENT: LiteralString = """
MERGE (env:Environment {name: $name})
  ON CREATE SET env.id = $id, env.tier = $tier, env.region = $region, env.cluster = $cluster,
                env.created_at = $at
RETURN properties(env) AS props
"""
DEPLOYMENT_EXISTS: LiteralString = """
MATCH (d:Deployment {environment_id: $environment_id, name: $name}) RETURN d.id AS id
"""
CREATE_DEPLOYMENT: LiteralString = """
MATCH (env:Environment {id: $environment_id})
CREATE (d:Deployment {id: $id, name: $name, owners: $owners, model_id: $model_id, model_name: $model_name,
        environment: env.tier, environment_id: env.id, environment_name: env.name,
        region: env.region, cluster: env.cluster, endpoint: $endpoint, max_concurrency: $max_concurrency,
        rollback_target_id: $rollback_target_id, desired_state: 'DEPLOYED', observed_state: 'CREATING',
        health_status: 'UNKNOWN', seq: 0, created_at: $at, updated_at: $at, created_by: $actor})
CREATE (d)-[:IN {since: $at}]->(env)
RETURN properties(d) AS props
"""
VERSIONS_BY_NUMBER: LiteralString = """
UNWIND $versions AS n
MATCH (v:ModelVersion {model_id: $model_id, version: n})
RETURN n AS version, v.id AS id, v.status AS status
"""
LOCK_DEPLOYMENT: LiteralString = """
MATCH (d:Deployment {id: $id})
SET d.seq = coalesce(d.seq, 0) + 1, d.updated_at = $at
RETURN properties(d) AS props
"""
SET_DEPLOYMENT: LiteralString = """
MATCH (d:Deployment {id: $id}) SET d += $changes RETURN properties(d) AS props
"""
CURRENT_SERVING: LiteralString = """
MATCH (d:Deployment {id: $id})-[s:SERVES]->(v:ModelVersion) WHERE s.until IS NULL
RETURN v.id AS version_id, v.version AS version, s.trafficPercent AS traffic_percent
ORDER BY traffic_percent DESC, version DESC
"""
CLOSE_SERVING: LiteralString = """
MATCH (d:Deployment {id: $id})-[s:SERVES]->(:ModelVersion) WHERE s.until IS NULL
SET s.until = $at, s.current = null
RETURN count(s) AS closed
"""
OPEN_SERVING: LiteralString = """
MATCH (d:Deployment {id: $id})
UNWIND $split AS row
MATCH (v:ModelVersion {id: row.version_id})
// `current` mirrors "until IS NULL" so that open spans are found through an index.
// `deployment_id` on the span lets "in production at T" seek one deployment's spans by start time.
CREATE (d)-[:SERVES {trafficPercent: row.traffic_percent, since: $at, current: true, deployment_id: d.id}]->(v)
RETURN count(*) AS opened
"""
CREATE_EVENT: LiteralString = """
MATCH (d:Deployment {id: $deployment_id})
CREATE (e:DeploymentEvent {id: $id, deployment_id: d.id, seq: d.seq, type: $type, reason: $reason,
        details: $details, occurred_at: $occurred_at, from_state: $from_state, to_state: $to_state,
        created_at: $at, actor: $actor, approved_by: $approved_by})-[:FOR {since: $at}]->(d)
RETURN properties(e) AS props
"""
DEPLOYMENT_BY_ID: LiteralString = "MATCH (d:Deployment {id: $id}) RETURN properties(d) AS props"
DEPLOYMENTS_BY_ID: LiteralString = "UNWIND $ids AS id MATCH (d:Deployment {id: id}) RETURN properties(d) AS props"
DEPLOYMENT_SERVING_AT: LiteralString = """
MATCH (d:Deployment {id: $id})-[s:SERVES]->(v:ModelVersion)
WHERE s.since <= $at AND (s.until IS NULL OR s.until > $at)
RETURN v.id AS version_id, v.model_name AS model, v.version AS version, s.trafficPercent AS traffic_percent,
       s.since AS since, s.until AS until
ORDER BY traffic_percent DESC
"""
TIMELINE: LiteralString = """
MATCH (e:DeploymentEvent {deployment_id: $id}) WHERE e.seq > $after
RETURN properties(e) AS props ORDER BY e.seq LIMIT $limit
"""
# Per production deployment (in name order, from the keyset cursor's deployment on): the newest span that began at or
# before T, through the (deployment_id, since) index in descending order (one entry read), then the
# spans that began with it (a deployment's spans change together) and had not ended by T. The cost is
# a few index entries per deployment, however long the serving history is.
IN_PRODUCTION_AT: LiteralString = """
MATCH (d:Deployment {environment: 'production'})
WHERE ($model IS NULL OR d.model_name = $model)
  AND ($after IS NULL OR d.model_name > $after[0]
       OR (d.model_name = $after[0] AND (d.name > $after[1] OR (d.name = $after[1] AND d.id >= $after[2]))))
WITH d ORDER BY d.model_name, d.name, d.id
WITH d, d.id AS did
CALL (did) {
  MATCH ()-[s:SERVES]->() WHERE s.deployment_id = did AND s.since <= $at
  RETURN s.since AS started ORDER BY s.deployment_id DESC, s.since DESC LIMIT 1
}
CALL (did, started) {
  MATCH ()-[s:SERVES]->(v:ModelVersion) WHERE s.deployment_id = did AND s.since = started
  WITH s, v WHERE s.until IS NULL OR s.until > $at
  WITH s, v ORDER BY s.trafficPercent DESC, v.version DESC
  // A list per span, times as epoch seconds and microseconds: cheap to decode by the thousand.
  RETURN collect([v.model_name, v.version, v.id, s.trafficPercent,
                  s.since.epochSeconds, s.since.microsecond, s.until.epochSeconds, s.until.microsecond]) AS spans
}
WITH d, spans WHERE size(spans) > 0
RETURN d.id AS deployment_id, d.name AS deployment, d.environment_name AS environment,
       d.model_name AS model_name, spans
LIMIT $limit
"""
VERSION_DEPLOYMENTS: LiteralString = """
MATCH (d:Deployment)-[s:SERVES]->(v:ModelVersion {id: $version_id}) WHERE s.until IS NULL
RETURN properties(d) AS props, s.trafficPercent AS traffic_percent ORDER BY d.name
"""

# ---- health --------------------------------------------------------------------------------
DEPLOYMENTS_EXIST: LiteralString = """
UNWIND $ids AS id
OPTIONAL MATCH (d:Deployment {id: id})
RETURN id, d IS NOT NULL AS found, d.desired_state AS desired_state
"""
LOCK_WINDOWS: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deployment {id: row.deployment_id})
MERGE (w:HealthWindow {deployment_id: row.deployment_id, minute: row.minute})
  ON CREATE SET w.id = row.id, w.count = 0, w.created_at = $at
MERGE (w)-[:FOR]->(d)
SET w.updated_at = $at
RETURN row.deployment_id AS deployment_id, row.minute AS minute, properties(w) AS props
"""
WRITE_WINDOWS: LiteralString = """
UNWIND $rows AS row
MATCH (w:HealthWindow {deployment_id: row.deployment_id, minute: row.minute})
SET w += row.props
"""
SET_HEALTH: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deployment {id: row.deployment_id})
WITH d, row, coalesce(d.health_status, 'UNKNOWN') AS before
WHERE d.health_at IS NULL OR row.minute >= d.health_at
SET d.health_status = row.status, d.health_at = row.minute
RETURN d.id AS deployment_id, before, row.status AS after, row.minute AS minute
"""
HEALTH_WINDOWS: LiteralString = """
MATCH (w:HealthWindow {deployment_id: $id}) WHERE w.minute >= $from AND w.minute < $to
RETURN properties(w) AS props ORDER BY w.minute LIMIT $limit
"""
COUNT_DEPLOYMENTS_OF_MODEL: LiteralString = """
MATCH (d:Deployment {model_id: $model_id}) WHERE d.name IS NOT NULL RETURN count(d) AS total
"""
DEPLOYMENTS_OF_MODEL: LiteralString = """
MATCH (d:Deployment {model_id: $model_id}) WHERE d.name > coalesce($after, '')
RETURN properties(d) AS props ORDER BY d.name LIMIT $limit
"""
