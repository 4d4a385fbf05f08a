// Ranked metric scores (app/graph/search_queries.py METRIC_SCORES_OF_V): read in value order for a
// metric sort on a dataset, and by version when the evaluation write path rebuilds a version's.
CREATE INDEX metric_score_rank IF NOT EXISTS FOR (n:MetricScore) ON (n.key, n.dataset, n.value);
CREATE INDEX metric_score_version IF NOT EXISTS FOR (n:MetricScore) ON (n.version_id);
