"""Cypher fragments for search. Every piece is a constant keyed by an internal enum; request values
only ever arrive as $parameters (the repository renames $P/$KEY/$MK.. to numbered parameters)."""

from __future__ import annotations

from typing import LiteralString

from app.domain.search import FilterField, FilterOp, Kind, SortBy

# The checks of a version's open validation findings, in order (the finding_subject_status index
# finds them). Kept in the search document by every refresh and by the validator when a finding
# opens or resolves (app/graph/validation.py), in that change's transaction.
OPEN_FINDING_CHECKS: LiteralString = """COLLECT {
  MATCH (f:Finding {subject_id: v.id, status: 'open'}) WITH DISTINCT f.check AS c RETURN c ORDER BY c
}"""

# The search document of a model version: what search filters, facets and matches on, copied from
# its model, run, experiment, training data and aliases. The write path refreshes it whenever one of
# those changes (graph_schema/V0023 backfilled it once with the same fields, V0046 the findings).
REFRESH_SEARCH_DOCS: LiteralString = (
    """
UNWIND $ids AS version_id
MATCH (v:ModelVersion {id: version_id})
MATCH (v)-[:VERSION_OF]->(m:Model)
OPTIONAL MATCH (v)-[:TRAINED_BY]->(r:Run)
OPTIONAL MATCH (r)-[:IN]->(x:Experiment)
CALL (r) {
  OPTIONAL MATCH (r)-[:USED]->()-[:COMPUTED_FROM*0..1]->(d:DatasetVersion)
  RETURN collect(DISTINCT d) AS data
}
CALL (r) {
  OPTIONAL MATCH (r)-[:USED]->(f:Feature)
  RETURN collect(DISTINCT f.name) AS used
}
CALL (v) {
  OPTIONAL MATCH (a:Alias)-[p:POINTS_TO]->(v) WHERE p.until IS NULL
  RETURN collect(a.name) AS aliases
}
SET v.s_text_model = trim(coalesce(m.name, '') + ' ' + coalesce(m.description, '') + ' '
                          + coalesce(m.intended_use, '')),
    v.s_tags = coalesce(m.tags, []), v.s_domain = m.domain, v.s_task = m.task, v.s_licence = m.licence,
    v.s_owners = coalesce(m.owners, []), v.s_teams = coalesce(m.owner_teams, []),
    v.s_regulatory = coalesce(m.regulatory, []), v.s_model_updated_at = m.updated_at,
    v.s_framework = r.framework, v.s_duration = r.duration_seconds,
    v.s_text_run = trim(coalesce(r.name, '') + ' ' + coalesce(r.notes, '') + ' ' + coalesce(x.name, '') + ' '
                        + coalesce(x.description, '')),
    v.s_text_data = reduce(t = '', d IN data | t + ' ' + coalesce(d.dataset_name, '') + ' '
                           + coalesce(d.description, '')),
    v.s_data_domains = [d IN data WHERE d.data_domain IS NOT NULL | d.data_domain],
    v.s_personal = any(d IN data WHERE coalesce(d.contains_personal_data, true)),
    v.s_trained_on = [d IN data | d.id],
    v.s_features = used + [k IN keys(v) WHERE k STARTS WITH 'fi.' | substring(k, 3)],
    v.s_aliases = aliases,
    v.s_findings = """
    + OPEN_FINDING_CHECKS
    + """
"""
)
REFRESH_DOC_FINDINGS: LiteralString = (
    """
MATCH (v:ModelVersion {id: $id})
SET v.s_findings = """
    + OPEN_FINDING_CHECKS
    + """
"""
)
# Which versions' documents a change to a node of this label affects.
DOCS_AFFECTED_BY: dict[str, LiteralString] = {
    "Model": "MATCH (v:ModelVersion) WHERE v.model_id = $id RETURN collect(v.id) AS ids",
    "Run": "MATCH (v:ModelVersion)-[:TRAINED_BY]->(:Run {id: $id}) RETURN collect(v.id) AS ids",
    "Experiment": (
        "MATCH (v:ModelVersion)-[:TRAINED_BY]->(:Run)-[:IN]->(:Experiment {id: $id}) RETURN collect(v.id) AS ids"
    ),
    "ModelVersion": "RETURN [$id] AS ids",
}

