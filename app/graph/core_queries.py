"""Cypher for the provenance core. Values are always $parameters; labels come from code."""

from __future__ import annotations

from typing import LiteralString

# ---- projects and experiments ------------------------------------------------------------
# Names are unique ignoring case: looked up by the stored normalised key (under a uniqueness constraint).
PROJECT_EXISTS: LiteralString = "MATCH (p:Project {name_key: $name_key}) RETURN p.id AS id"
EXPERIMENT_EXISTS: LiteralString = (
    "MATCH (e:Experiment {name: $name})-[:IN]->(:Project {name: $project}) RETURN e.id AS id"
)
FEATURE_EXISTS: LiteralString = "MATCH (f:Feature {name: $name})-[:IN]->(:Project {name: $project}) RETURN f.id AS id"
MODEL_EXISTS: LiteralString = "MATCH (m:Model {name_key: $name_key}) RETURN m.id AS id"
CREATE_PROJECT: LiteralString = """
CREATE (p:Project {id: $id, name: $name, name_key: $name_key, description: $description, owners: $owners,
                   created_at: $at, updated_at: $at, created_by: $actor, revision: 1})
SET p += $custom
RETURN properties(p) AS props
"""
CREATE_EXPERIMENT: LiteralString = """
MATCH (p:Project {name: $project})
CREATE (e:Experiment {id: $id, name: $name, project_id: p.id, project_name: p.name,
                      description: $description, created_at: $at, updated_at: $at,
                      created_by: $actor, revision: 1})-[:IN {since: $at}]->(p)
SET e += $custom
RETURN properties(e) AS props
"""

# ---- datasets and features ---------------------------------------------------------------
REGISTER_DATASET_VERSION: LiteralString = """
MERGE (d:Dataset {name: $dataset})
  ON CREATE SET d.id = $dataset_id, d.created_at = $at, d.seq = 0, d.created_by = $actor
SET d.seq = d.seq + 1
CREATE (v:DatasetVersion {id: $id, dataset_id: d.id, dataset_name: d.name, version: d.seq,
        source_uri: $source_uri, digest: $digest, row_count: $row_count, schema: $schema,
        data_domain: $data_domain, training_allowed: $training_allowed,
        commercial_use: $commercial_use, contains_personal_data: $contains_personal_data,
        preprocessing: $preprocessing, description: $description,
        created_at: $at, created_by: $actor})-[:VERSION_OF {since: $at}]->(d)
SET v += $extra
WITH v
CALL (v) {
  UNWIND $derived_from AS src
  MATCH (s:DatasetVersion {id: src.id})
  CREATE (v)-[:DERIVED_FROM {step: src.step, since: $at}]->(s)
  RETURN count(*) AS linked
}
RETURN properties(v) AS props, linked
"""
# A dataset's identity as OpenLineage names it (app/domain/openlineage.py): one DatasetSource per key
# (uniqueness constraint), pointing at the one dataset registered with that source.
DATASET_OF_SOURCE: LiteralString = """
MATCH (s:DatasetSource {key: $key})-[:SOURCE_OF]->(d:Dataset)
RETURN properties(d) AS props
"""
LATEST_VERSION_OF_SOURCE: LiteralString = """
MATCH (s:DatasetSource {key: $key})-[:SOURCE_OF]->(d:Dataset)
MATCH (v:DatasetVersion {dataset_id: d.id, version: d.seq})
RETURN properties(v) AS props
"""
# A source names the first dataset registered with it (derived datasets may record the same
# source; they do not take its identity over). MERGE on the constrained key serialises concurrent
# first registrations, so a source never names two datasets.
LINK_DATASET_SOURCE: LiteralString = """
MATCH (d:Dataset {name: $dataset})
MERGE (s:DatasetSource {key: $key})
  ON CREATE SET s.namespace = $namespace, s.name = $name, s.created_at = $at, s.dataset_id = d.id
WITH s, d WHERE s.dataset_id = d.id
MERGE (s)-[:SOURCE_OF]->(d)
RETURN s.key AS key
"""
LINK_PRODUCED_BY: LiteralString = """
MATCH (v:DatasetVersion {id: $id})
MATCH (r:Run {id: $run_id})
CREATE (v)-[:PRODUCED_BY {since: $at}]->(r)
RETURN r.status AS status
"""
REGISTER_FEATURE: LiteralString = """
MATCH (p:Project {name: $project})
MATCH (s:DatasetVersion {id: $source_dataset_version_id})
CREATE (f:Feature {id: $id, name: $name, project_id: p.id, project_name: p.name,
        dtype: $dtype, definition: $definition, description: $description,
        source_dataset_version_id: s.id, created_at: $at, created_by: $actor})
CREATE (f)-[:COMPUTED_FROM {since: $at}]->(s)
CREATE (f)-[:IN {since: $at}]->(p)
RETURN properties(f) AS props
"""
COUNT_INPUTS: LiteralString = """
UNWIND $ids AS input_id
OPTIONAL MATCH (n {id: input_id}) WHERE n:DatasetVersion OR n:Feature
RETURN input_id, n IS NOT NULL AS found
"""

