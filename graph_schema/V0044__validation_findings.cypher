// Findings of the continuous validator (open and resolved, kept as history), its cursor, and the
// leases that let one replica run periodic work.
CREATE CONSTRAINT finding_id IF NOT EXISTS FOR (n:Finding) REQUIRE n.id IS UNIQUE;
CREATE INDEX finding_subject_status IF NOT EXISTS FOR (n:Finding) ON (n.subject_id, n.status);
CREATE INDEX finding_subject IF NOT EXISTS FOR (n:Finding) ON (n.subject_id);
CREATE INDEX finding_status IF NOT EXISTS FOR (n:Finding) ON (n.status);
CREATE CONSTRAINT lease_name IF NOT EXISTS FOR (n:Lease) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT validator_cursor_name IF NOT EXISTS FOR (n:ValidatorCursor) REQUIRE n.name IS UNIQUE;