# Candidates: full-text hits (scored) or every version. A version is found through its own notes,
# its model (name, description, tags, intended use, domain, task), its run, the run's experiment
# or a training dataset version; scores from several places add up.
TEXT_CANDIDATES: LiteralString = """
CALL db.index.fulltext.queryNodes('search_doc', $text) YIELD node AS v, score
WITH v, score
"""
# No text, but filters Lucene can narrow by: the index finds candidates, relevance stays 0.
FILTER_CANDIDATES: LiteralString = """
CALL db.index.fulltext.queryNodes('search_doc', $text) YIELD node AS v
WITH v, 0.0 AS score
"""
ALL_CANDIDATES: LiteralString = "MATCH (v:ModelVersion) WITH v, 0.0 AS score\n"
# The page's rows only: the model and run are read after sorting and the limit.
CONTEXT: LiteralString = """
MATCH (v)-[:VERSION_OF]->(m:Model)
OPTIONAL MATCH (v)-[:TRAINED_BY]->(r:Run)
"""

# The value of a field for one version, from its search document. $KEY is the validated
# property name for keyed fields.
FIELD_EXPR: dict[FilterField, LiteralString] = {
    FilterField.DOMAIN: "v.s_domain",
    FilterField.TASK: "v.s_task",
    FilterField.DATA_DOMAIN: "v.s_data_domains",
    FilterField.FRAMEWORK: "v.s_framework",
    FilterField.LICENCE: "v.s_licence",
    FilterField.OWNER: "v.s_owners",
    FilterField.TEAM: "v.s_teams",
    FilterField.ALIAS: "v.s_aliases",
    FilterField.TAG: "v.s_tags",
    FilterField.REGULATORY: "v.s_regulatory",
    FilterField.STATUS: "v.status",
    FilterField.MODEL_NAME: "v.model_name",
    FilterField.TRAINING_DURATION: "v.s_duration",
    FilterField.CREATED_AT: "v.created_at",
    FilterField.UPDATED_AT: "v.s_model_updated_at",
    # The version's own property, else its model's; either only when its class is readable (CUSTOM_VISIBLE).
    FilterField.CUSTOM: (
        "CASE WHEN v[$KEY] IS NULL "
        "THEN head(COLLECT { MATCH (v)-[:VERSION_OF]->(cm:Model) WHERE VISIBLE(cm) RETURN cm[$KEY] }) "
        "WHEN VISIBLE(v) THEN v[$KEY] END"
    ),
    FilterField.FEATURE_USED: "v.s_features",
    FilterField.FEATURE_IMPORTANCE: "v[$KEY]",
    # Unknown counts as personal: a dataset version that does not declare it is not trusted.
    FilterField.CONTAINS_PERSONAL_DATA: "v.s_personal",
    FilterField.TRAINED_ON: "v.s_trained_on",
    FilterField.FINDING: "v.s_findings",
}

# A custom property's value is seen by a filter only when its class ($CK: its classification key;
# none is public) is one the reader may read ($CL), or may read as an owner ($CO) of the version's
# model — by name ($ME) or team ($MT), as the search document records the model's owners.
CUSTOM_VISIBLE: LiteralString = (
    "(coalesce(N[$CK], 'public') IN $CL OR (coalesce(N[$CK], 'public') IN $CO "
    "AND ($ME IN coalesce(v.s_owners, []) OR any(t IN coalesce(v.s_teams, []) WHERE t IN $MT))))"
)

# Operators per storage kind. X is the field expression, $P the value parameter. EQ/NEQ on
# strings and lists get a list (the value plus its synonyms and narrower terms).
SCALAR_OPS: dict[FilterOp, LiteralString] = {
    FilterOp.EQ: "X = $P",
    FilterOp.NEQ: "X <> $P",
    FilterOp.IN: "X IN $P",
    FilterOp.GT: "X > $P",
    FilterOp.GTE: "X >= $P",
    FilterOp.LT: "X < $P",
    FilterOp.LTE: "X <= $P",
    FilterOp.EXISTS: "X IS NOT NULL",
    FilterOp.PREFIX: "X STARTS WITH $P",
}
STRING_OPS: dict[FilterOp, LiteralString] = {
    FilterOp.EQ: "X IN $P",
    FilterOp.IN: "X IN $P",
    FilterOp.NEQ: "NOT coalesce(X IN $P, false)",
    FilterOp.EXISTS: "X IS NOT NULL",
    FilterOp.PREFIX: "X STARTS WITH $P",
}
LIST_OPS: dict[FilterOp, LiteralString] = {
    FilterOp.EQ: "any(x IN coalesce(X, []) WHERE x IN $P)",
    FilterOp.IN: "any(x IN coalesce(X, []) WHERE x IN $P)",
    FilterOp.NEQ: "none(x IN coalesce(X, []) WHERE x IN $P)",
    FilterOp.EXISTS: "size(coalesce(X, [])) > 0",
    FilterOp.PREFIX: "any(x IN coalesce(X, []) WHERE x STARTS WITH $P)",
}
OPS_BY_KIND: dict[Kind, dict[FilterOp, LiteralString]] = {
    Kind.STRING: STRING_OPS,
    Kind.LIST: LIST_OPS,
    Kind.NUMBER: SCALAR_OPS,
    Kind.TIME: SCALAR_OPS,
    Kind.BOOL: SCALAR_OPS,
    Kind.SCALAR: SCALAR_OPS,
}

