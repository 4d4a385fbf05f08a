// Every write reads the caller's grants, and grants are listed per principal: look them up by principal.
CREATE INDEX grant_principal IF NOT EXISTS FOR (n:Grant) ON (n.principal);
