// A dataset's identity as OpenLineage names it (namespace + name, joined into one key; see
// app/domain/openlineage.py): one DatasetSource per key, pointing at the one dataset registered
// with that source. The constraint is what keeps an OpenLineage producer and a registration from
// ever making two datasets of one source.
CREATE CONSTRAINT dataset_source_key IF NOT EXISTS FOR (n:DatasetSource) REQUIRE n.key IS UNIQUE;
