// unfollow_researcher: $user stops following researcher $key (if they did); returns the count.
// No row when the researcher does not exist.
//
// Parameters:
//   $user  the caller's id, e.g. "alice"
//   $key   author key, e.g. "qizhen-zhang"
//
// In Neo4j Browser:
//   :param user => "analyst"
//   :param key => "qizhen-zhang"
MATCH (a:Author {key: $key})
CALL (a) {
  MATCH (:User {id: $user})-[f:FOLLOWS]->(a)
  DELETE f
}
RETURN a.key AS id, a.name AS name, COUNT { (:User)-[:FOLLOWS]->(a) } AS followersCount
