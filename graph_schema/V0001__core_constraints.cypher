// Every node has a stable `id` under a uniqueness constraint (DESIGN.md, The graph).

CREATE CONSTRAINT project_id IF NOT EXISTS FOR (n:Project) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT experiment_id IF NOT EXISTS FOR (n:Experiment) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT run_id IF NOT EXISTS FOR (n:Run) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT dataset_id IF NOT EXISTS FOR (n:Dataset) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT dataset_version_id IF NOT EXISTS FOR (n:DatasetVersion) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT feature_id IF NOT EXISTS FOR (n:Feature) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT model_id IF NOT EXISTS FOR (n:Model) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT model_version_id IF NOT EXISTS FOR (n:ModelVersion) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT artifact_id IF NOT EXISTS FOR (n:Artifact) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT evaluation_id IF NOT EXISTS FOR (n:Evaluation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT deployment_id IF NOT EXISTS FOR (n:Deployment) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT environment_id IF NOT EXISTS FOR (n:Environment) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT deployment_event_id IF NOT EXISTS FOR (n:DeploymentEvent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT health_window_id IF NOT EXISTS FOR (n:HealthWindow) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT alias_id IF NOT EXISTS FOR (n:Alias) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT principal_id IF NOT EXISTS FOR (n:Principal) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT grant_id IF NOT EXISTS FOR (n:Grant) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT review_id IF NOT EXISTS FOR (n:Review) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT audit_event_id IF NOT EXISTS FOR (n:AuditEvent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT term_id IF NOT EXISTS FOR (n:Term) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT annotation_id IF NOT EXISTS FOR (n:Annotation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT revision_id IF NOT EXISTS FOR (n:Revision) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT alias_move_id IF NOT EXISTS FOR (n:AliasMove) REQUIRE n.id IS UNIQUE;

// Names users look things up by.
CREATE CONSTRAINT project_name IF NOT EXISTS FOR (n:Project) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT model_name IF NOT EXISTS FOR (n:Model) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT dataset_name IF NOT EXISTS FOR (n:Dataset) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT principal_name IF NOT EXISTS FOR (n:Principal) REQUIRE n.name IS UNIQUE;

// Version numbers: never two versions with the same number for one model (backs the per-model counter).
CREATE CONSTRAINT model_version_number IF NOT EXISTS FOR (n:ModelVersion) REQUIRE (n.model_id, n.version) IS UNIQUE;
CREATE CONSTRAINT dataset_version_number IF NOT EXISTS FOR (n:DatasetVersion) REQUIRE (n.dataset_id, n.version) IS UNIQUE;
// One alias name per model.
CREATE CONSTRAINT alias_name IF NOT EXISTS FOR (n:Alias) REQUIRE (n.model_id, n.name) IS UNIQUE;
// A feature name is unique per project.
CREATE CONSTRAINT feature_name IF NOT EXISTS FOR (n:Feature) REQUIRE (n.project_id, n.name) IS UNIQUE;
CREATE CONSTRAINT experiment_name IF NOT EXISTS FOR (n:Experiment) REQUIRE (n.project_id, n.name) IS UNIQUE;

// Idempotency keys: a retried write finds its first outcome here instead of writing again.
CREATE CONSTRAINT idempotency_key IF NOT EXISTS FOR (n:IdempotencyRecord) REQUIRE n.key IS UNIQUE;
// Audit chain: one event per sequence number.
CREATE CONSTRAINT audit_seq IF NOT EXISTS FOR (n:AuditEvent) REQUIRE n.seq IS UNIQUE;
CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.key_hash IS UNIQUE;
