// researcher_viewer: what the caller has to do with a researcher record: whether they follow
// it and their own claim on it (PENDING, VERIFIED or REJECTED; null if none), so a page can
// show its buttons in the right state. One row per key found.
//
// Parameters:
//   $keys  author keys, e.g. ["qizhen-zhang"]
//   $user  the caller's user id (from their API key), e.g. "alice"
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang"]
//   :param user => "alice"
OPTIONAL MATCH (u:User {id: $user})
UNWIND $keys AS key
MATCH (a:Author {key: key})
RETURN
  key,
  u IS NOT NULL AND EXISTS { (u)-[:FOLLOWS]->(a) } AS following,
  CASE WHEN u IS NULL THEN null
    ELSE head(COLLECT { MATCH (u)-[c:CLAIMS]->(a) RETURN c.status })
  END AS claim
