// follow_researcher: $user follows researcher $key (again is a no-op); returns the new count.
// No row when the researcher does not exist, and then nothing is written.
//
// Parameters:
//   $user  the caller's id, e.g. "alice"
//   $key   author key, e.g. "qizhen-zhang"
//
// In Neo4j Browser:
//   :param user => "analyst"
//   :param key => "qizhen-zhang"
MATCH (a:Author {key: $key})
MERGE (u:User {id: $user})
MERGE (u)-[f:FOLLOWS]->(a)
ON CREATE SET f.since = datetime()
RETURN a.key AS id, a.name AS name, COUNT { (:User)-[:FOLLOWS]->(a) } AS followersCount
