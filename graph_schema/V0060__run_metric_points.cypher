// A run's per-step metric series: one RunMetricPoint per logged (name, step, time), unique by key so a
// re-sent batch adds nothing; read by run (then sorted by name, step and time).
CREATE CONSTRAINT run_metric_point_key IF NOT EXISTS FOR (n:RunMetricPoint) REQUIRE n.key IS UNIQUE;
CREATE INDEX run_metric_point_run IF NOT EXISTS FOR (n:RunMetricPoint) ON (n.run_id);
