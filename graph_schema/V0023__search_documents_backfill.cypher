// Backfill the search document of every existing model version (same fields as the write path).
MATCH (v:ModelVersion)
CALL (v) {
  MATCH (v)-[:VERSION_OF]->(m:Model)
  OPTIONAL MATCH (v)-[:TRAINED_BY]->(r:Run)
  OPTIONAL MATCH (r)-[:IN]->(x:Experiment)
  CALL (r) {
    OPTIONAL MATCH (r)-[:USED]->()-[:COMPUTED_FROM*0..1]->(d:DatasetVersion)
    RETURN collect(DISTINCT d) AS data
  }
  CALL (r) {
    OPTIONAL MATCH (r)-[:USED]->(f:Feature)
    RETURN collect(DISTINCT f.name) AS used
  }
  CALL (v) {
    OPTIONAL MATCH (a:Alias)-[p:POINTS_TO]->(v) WHERE p.until IS NULL
    RETURN collect(a.name) AS aliases
  }
  SET v.s_text_model = trim(coalesce(m.name, '') + ' ' + coalesce(m.description, '') + ' '
                          + coalesce(m.intended_use, '')),
      v.s_tags = coalesce(m.tags, []), v.s_domain = m.domain, v.s_task = m.task, v.s_licence = m.licence,
      v.s_owners = coalesce(m.owners, []), v.s_teams = coalesce(m.owner_teams, []),
      v.s_regulatory = coalesce(m.regulatory, []), v.s_model_updated_at = m.updated_at,
      v.s_framework = r.framework, v.s_duration = r.duration_seconds,
      v.s_text_run = trim(coalesce(r.name, '') + ' ' + coalesce(r.notes, '') + ' ' + coalesce(x.name, '') + ' '
                        + coalesce(x.description, '')),
      v.s_text_data = reduce(t = '', d IN data | t + ' ' + coalesce(d.dataset_name, '') + ' '
                           + coalesce(d.description, '')),
      v.s_data_domains = [d IN data WHERE d.data_domain IS NOT NULL | d.data_domain],
      v.s_personal = any(d IN data WHERE coalesce(d.contains_personal_data, true)),
      v.s_trained_on = [d IN data | d.id],
      v.s_features = used + [k IN keys(v) WHERE k STARTS WITH 'fi.' | substring(k, 3)],
      v.s_aliases = aliases
} IN TRANSACTIONS OF 2000 ROWS;