# ---- runs ----------------------------------------------------------------------------------
START_RUN: LiteralString = """
MATCH (e:Experiment {id: $experiment_id})
CREATE (r:Run {id: $id, name: $name, experiment_id: e.id, project_id: e.project_id,
        status: 'RUNNING', started_at: $started_at, code_version: $code_version, external_id: $external_id,
        notes: $notes, framework: $framework, framework_version: $framework_version,
        hardware: $hardware, container_image: $container_image, python_version: $python_version,
        created_at: $at, updated_at: $at, created_by: $actor, revision: 1})-[:IN {since: $at}]->(e)
SET r += $dynamic
SET r += $lineage
WITH r
CALL (r) {
  UNWIND $inputs AS input_id
  MATCH (n {id: input_id}) WHERE n:DatasetVersion OR n:Feature
  CREATE (r)-[:USED {since: $at}]->(n)
  RETURN count(*) AS used
}
RETURN properties(r) AS props
"""
LOCK_RUN: LiteralString = """
MATCH (r:Run {id: $id})
SET r.revision = r.revision + 1
RETURN r.status AS status, r.started_at AS started_at
"""
ADD_RUN_INPUTS: LiteralString = """
MATCH (r:Run {id: $id})
UNWIND $inputs AS input_id
MATCH (n {id: input_id}) WHERE (n:DatasetVersion OR n:Feature) AND NOT (r)-[:USED]->(n)
CREATE (r)-[:USED {since: $at}]->(n)
RETURN count(*) AS added
"""
FINISH_RUN: LiteralString = """
MATCH (r:Run {id: $id})
SET r.status = $status, r.ended_at = $ended_at, r.updated_at = $at,
    r.duration_seconds = $duration, r.notes = coalesce($notes, r.notes)
SET r += $dynamic
SET r += $lineage
RETURN properties(r) AS props
"""

