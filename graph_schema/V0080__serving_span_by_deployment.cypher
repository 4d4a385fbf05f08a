// "What was in production at T" seeks, per deployment, the newest serving span that began at or
// before T (spans of one deployment change together, so their common start marks the split served
// at T). The seek needs the deployment on the span itself.
CREATE INDEX serves_deployment_since IF NOT EXISTS FOR ()-[s:SERVES]-() ON (s.deployment_id, s.since);
