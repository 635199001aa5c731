// researcher_exists: which of these researcher ids are in the graph? The profile page asks
// before it is served, so an unknown id gets a real 404 without computing a profile.
//
// Parameters:
//   $keys  author keys, e.g. ["qizhen-zhang", "nobody-at-all"]; one row per key found
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang", "nobody-at-all"]
UNWIND $keys AS key
MATCH (a:Author {key: key})
RETURN a.key AS id