# ---- models, versions, artifacts -------------------------------------------------------------
CREATE_MODEL: LiteralString = """
OPTIONAL MATCH (p:Project {name: $project})
CREATE (m:Model {id: $id, name: $name, name_key: $name_key, description: $description, owners: $owners,
        owner_teams: $owner_teams, domain: $domain, task: $task, tags: $tags, licence: $licence,
        regulatory: $regulatory, intended_use: $intended_use, commercial_use: $commercial_use,
        project_id: p.id, status: 'ACTIVE', seq: 0, revision: 1,
        created_at: $at, updated_at: $at, created_by: $actor})
SET m += $custom
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (m)-[:IN {since: $at}]->(p))
RETURN properties(m) AS props
"""
# Batches register set-wise: numbers reserved in one step under the model's lock, every version
# created by one UNWIND (a batch of 500 was 2,500 round trips when each version went alone); the
# (model_id, version) uniqueness constraint backs the numbering.
# The model's write lock and its next numbers, with the status of each run to register from (one
# round trip: a missing model returns no row, a missing run a null status).
RESERVE_VERSION_NUMBERS: LiteralString = """
MATCH (m:Model {name: $model})
SET m.seq = m.seq + $count, m.updated_at = $at
WITH m.seq - $count AS base
CALL () {
  UNWIND $ids AS run_id
  OPTIONAL MATCH (r:Run {id: run_id})
  RETURN collect({run_id: run_id, status: r.status}) AS runs
}
RETURN base, runs
"""
MISSING_VERSIONS: LiteralString = """
UNWIND $ids AS version_id
OPTIONAL MATCH (v:ModelVersion {id: version_id})
WITH version_id, v WHERE v IS NULL
RETURN version_id
"""
REGISTER_MODEL_VERSIONS: LiteralString = """
MATCH (m:Model {name: $model})
UNWIND $rows AS row
MATCH (r:Run {id: row.run_id})
CREATE (v:ModelVersion {id: row.id, model_id: m.id, model_name: m.name, version: row.version,
        run_id: r.id, status: 'READY', artifact_uri: row.artifact_uri, artifact_digest: row.artifact_digest,
        artifact_size: row.artifact_size, artifact_format: row.artifact_format, signature: row.signature,
        feature_importance: row.importance_json, notes: row.notes, created_at: $at, updated_at: $at,
        created_by: $actor, revision: 1})
SET v += row.dynamic
CREATE (v)-[:VERSION_OF {since: $at}]->(m)
CREATE (v)-[:TRAINED_BY {since: $at}]->(r)
CREATE (a:Artifact {id: row.artifact_id, uri: row.artifact_uri, digest: row.artifact_digest,
        size: row.artifact_size, format: row.artifact_format, created_at: $at})
CREATE (v)-[:STORED_AS {since: $at}]->(a)
// A directory's files: one ArtifactFile per digest however many versions hold it.
FOREACH (f IN row.artifact_files |
  MERGE (file:ArtifactFile {digest: f.digest}) ON CREATE SET file.size = f.size
  CREATE (a)-[:CONTAINS {path: f.path, size: f.size}]->(file))
WITH v, row
OPTIONAL MATCH (base:ModelVersion {id: row.fine_tuned_from})
FOREACH (_ IN CASE WHEN base IS NULL THEN [] ELSE [1] END |
  CREATE (v)-[:FINE_TUNED_FROM {since: $at}]->(base))
RETURN v.id AS id, v.version AS version ORDER BY v.version
"""
RUN_BY_EXTERNAL_ID: LiteralString = "MATCH (r:Run {external_id: $external_id}) RETURN properties(r) AS props"
LATEST_DATASET_VERSION_BY_SOURCE: LiteralString = """
MATCH (v:DatasetVersion {source_uri: $source_uri}) RETURN properties(v) AS props ORDER BY v.version DESC LIMIT 1
"""
PROJECT_BY_NAME: LiteralString = "MATCH (p:Project {name: $name}) RETURN properties(p) AS props"
EXPERIMENT_BY_NAME: LiteralString = """
MATCH (e:Experiment {name: $name})-[:IN]->(:Project {name: $project}) RETURN properties(e) AS props
"""
MODEL_BY_NAME: LiteralString = "MATCH (m:Model {name: $name}) RETURN properties(m) AS props"
VERSION_BY_NUMBER: LiteralString = """
MATCH (v:ModelVersion {model_id: $model_id, version: $version}) RETURN properties(v) AS props
"""
# A range on version (never "$before IS NULL OR ...") lets the planner seek the (model_id, version) index.
VERSIONS_OF_MODELS: LiteralString = """
UNWIND $model_ids AS model_id
CALL (model_id) {
  MATCH (v:ModelVersion)
  WHERE v.model_id = model_id AND v.version < coalesce($before, 9223372036854775807)
  RETURN v ORDER BY v.version DESC LIMIT $limit
}
RETURN model_id, properties(v) AS props
"""
# A version by model name and number or alias in one round trip (the most common read of all).
VERSION_BY_REF: LiteralString = """
MATCH (m:Model {name: $model})
OPTIONAL MATCH (:Alias {model_id: m.id, name: $alias})-[p:POINTS_TO WHERE p.until IS NULL]->(aliased:ModelVersion)
WITH m, CASE WHEN $alias IS NULL THEN $version ELSE aliased.version END AS number
MATCH (v:ModelVersion {model_id: m.id, version: number})
RETURN properties(v) AS props
"""
VERSION_BY_DIGEST: LiteralString = """
MATCH (v:ModelVersion {artifact_digest: $digest}) RETURN properties(v) AS props ORDER BY v.created_at LIMIT 1
"""
# A file of a directory artifact is read under the first version that holds it (downloads ask policy about it).
VERSION_BY_FILE_DIGEST: LiteralString = """
MATCH (:ArtifactFile {digest: $digest})<-[:CONTAINS]-(:Artifact)<-[:STORED_AS]-(v:ModelVersion)
RETURN properties(v) AS props ORDER BY v.created_at LIMIT 1
"""
COUNT_VERSIONS: LiteralString = "MATCH (m:Model {id: $model_id}) RETURN m.seq AS total"
LIST_MODELS: LiteralString = """
MATCH (m:Model) WHERE m.name > coalesce($after, '')
RETURN properties(m) AS props ORDER BY m.name LIMIT $limit
"""
ARCHIVE_VERSION: LiteralString = """
MATCH (v:ModelVersion {model_id: $model_id, version: $version})
SET v.status = 'ARCHIVED', v.archived_at = $at, v.archive_reason = $reason, v.updated_at = $at,
    v.revision = v.revision + 1
RETURN properties(v) AS props
"""
ALIASES_ON_VERSION: LiteralString = """
MATCH (a:Alias)-[p:POINTS_TO]->(v:ModelVersion {id: $id}) WHERE p.until IS NULL
RETURN a.name AS alias
"""

