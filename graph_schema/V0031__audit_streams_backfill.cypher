// The global chain written before streams becomes the stream 'legacy', verified like any other
// (its events' hashes do not cover the labels added here: see app/graph/audit.py).
MATCH (e:AuditEvent) WHERE e.chain IS NULL
CALL (e) { SET e.chain = 'legacy', e.position = e.at.epochMillis * 1000000 + e.seq % 1000000 }
IN TRANSACTIONS OF 5000 ROWS;
MATCH (h:AuditHead {id: 'audit-head'})
MERGE (s:AuditStream {id: 'legacy'})
SET s.seq = h.seq, s.hash = h.hash, s.dirty = true
DELETE h;
