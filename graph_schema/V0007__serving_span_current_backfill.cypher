// Mark the serving spans that are still open (data change, kept apart from the schema change).
MATCH ()-[s:SERVES]->() WHERE s.until IS NULL SET s.current = true;
