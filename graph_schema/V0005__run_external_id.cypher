// Runs reported by other systems (OpenLineage runIds) are found again by their external id.
CREATE CONSTRAINT run_external_id IF NOT EXISTS FOR (n:Run) REQUIRE n.external_id IS UNIQUE;
CREATE INDEX dataset_version_source IF NOT EXISTS FOR (n:DatasetVersion) ON (n.source_uri);
