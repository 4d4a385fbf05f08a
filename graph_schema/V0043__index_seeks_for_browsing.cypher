// Browsing pages (project -> models, experiment -> runs, model -> deployments) seek these instead of
// walking every node of their label.
CREATE INDEX model_project_name IF NOT EXISTS FOR (n:Model) ON (n.project_id, n.name);
CREATE INDEX run_experiment_start IF NOT EXISTS FOR (n:Run) ON (n.experiment_id, n.started_at);
CREATE INDEX deployment_model_name IF NOT EXISTS FOR (n:Deployment) ON (n.model_id, n.name);
