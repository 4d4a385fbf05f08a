// Data change: a dataset the OpenLineage intake created for a source that a registered dataset
// also holds is a copy (every one of its versions was "Seen first in an OpenLineage event").
// Its versions move to the registered dataset, numbered after that dataset's own (the run links
// stay as they were); `merged_from` keeps the copy's name, and the emptied copy is removed.
MATCH (copy:Dataset)<-[:VERSION_OF]-(v:DatasetVersion)
WHERE v.source_uri IS NOT NULL
  AND NOT EXISTS {
    MATCH (copy)<-[:VERSION_OF]-(o:DatasetVersion)
    WHERE coalesce(o.description, '') <> 'Seen first in an OpenLineage event'
  }
  AND NOT EXISTS { MATCH (:DatasetSource)-[:SOURCE_OF]->(copy) }
WITH copy, v, trim(v.source_uri) AS raw
WITH copy, v, CASE WHEN raw ENDS WITH '/' AND size(raw) > 1 THEN left(raw, size(raw) - 1) ELSE raw END AS u
WITH copy, v, u, split(u, '://') AS parts
WITH copy, v, u, parts, CASE WHEN size(parts) > 1 THEN substring(u, size(parts[0]) + 3) ELSE '' END AS rest
WITH copy, v, CASE
    WHEN u STARTS WITH '/' THEN 'file://' + u
    WHEN size(parts) > 1 THEN toLower(parts[0]) + '://' + toLower(split(rest, '/')[0]) + substring(rest, size(split(rest, '/')[0]))
    ELSE u
  END AS key
MATCH (:DatasetSource {key: key})-[:SOURCE_OF]->(keep:Dataset)
WHERE keep <> copy
WITH keep, copy, v ORDER BY v.created_at
CALL (keep, copy, v) {
  MATCH (v)-[old:VERSION_OF]->(copy)
  SET keep.seq = keep.seq + 1, copy.merged_into = keep.name
  SET v.dataset_id = keep.id, v.dataset_name = keep.name, v.version = keep.seq, v.merged_from = copy.name
  DELETE old
  CREATE (v)-[:VERSION_OF {since: v.created_at}]->(keep)
};
MATCH (copy:Dataset) WHERE copy.merged_into IS NOT NULL AND NOT EXISTS { MATCH (copy)<-[:VERSION_OF]-() }
DETACH DELETE copy;
