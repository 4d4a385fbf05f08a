// Audit chains per stream (one per aggregate) instead of one global chain: an event's seq is its
// position in its stream, so the global seq constraint goes and (chain, seq) is unique instead.
DROP CONSTRAINT audit_seq IF EXISTS;
CREATE CONSTRAINT audit_stream_id IF NOT EXISTS FOR (n:AuditStream) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT audit_chain_seq IF NOT EXISTS FOR (n:AuditEvent) REQUIRE (n.chain, n.seq) IS UNIQUE;
// The trail is read newest first by position (time, then a random tie-breaker).
CREATE INDEX audit_position IF NOT EXISTS FOR (n:AuditEvent) ON (n.position);
// Checkpoints take the streams changed since the last one.
CREATE INDEX audit_stream_dirty IF NOT EXISTS FOR (n:AuditStream) ON (n.dirty);
CREATE CONSTRAINT audit_checkpoint_number IF NOT EXISTS FOR (n:AuditCheckpoint) REQUIRE n.number IS UNIQUE;
