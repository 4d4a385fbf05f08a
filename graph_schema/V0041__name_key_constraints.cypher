// `Credit-Default` and `credit-default` are the same model: names are unique on their normalised key.
CREATE CONSTRAINT model_name_key IF NOT EXISTS FOR (n:Model) REQUIRE n.name_key IS UNIQUE;
CREATE CONSTRAINT project_name_key IF NOT EXISTS FOR (n:Project) REQUIRE n.name_key IS UNIQUE;
