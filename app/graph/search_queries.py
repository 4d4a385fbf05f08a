"""Cypher fragments for search. Every piece is a constant keyed by an internal enum; request values
only ever arrive as $parameters (the repository renames $P/$KEY/$MK.. to numbered parameters)."""

from __future__ import annotations

from typing import LiteralString

from app.domain.search import FilterField, FilterOp, Kind, SortBy

# Candidates: full-text hits (scored) or every version. A version is found through its own notes,
# its model (name, description, tags, intended use, domain, task), its run, the run's experiment
# or a training dataset version; scores from several places add up.
TEXT_CANDIDATES: LiteralString = """
CALL () {
  CALL db.index.fulltext.queryNodes('search_model_version', $text) YIELD node, score
  RETURN node AS v, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('search_model', $text) YIELD node, score
  MATCH (v:ModelVersion)-[:VERSION_OF]->(node)
  RETURN v, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('search_run', $text) YIELD node, score
  MATCH (v:ModelVersion)-[:TRAINED_BY]->(node)
  RETURN v, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('search_experiment', $text) YIELD node, score
  MATCH (v:ModelVersion)-[:TRAINED_BY]->(:Run)-[:IN]->(node)
  RETURN v, score * 0.5 AS score
  UNION ALL
  CALL db.index.fulltext.queryNodes('search_dataset_version', $text) YIELD node, score
  MATCH (v:ModelVersion)-[:TRAINED_BY]->(:Run)-[:USED]->(node)
  RETURN v, score * 0.5 AS score
}
WITH v, sum(score) AS score
"""
ALL_CANDIDATES: LiteralString = "MATCH (v:ModelVersion) WITH v, 0.0 AS score\n"
CONTEXT: LiteralString = """
MATCH (v)-[:VERSION_OF]->(m:Model)
OPTIONAL MATCH (v)-[:TRAINED_BY]->(r:Run)
"""

TRAINING_DATA: LiteralString = "(v)-[:TRAINED_BY]->(:Run)-[:USED]->()-[:COMPUTED_FROM*0..1]->(d:DatasetVersion)"

# The value of a field for one row (v: version, m: its model, r: its run). $KEY is the
# validated property name for keyed fields.
FIELD_EXPR: dict[FilterField, LiteralString] = {
    FilterField.DOMAIN: "m.domain",
    FilterField.TASK: "m.task",
    FilterField.DATA_DOMAIN: "COLLECT { MATCH " + TRAINING_DATA + " RETURN DISTINCT d.data_domain }",
    FilterField.FRAMEWORK: "r.framework",
    FilterField.LICENCE: "m.licence",
    FilterField.OWNER: "m.owners",
    FilterField.TEAM: "m.owner_teams",
    FilterField.ALIAS: "[(a:Alias)-[p:POINTS_TO]->(v) WHERE p.until IS NULL | a.name]",
    FilterField.TAG: "m.tags",
    FilterField.REGULATORY: "m.regulatory",
    FilterField.STATUS: "v.status",
    FilterField.MODEL_NAME: "m.name",
    FilterField.TRAINING_DURATION: "r.duration_seconds",
    FilterField.CREATED_AT: "v.created_at",
    FilterField.UPDATED_AT: "m.updated_at",
    FilterField.CUSTOM: "coalesce(v[$KEY], m[$KEY])",
    FilterField.FEATURE_USED: (
        "(COLLECT { MATCH (v)-[:TRAINED_BY]->(:Run)-[:USED]->(f:Feature) RETURN f.name }"
        " + [k IN keys(v) WHERE k STARTS WITH 'fi.' | substring(k, 3)])"
    ),
    FilterField.FEATURE_IMPORTANCE: "v[$KEY]",
    # Unknown counts as personal: a dataset version that does not declare it is not trusted.
    FilterField.CONTAINS_PERSONAL_DATA: (
        "EXISTS { MATCH " + TRAINING_DATA + " WHERE coalesce(d.contains_personal_data, true) }"
    ),
    FilterField.TRAINED_ON: "COLLECT { MATCH " + TRAINING_DATA + " RETURN DISTINCT d.id }",
}

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
  CASE WHEN $MD IS NULL AND $MS IS NULL THEN head([k IN $MK WHERE r[k] IS NOT NULL | r[k]]) END)"""

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
