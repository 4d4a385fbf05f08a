// Search reads one denormalised document per model version (s_* properties kept current by the
// write path) instead of joining five full-text indexes and the version's model, run and data.
// Filter values (domain, task, licence, framework, aliases, tags, regulation) are indexed too, so
// equality filters can narrow the candidates inside Lucene before the exact check in Cypher.
CREATE FULLTEXT INDEX search_doc IF NOT EXISTS FOR (n:ModelVersion) ON EACH [n.model_name, n.notes, n.s_text_model, n.s_tags, n.s_domain, n.s_task, n.s_text_run, n.s_text_data, n.s_licence, n.s_framework, n.s_aliases, n.s_regulatory];
CREATE INDEX search_domain IF NOT EXISTS FOR (n:ModelVersion) ON (n.s_domain);
CREATE INDEX search_licence IF NOT EXISTS FOR (n:ModelVersion) ON (n.s_licence);
DROP INDEX search_model IF EXISTS;
DROP INDEX search_model_version IF EXISTS;
DROP INDEX search_run IF EXISTS;
DROP INDEX search_experiment IF EXISTS;
DROP INDEX search_dataset_version IF EXISTS;