# ---- aliases --------------------------------------------------------------------------------
LOCK_MODEL: LiteralString = """
MATCH (m:Model {name: $model})
SET m.alias_seq = coalesce(m.alias_seq, 0) + 1
RETURN properties(m) AS props
"""
CURRENT_ALIAS_TARGET: LiteralString = """
MATCH (a:Alias {model_id: $model_id, name: $alias})-[p:POINTS_TO]->(v:ModelVersion)
WHERE p.until IS NULL
RETURN a.id AS alias_id, v.version AS version, v.id AS version_id
"""
MOVE_ALIAS: LiteralString = """
MATCH (v:ModelVersion {model_id: $model_id, version: $version})
MERGE (a:Alias {model_id: $model_id, name: $alias})
  ON CREATE SET a.id = $alias_id, a.created_at = $at, a.model_name = $model_name
WITH a, v
OPTIONAL MATCH (a)-[old:POINTS_TO]->() WHERE old.until IS NULL
SET old.until = $at
CREATE (a)-[:POINTS_TO {since: $at, actor: $actor, reason: $reason}]->(v)
RETURN a.id AS id
"""
CLOSE_ALIAS: LiteralString = """
MATCH (a:Alias {model_id: $model_id, name: $alias})-[p:POINTS_TO]->(v:ModelVersion) WHERE p.until IS NULL
SET p.until = $at
RETURN a.id AS id, v.id AS version_id
"""
ALIAS_AT: LiteralString = """
MATCH (a:Alias {model_id: $model_id, name: $alias})-[p:POINTS_TO]->(v:ModelVersion)
WHERE p.since <= $at AND (p.until IS NULL OR p.until > $at)
RETURN a.name AS alias, v.version AS version, v.id AS version_id, p.since AS since,
       p.until AS until, p.actor AS actor
"""
# `a.name IS NOT NULL` lets the planner seek the (model_id, name) constraint's index by its prefix;
# without it every Alias in the graph was scanned (96 ms for a version by alias at 100k versions).
ALIAS_HISTORY: LiteralString = """
MATCH (a:Alias {model_id: $model_id})-[p:POINTS_TO]->(v:ModelVersion)
WHERE a.name IS NOT NULL AND ($alias IS NULL OR a.name = $alias)
RETURN a.name AS alias, v.version AS version, v.id AS version_id, p.since AS since,
       p.until AS until, p.actor AS actor
ORDER BY p.since DESC LIMIT 500
"""
ALIASES_OF_MODEL: LiteralString = """
MATCH (a:Alias {model_id: $model_id})-[p:POINTS_TO]->(v:ModelVersion) WHERE a.name IS NOT NULL AND p.until IS NULL
RETURN a.name AS alias, v.version AS version, v.id AS version_id, p.since AS since,
       p.until AS until, p.actor AS actor
ORDER BY a.name
"""

ALIASES_OF_MODELS: LiteralString = """
UNWIND $model_ids AS model_id
MATCH (a:Alias {model_id: model_id})-[p:POINTS_TO]->(v:ModelVersion) WHERE a.name IS NOT NULL AND p.until IS NULL
RETURN model_id, a.name AS alias, v.version AS version, v.id AS version_id, p.since AS since,
       p.until AS until, p.actor AS actor
ORDER BY model_id, a.name
"""

