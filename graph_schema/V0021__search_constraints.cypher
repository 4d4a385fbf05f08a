// Controlled vocabularies and saved searches (issue 5).
CREATE CONSTRAINT term_value IF NOT EXISTS FOR (n:Term) REQUIRE (n.vocabulary, n.value) IS UNIQUE;
CREATE CONSTRAINT saved_search_id IF NOT EXISTS FOR (n:SavedSearch) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT saved_search_name IF NOT EXISTS FOR (n:SavedSearch) REQUIRE n.name IS UNIQUE;
// Filters and facets that start from the training run or the evaluation.
CREATE INDEX run_framework IF NOT EXISTS FOR (n:Run) ON (n.framework);
CREATE INDEX model_licence IF NOT EXISTS FOR (n:Model) ON (n.licence);
