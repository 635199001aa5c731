// topic_institutions: where is a topic worked on? Institutions of the researchers who
// published in the topic, ranked by how many of those researchers they have.
// Only affiliations given in arXiv feeds are known (the bulk snapshot carries none).
//
// Parameters:
//   $topic  arXiv category code, e.g. "cs.DB"
//   $first  how many, e.g. 10
//
// In Neo4j Browser:
//   :param topic => "cs.DB"
//   :param first => 10
MATCH (:Topic {code: $topic})<-[:HAS_TOPIC]-(:Paper)<-[:AUTHORED]-(a:Author)
WITH DISTINCT a
MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution)
WITH i, count(a) AS researchers, collect(a.name)[..5] AS some, max(r.lastYear) AS lastYear
RETURN
  i.key AS id,
  i.name AS name,
  researchers,
  some AS researchersSample,
  lastYear
ORDER BY researchers DESC, lastYear DESC, name
LIMIT $first
