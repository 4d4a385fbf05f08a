// The audit trail of one node is looked up by target id.
CREATE INDEX audit_target IF NOT EXISTS FOR (n:AuditEvent) ON (n.target_id);
