"""Pure Python: entities, validation, version rules, vocabularies. No I/O here."""
