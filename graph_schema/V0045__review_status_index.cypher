// Reviews that wait too long are found by their status (oldest first), not by walking every review.
CREATE INDEX review_status_created IF NOT EXISTS FOR (n:Review) ON (n.status, n.created_at);
