// Models keep the data sources their versions were trained on (data change; see ADD_KNOWN_SOURCES).
MATCH (m:Model) WHERE m.known_sources IS NULL
CALL (m) {
  OPTIONAL MATCH (m)<-[:VERSION_OF]-(:ModelVersion)-[:TRAINED_BY]->(:Run)-[:USED]->(n)
  OPTIONAL MATCH (n)-[:COMPUTED_FROM]->(src:DatasetVersion)
  WITH m, CASE WHEN n:DatasetVersion THEN n ELSE src END AS d
  WITH m, collect(DISTINCT d.source_uri) AS sources
  SET m.known_sources = sources
} IN TRANSACTIONS OF 1000 ROWS;
