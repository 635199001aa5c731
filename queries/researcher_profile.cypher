// researcher_profile: who is this researcher? Name, spellings, counts, topics, institutions.
// The GraphQL `researcher` field runs it once per request for every researcher it needs.
//
// Parameters:
//   $keys   researcher record keys (GraphQL ids), e.g. ["qizhen-zhang"]; one row per key found
//
// An id whose record was merged into another (an AuthorRedirect) answers with that record,
// and movedFrom is the id asked for (null for a current id).
// pagerank and community: from the last `kg analytics` run, null before it.
// claimStatus: VERIFIED if a claim on the record was verified, PENDING if someone has
// claimed it and no claim was decided yet, else UNCLAIMED (rejected claims do not count).
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang"]
UNWIND $keys AS key
OPTIONAL MATCH (live:Author {key: key})
OPTIONAL MATCH (:AuthorRedirect {key: key})-[:MOVED_TO]->(moved:Author) WHERE live IS NULL
WITH key, coalesce(live, moved) AS a
WHERE a IS NOT NULL
RETURN
  a.key AS id,
  CASE WHEN a.key <> key THEN key END AS movedFrom,
  a.name AS name,
  coalesce(a.nameVariants, []) AS nameVariants,
  a.pagerank AS pagerank,
  a.community AS community,
  COUNT { (a)-[:AUTHORED]->(:Paper) } AS worksCount,
  COUNT { (:User)-[:FOLLOWS]->(a) } AS followersCount,
  CASE
    WHEN EXISTS { (:User)-[:CLAIMS {status: 'VERIFIED'}]->(a) } THEN 'VERIFIED'
    WHEN EXISTS { (:User)-[:CLAIMS {status: 'PENDING'}]->(a) } THEN 'PENDING'
    ELSE 'UNCLAIMED'
  END AS claimStatus,
  COLLECT {
    MATCH (a)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(t:Topic)
    WITH t, count(*) AS works
    ORDER BY works DESC, t.code
    RETURN t {.code, .label, .name, worksCount: works}
  } AS topics,
  COLLECT {
    MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution)
    WITH i, r ORDER BY r.lastYear DESC, i.name
    RETURN i {id: i.key, .name, lastYear: r.lastYear}
  } AS institutions
