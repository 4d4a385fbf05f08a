// Open validation findings are a search facet (FINDING): backfill the search document of every
// existing model version with the checks of its open findings (same expression as the write path,
// app/graph/search_queries.py OPEN_FINDING_CHECKS).
MATCH (v:ModelVersion)
CALL (v) {
  SET v.s_findings = COLLECT {
    MATCH (f:Finding {subject_id: v.id, status: 'open'}) WITH DISTINCT f.check AS c RETURN c ORDER BY c
  }
} IN TRANSACTIONS OF 2000 ROWS;
