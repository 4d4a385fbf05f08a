// Data change (the indexes are V0090): the ranked metric scores of every stored model version,
// built as the evaluation write path builds them (search_queries.METRIC_SCORES_OF_V, pinned by
// tests/unit/test_migrations.py).
MATCH (v:ModelVersion)
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
};
