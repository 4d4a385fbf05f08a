// Model and project names are unique ignoring case: store the normalised key the constraint holds
// (data change, kept apart from the schema change in V0041). Names are ASCII by rule, so toLower is
// the case fold. Two names that differ only in case make V0041 fail: rename one, then migrate again.
MATCH (n:Model) WHERE n.name_key IS NULL SET n.name_key = toLower(n.name);
MATCH (n:Project) WHERE n.name_key IS NULL SET n.name_key = toLower(n.name);