# A metric's value for a version: the latest non-superseded evaluation (on the dataset version or
# dataset named $MD, of slice $MS, whole dataset when no slice) else, when neither dataset nor
# slice is asked for, the training run's final metric. $MK lists `metric.<name>` for the name and
# its synonyms.
METRIC_VALUE: LiteralString = """coalesce(head(COLLECT {
    MATCH (e:Evaluation)-[:OF]->(v)
    WHERE NOT EXISTS { MATCH ()-[:SUPERSEDES]->(e) }
      AND any(k IN $MK WHERE e[k] IS NOT NULL)
      AND ($MD IS NULL OR EXISTS { MATCH (e)-[:ON]->(d:DatasetVersion)
                                   WHERE d.id = $MD OR d.dataset_name = $MD })
      AND CASE WHEN $MS IS NULL THEN e.slice IS NULL ELSE e.slice = $MS END
    RETURN head([k IN $MK WHERE e[k] IS NOT NULL | e[k]]) AS x
    ORDER BY coalesce(e.evaluated_at, e.created_at) DESC, e.id DESC LIMIT 1 }),
  CASE WHEN $MD IS NULL AND $MS IS NULL THEN head(COLLECT {
    MATCH (v)-[:TRAINED_BY]->(mr:Run) RETURN head([k IN $MK WHERE mr[k] IS NOT NULL | mr[k]]) }) END)"""

# Ranked metric scores: one MetricScore per version, metric key and dataset key (a dataset version's
# id and its dataset's name both), holding what METRIC_VALUE finds for that dataset without a slice —
# the latest non-superseded whole-dataset evaluation that has the metric. An index on
# (key, dataset, value) reads them in value order, so "top N by a metric on a dataset" reads N
# scores instead of computing every version's metric. The evaluation write path rebuilds a version's
# scores in its transaction; graph_schema/V0091 built them once for stored evaluations.
METRIC_SCORES_OF_V: LiteralString = """
CALL (v) {
  OPTIONAL MATCH (old:MetricScore {version_id: v.id})
  DETACH DELETE old
}
CALL (v) {
  MATCH (e:Evaluation)-[:OF]->(v)
  WHERE e.slice IS NULL AND NOT EXISTS { MATCH ()-[:SUPERSEDES]->(e) }
  MATCH (e)-[:ON]->(d:DatasetVersion)
  UNWIND [k IN keys(e) WHERE k STARTS WITH 'metric.'] AS key
  UNWIND [x IN [d.id, d.dataset_name] WHERE x IS NOT NULL] AS dataset
  WITH DISTINCT key, dataset, e
  ORDER BY coalesce(e.evaluated_at, e.created_at) DESC, e.id DESC
  WITH key, dataset, collect(e)[0] AS latest
  CREATE (:MetricScore {version_id: v.id, key: key, dataset: dataset, value: latest[key], evaluation_id: latest.id})
}
"""
REFRESH_METRIC_SCORES: LiteralString = (
    """
UNWIND $ids AS version_id
MATCH (v:ModelVersion {id: version_id})
"""
    + METRIC_SCORES_OF_V
)
# Candidates in score order for a metric sort on dataset $SD, $SKS the metric's keys (its name and
# synonyms): only when exactly one of them has scores on that dataset — then each version's value
# is its score under that key (with two in use, a version's value is its latest evaluation's, which
# ranking one key cannot tell). No rows otherwise. `sk` is the sort key and `s` the score, kept so
# the page can be ordered by the index's own properties (RANKED_ORDER) and read in index order.
# BOUND narrows the seek to the cursor's side; RANKED_AFTER is the exact keyset condition.
RANKED_CANDIDATES: LiteralString = """
CALL () {
  UNWIND $SKS AS k
  CALL (k) {
    MATCH (x:MetricScore {key: k, dataset: $SD}) WHERE x.value IS NOT NULL
    RETURN x.key AS found ORDER BY x.key, x.dataset, x.value LIMIT 1
  }
  RETURN collect(found) AS used
}
WITH used WHERE size(used) = 1
MATCH (s:MetricScore {key: used[0], dataset: $SD}) WHERE BOUND
WITH s.version_id AS vid, s.value AS sk, s
"""
RANKED_BOUND: dict[bool, LiteralString] = {  # descending? -> seek range after a cursor
    True: "s.value <= $after_key",
    False: "s.value >= $after_key",
}
RANKED_AFTER: dict[bool, LiteralString] = {  # descending? -> keyset condition after the cursor
    True: "WHERE $after_id IS NULL OR sk < $after_key OR (sk = $after_key AND vid > $after_id)\n",
    False: "WHERE $after_id IS NULL OR sk > $after_key OR (sk = $after_key AND vid > $after_id)\n",
}
RANKED_VERSION: LiteralString = "MATCH (v:ModelVersion {id: vid})\nWITH v, 0.0 AS score, sk, s\n"
# The index's properties lead (all equal on one page), so Neo4j reads the index in order and stops.
RANKED_ORDER: dict[bool, LiteralString] = {
    True: "ORDER BY s.key DESC, s.dataset DESC, sk DESC, v.id ASC\n",
    False: "ORDER BY s.key ASC, s.dataset ASC, sk ASC, v.id ASC\n",
}

