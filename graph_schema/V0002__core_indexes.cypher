// Range indexes for the lookups and sorts the API does on every request.
CREATE INDEX model_version_created IF NOT EXISTS FOR (n:ModelVersion) ON (n.created_at);
CREATE INDEX model_version_status IF NOT EXISTS FOR (n:ModelVersion) ON (n.status);
CREATE INDEX run_status IF NOT EXISTS FOR (n:Run) ON (n.status);
CREATE INDEX run_created IF NOT EXISTS FOR (n:Run) ON (n.created_at);
CREATE INDEX model_domain IF NOT EXISTS FOR (n:Model) ON (n.domain);
CREATE INDEX model_task IF NOT EXISTS FOR (n:Model) ON (n.task);
CREATE INDEX audit_time IF NOT EXISTS FOR (n:AuditEvent) ON (n.at);
CREATE INDEX alias_move_time IF NOT EXISTS FOR (n:AliasMove) ON (n.at);
CREATE INDEX revision_target IF NOT EXISTS FOR (n:Revision) ON (n.target_id);
