// "What was in production at T" seeks serving spans by their end, and open spans by a flag.
CREATE INDEX serves_until IF NOT EXISTS FOR ()-[s:SERVES]-() ON (s.until);
CREATE INDEX serves_current IF NOT EXISTS FOR ()-[s:SERVES]-() ON (s.current);
