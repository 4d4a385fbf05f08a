// Found by the query-plan test's label-scan check: these lookups walked every node of their label.
// Comparing versions reads each version's evaluations by (model, version).
CREATE INDEX evaluation_model_version IF NOT EXISTS FOR (n:Evaluation) ON (n.model_id, n.version);
// A version's drift and below-baseline flags.
CREATE INDEX feedback_version_time IF NOT EXISTS FOR (n:Feedback) ON (n.version_id, n.observed_at);
// The single checkpoint head, found by id like every other node.
CREATE CONSTRAINT audit_checkpoint_head_id IF NOT EXISTS FOR (n:AuditCheckpointHead) REQUIRE n.id IS UNIQUE;