# ---- revisions of mutable metadata -------------------------------------------------------
BUMP_REVISION: dict[str, LiteralString] = {
    "Project": "MATCH (n:Project {id: $id}) SET n.revision = n.revision + 1 RETURN properties(n) AS props",
    "Experiment": "MATCH (n:Experiment {id: $id}) SET n.revision = n.revision + 1 RETURN properties(n) AS props",
    "Run": "MATCH (n:Run {id: $id}) SET n.revision = n.revision + 1 RETURN properties(n) AS props",
    "Model": "MATCH (n:Model {id: $id}) SET n.revision = n.revision + 1 RETURN properties(n) AS props",
    "ModelVersion": "MATCH (n:ModelVersion {id: $id}) SET n.revision = n.revision + 1 RETURN properties(n) AS props",
}
_APPLY_REVISION: LiteralString = """
SET n += $changes, n.updated_at = $at
CREATE (rev:Revision {id: $rev_id, target_id: $id, revision: n.revision, at: $at, actor: $actor,
                      changes: $changes_json})-[:OF]->(n)
RETURN properties(n) AS props
"""
APPLY_REVISION: dict[str, LiteralString] = {
    label: "MATCH (n:" + label + " {id: $id}) " + _APPLY_REVISION for label in BUMP_REVISION
}

# ---- generic reads ----------------------------------------------------------------------------
NODES_BY_ID: dict[str, LiteralString] = {
    label: "UNWIND $ids AS node_id MATCH (n:" + label + " {id: node_id}) RETURN properties(n) AS props"
    for label in (
        "Project",
        "Experiment",
        "Run",
        "Dataset",
        "DatasetVersion",
        "Feature",
        "Model",
        "ModelVersion",
        "Artifact",
        "Alias",
        "Evaluation",
        "Deployment",
        "Environment",
        "DeploymentEvent",
        "Review",
        "AuditEvent",
        "Term",
        "Annotation",
        "Principal",
    )
}  # labels come from this fixed tuple, never from a request
DATASET_VERSION_BY_NUMBER: LiteralString = """
MATCH (v:DatasetVersion {dataset_id: $dataset_id, version: $version}) RETURN properties(v) AS props
"""
DATASET_BY_NAME: LiteralString = "MATCH (d:Dataset {name: $name}) RETURN properties(d) AS props"
LATEST_VERSION_OF_DATASET: LiteralString = """
MATCH (d:Dataset {name: $name})
MATCH (v:DatasetVersion)
WHERE v.dataset_id = d.id AND v.version IS NOT NULL
RETURN properties(v) AS props ORDER BY v.version DESC LIMIT 1
"""
# The dataset versions runs trained on (directly, or through the features they used), each once, in
# the order of the first run that used it: one query for every run of a batch.
TRAINING_DATA_OF_RUNS: LiteralString = """
UNWIND range(0, size($ids) - 1) AS i
MATCH (r:Run {id: $ids[i]})-[:USED]->(n)
OPTIONAL MATCH (n)-[:COMPUTED_FROM]->(src:DatasetVersion)
WITH i, CASE WHEN n:DatasetVersion THEN n ELSE src END AS d
WHERE d IS NOT NULL
WITH d, min(i) AS first
RETURN properties(d) AS props ORDER BY first, d.id
"""
# Versions affected by a dataset version: trained on it, on data derived from it or on features
# computed from those, and versions fine-tuned from any of them. Keyset pages by version id.
_IMPACTED: LiteralString = """
MATCH (d:DatasetVersion {id: $id})
MATCH (d)<-[:DERIVED_FROM|COMPUTED_FROM*0..6]-(x)<-[:USED]-(:Run)<-[:TRAINED_BY]-(base:ModelVersion)
WITH DISTINCT base
OPTIONAL MATCH (tuned:ModelVersion)-[:FINE_TUNED_FROM*1..5]->(base)
UNWIND [base, tuned] AS v
WITH DISTINCT v WHERE v IS NOT NULL
"""
IMPACTED_VERSIONS_PAGE: LiteralString = (
    _IMPACTED
    + """WITH v WHERE v.id > coalesce($after, '')
RETURN properties(v) AS props ORDER BY v.id LIMIT $limit
"""
)
IMPACTED_VERSIONS_COUNT: LiteralString = _IMPACTED + "WITH v LIMIT $cap RETURN count(v) AS n"
# A model keeps the data sources its versions were trained on (for the "new data source" flag),
# so publishing reads one property instead of walking every version's run and inputs.
ADD_KNOWN_SOURCES: LiteralString = """
MATCH (m:Model {name: $model})
UNWIND $run_ids AS run_id
MATCH (r:Run {id: run_id})-[:USED]->(n)
OPTIONAL MATCH (n)-[:COMPUTED_FROM]->(src:DatasetVersion)
WITH m, CASE WHEN n:DatasetVersion THEN n ELSE src END AS d
WHERE d IS NOT NULL AND d.source_uri IS NOT NULL
WITH m, collect(DISTINCT d.source_uri) AS found
SET m.known_sources = coalesce(m.known_sources, []) + [x IN found WHERE NOT x IN coalesce(m.known_sources, [])]
"""


