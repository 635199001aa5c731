// researcher_owner: who holds the verified claim on a researcher record (null if nobody);
// the API lets only them split works off it.
//
// Parameters:
//   $key  author key, e.g. "qizhen-zhang"
//
// No row when the researcher does not exist.
//
// In Neo4j Browser:
//   :param key => "qizhen-zhang"
MATCH (a:Author {key: $key})
OPTIONAL MATCH (u:User)-[:CLAIMS {status: 'VERIFIED'}]->(a)
RETURN a.key AS id, head(collect(u.id)) AS owner