# Without text a page is ordered by creation time, newest first (by default): read versions in the
# created_at index's order from the cursor's millisecond, at most $scan of them, stopping as soon as
# the page is full (search_repo.newest_page_query says when its rows are the exact page).
NEWEST_CANDIDATES: LiteralString = """
MATCH (v:ModelVersion) WHERE BOUND
WITH v ORDER BY v.created_at DESC LIMIT $scan
WITH v, 0.0 AS score, toFloat(v.created_at.epochMillis) AS sk
"""
NEWEST_BOUND: dict[bool, LiteralString] = {  # after a cursor? -> seek range
    False: "v.created_at IS NOT NULL",
    True: "v.created_at < datetime({epochMillis: toInteger($after_key) + 1})",
}
NEWEST_ORDER: LiteralString = "ORDER BY v.created_at DESC\n"

SORT_KEY: dict[SortBy, LiteralString] = {
    SortBy.RELEVANCE: "score",
    SortBy.CREATED_AT: "toFloat(v.created_at.epochMillis)",
    SortBy.METRIC: "coalesce(METRIC, $sort_missing)",
}
AFTER: dict[bool, LiteralString] = {  # descending? -> keyset condition after the cursor
    True: "WHERE $after_id IS NULL OR sk < $after_key OR (sk = $after_key AND v.id > $after_id)\n",
    False: "WHERE $after_id IS NULL OR sk > $after_key OR (sk = $after_key AND v.id > $after_id)\n",
}
ORDER: dict[bool, LiteralString] = {
    True: "ORDER BY sk DESC, v.id ASC\n",
    False: "ORDER BY sk ASC, v.id ASC\n",
}
PAGE_RETURN: LiteralString = """
RETURN v.id AS id, score, sk, properties(v) AS version, properties(m) AS model,
       properties(r) AS run,
       [(a:Alias)-[p:POINTS_TO]->(v) WHERE p.until IS NULL | a.name] AS aliases
"""
# Without facets the total is counted up to a cap: exact below it, a lower bound at it.
COUNT_RETURN: LiteralString = """
WITH v LIMIT $count_cap
RETURN '_total' AS facet, '' AS value, count(v) AS n
"""
FACETS_RETURN: LiteralString = """
WITH fv WHERE fv[1] IS NOT NULL
RETURN fv[0] AS facet, fv[1] AS value, count(*) AS n
"""


def facet_pairs(fld: FilterField, kind: Kind) -> LiteralString:
    """[[facet, value], ...] for one row; facet names are enum values, never request text."""
    expr = FIELD_EXPR[fld]
    name: LiteralString = "'" + fld.value + "'"  # an enum value, not request text
    if kind is Kind.LIST:
        return "[x IN coalesce(" + expr + ", []) | [" + name + ", x]]"
    if kind is Kind.BOOL:
        return "[[" + name + ", toString(" + expr + ")]]"
    return "[[" + name + ", " + expr + "]]"