def _about(source_label: LiteralString) -> dict[str, LiteralString]:
    """`(source)-[:ABOUT]->(target)` with both ends found through their id index."""
    return {
        label: "MATCH (s:" + source_label + " {id: $source_id}) MATCH (t:" + label + " {id: $target_id}) "
        "CREATE (s)-[:ABOUT]->(t)"
        for label in NODES_BY_ID
        if label != "AuditEvent"
    }


AUDIT_ABOUT: dict[str, LiteralString] = _about("AuditEvent")
REVIEW_ABOUT: dict[str, LiteralString] = _about("Review")

# ---- browsing: a project's models and experiments (by name), an experiment's runs (newest first)
IN_PROJECT_BY_NAME: dict[str, LiteralString] = {
    label: "MATCH (n:" + label + " {project_id: $parent}) WHERE n.name > coalesce($after, '') "
    "RETURN properties(n) AS props ORDER BY n.name LIMIT $limit"
    for label in ("Model", "Experiment")
}  # labels come from this fixed tuple, never from a request
COUNT_MODELS: LiteralString = "MATCH (m:Model) RETURN count(m) AS total"
COUNT_IN_PROJECT: dict[str, LiteralString] = {
    label: "MATCH (n:" + label + " {project_id: $parent}) WHERE n.name IS NOT NULL RETURN count(n) AS total"
    for label in ("Model", "Experiment")
}  # labels come from this fixed tuple, never from a request
COUNT_RUNS_OF_EXPERIMENT: LiteralString = """
MATCH (r:Run {experiment_id: $parent}) WHERE r.started_at IS NOT NULL RETURN count(r) AS total
"""
RUNS_OF_EXPERIMENT: LiteralString = """
MATCH (r:Run {experiment_id: $parent})
WHERE r.started_at IS NOT NULL
  AND ($before_at IS NULL OR r.started_at < $before_at OR (r.started_at = $before_at AND r.id < $before_id))
RETURN properties(r) AS props ORDER BY r.started_at DESC, r.id DESC LIMIT $limit
"""

# ---- per-item fields of a page, one query per page (DataLoaders) ------------------------------
RUN_INPUTS_OF_RUNS: LiteralString = """
UNWIND $ids AS run_id
MATCH (:Run {id: run_id})-[:USED]->(n)
RETURN run_id, labels(n)[0] AS label, properties(n) AS props ORDER BY run_id, n.id
"""
RUN_OUTPUTS_OF_RUNS: LiteralString = """
UNWIND $ids AS run_id
MATCH (:Run {id: run_id})<-[:PRODUCED_BY]-(v:DatasetVersion)
RETURN run_id, properties(v) AS props ORDER BY run_id, v.dataset_name, v.version
"""
PRODUCERS_OF_VERSIONS: LiteralString = """
UNWIND $ids AS version_id
MATCH (:DatasetVersion {id: version_id})-[:PRODUCED_BY]->(r:Run)
RETURN version_id, properties(r) AS props
"""
FILES_OF_VERSIONS: LiteralString = """
UNWIND $ids AS version_id
MATCH (:ModelVersion {id: version_id})-[:STORED_AS]->(:Artifact)-[c:CONTAINS]->(f:ArtifactFile)
RETURN version_id, c.path AS path, f.digest AS digest, f.size AS size ORDER BY version_id, path
"""
REVISIONS_OF_NODES: LiteralString = """
UNWIND $ids AS target
MATCH (rev:Revision {target_id: target})
WITH target, rev ORDER BY rev.revision DESC
WITH target, collect(rev)[..$limit] AS revs
UNWIND revs AS rev
RETURN target, rev.revision AS revision, rev.at AS at, rev.actor AS actor, rev.changes AS changes
ORDER BY target, rev.revision DESC
"""
