// Full-text indexes behind `search(input: {text})` (issue 5). Each label has its own index so the
// search query knows which entity a hit came from; string and string-array properties are indexed.
CREATE FULLTEXT INDEX search_model IF NOT EXISTS FOR (n:Model) ON EACH [n.name, n.description, n.tags, n.intended_use, n.domain, n.task];
CREATE FULLTEXT INDEX search_model_version IF NOT EXISTS FOR (n:ModelVersion) ON EACH [n.notes, n.model_name];
CREATE FULLTEXT INDEX search_run IF NOT EXISTS FOR (n:Run) ON EACH [n.notes, n.name];
CREATE FULLTEXT INDEX search_experiment IF NOT EXISTS FOR (n:Experiment) ON EACH [n.description, n.name];
CREATE FULLTEXT INDEX search_dataset_version IF NOT EXISTS FOR (n:DatasetVersion) ON EACH [n.description, n.dataset_name];
