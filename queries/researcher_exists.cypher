// researcher_exists: which of these researcher ids are in the graph, and under which id now?
// The profile page asks before it is served, so an unknown id gets a real 404 without
// computing a profile, and an id merged into another record redirects to that record.
//
// Parameters:
//   $keys  author keys, e.g. ["qizhen-zhang", "nobody-at-all"]; one row per key found
//
// id: the id asked for; current: the record's id now (another one after a merge).
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang", "nobody-at-all"]
UNWIND $keys AS key
OPTIONAL MATCH (live:Author {key: key})
OPTIONAL MATCH (:AuthorRedirect {key: key})-[:MOVED_TO]->(moved:Author) WHERE live IS NULL
WITH key, coalesce(live, moved) AS a
WHERE a IS NOT NULL
RETURN key AS id, a.key AS current
