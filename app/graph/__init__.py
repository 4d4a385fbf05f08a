"""The only package that speaks Cypher. Records stop here; domain objects leave."""
