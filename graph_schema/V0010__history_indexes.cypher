// Performance history and deployment status (issue 6): natural keys and the lookups its queries do.

CREATE CONSTRAINT environment_name IF NOT EXISTS FOR (n:Environment) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT deployment_name IF NOT EXISTS FOR (n:Deployment) REQUIRE (n.environment_id, n.name) IS UNIQUE;
// One window per deployment and minute: concurrent health reports MERGE into the same node.
CREATE CONSTRAINT health_window_slot IF NOT EXISTS FOR (n:HealthWindow) REQUIRE (n.deployment_id, n.minute) IS UNIQUE;
// An evaluation is superseded at most once (two concurrent corrections cannot both win).
CREATE CONSTRAINT evaluation_supersedes IF NOT EXISTS FOR (n:Evaluation) REQUIRE n.supersedes IS UNIQUE;
CREATE CONSTRAINT feedback_id IF NOT EXISTS FOR (n:Feedback) REQUIRE n.id IS UNIQUE;

CREATE INDEX evaluation_model_time IF NOT EXISTS FOR (n:Evaluation) ON (n.model_id, n.evaluated_at);
CREATE INDEX evaluation_version_time IF NOT EXISTS FOR (n:Evaluation) ON (n.version_id, n.evaluated_at);
CREATE INDEX deployment_environment IF NOT EXISTS FOR (n:Deployment) ON (n.environment);
CREATE INDEX deployment_event_seq IF NOT EXISTS FOR (n:DeploymentEvent) ON (n.deployment_id, n.seq);
CREATE INDEX serves_since IF NOT EXISTS FOR ()-[s:SERVES]-() ON (s.since);
CREATE INDEX annotation_about IF NOT EXISTS FOR (n:Annotation) ON (n.about_id);
CREATE INDEX feedback_version_time IF NOT EXISTS FOR (n:Feedback) ON (n.version_id, n.observed_at);
