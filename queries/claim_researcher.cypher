// claim_researcher: $user says researcher record $key is theirs. Creates a PENDING claim
// unless someone else's claim was already verified. Repeating it changes nothing: the
// claim keeps its status, which an operator sets to VERIFIED or REJECTED (`kg claims`).
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
OPTIONAL MATCH (other:User)-[:CLAIMS {status: 'VERIFIED'}]->(a) WHERE other.id <> $user
WITH a, other.id AS verifiedBy LIMIT 1
CALL (a, verifiedBy) {
  WITH * WHERE verifiedBy IS NULL
  MERGE (u:User {id: $user})
  MERGE (u)-[c:CLAIMS]->(a)
  ON CREATE SET c.status = 'PENDING', c.createdAt = datetime()
  RETURN c.status AS status
  UNION
  WITH * WHERE verifiedBy IS NOT NULL
  RETURN null AS status
}
RETURN a.key AS id, a.name AS name, status, verifiedBy IS NOT NULL AS conflict
