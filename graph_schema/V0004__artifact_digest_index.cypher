// Downloads find the version that references an artifact by its digest.
CREATE INDEX model_version_artifact_digest IF NOT EXISTS FOR (n:ModelVersion) ON (n.artifact_digest);
