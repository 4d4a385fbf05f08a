// Data change (the constraint is V0070): every registered source becomes a DatasetSource of its
// dataset. The key is computed as app/domain/openlineage.py computes it for ordinary URIs
// (scheme and host lowercased, one trailing '/' dropped, a bare absolute path is file://).
// When two datasets hold one source (an OpenLineage intake made a copy of a registered dataset),
// the source belongs to the one registered by a person (else the oldest); V0072 merges the copy.
MATCH (d:Dataset)<-[:VERSION_OF]-(v:DatasetVersion)
WHERE v.source_uri IS NOT NULL AND trim(v.source_uri) <> ''
WITH d, v, trim(v.source_uri) AS raw
WITH d, v, CASE WHEN raw ENDS WITH '/' AND size(raw) > 1 THEN left(raw, size(raw) - 1) ELSE raw END AS u
WITH d, v, u, split(u, '://') AS parts
WITH d, v, u, parts, CASE WHEN size(parts) > 1 THEN substring(u, size(parts[0]) + 3) ELSE '' END AS rest
WITH d, v, CASE
    WHEN u STARTS WITH '/' THEN 'file://' + u
    WHEN size(parts) > 1 THEN toLower(parts[0]) + '://' + toLower(split(rest, '/')[0]) + substring(rest, size(split(rest, '/')[0]))
    ELSE u
  END AS key
WITH key, d, min(v.created_at) AS first_seen,
     collect(coalesce(v.description, '')) AS descriptions
WITH key, d, first_seen, all(x IN descriptions WHERE x = 'Seen first in an OpenLineage event') AS copied
ORDER BY key, copied, first_seen
WITH key, collect(d)[0] AS keep
MERGE (s:DatasetSource {key: key})
  ON CREATE SET s.created_at = datetime(), s.dataset_id = keep.id
MERGE (s)-[:SOURCE_OF]->(keep);
