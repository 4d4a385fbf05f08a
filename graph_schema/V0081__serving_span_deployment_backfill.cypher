// Data change (the index is V0080): every serving span names its deployment.
MATCH (d:Deployment)-[s:SERVES]->() WHERE s.deployment_id IS NULL SET s.deployment_id = d.id;
