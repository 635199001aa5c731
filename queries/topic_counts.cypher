// topic_counts: keep on each researcher with more than $over works their works per topic
// (arXiv category code), most works first, then by code: `topicCodes` and `topicWorks`
// (parallel lists). A profile page's topics and the researcher in context then read a
// prolific researcher's topics from one node instead of the categories of thousands of
// works. A researcher with $over works or fewer keeps no lists (their works are read
// directly, as few as the lists would be). The loaders and identity operations run this
// for every record whose works changed (a work counts once per AUTHORED edge, as the
// pages count them).
//
// Parameters:
//   $keys  researcher ids whose works changed, e.g. ["qizhen-zhang"]
//   $over  works a researcher needs more than to keep lists, e.g. 100
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang"]
//   :param over => 100
UNWIND $keys AS key
MATCH (a:Author {key: key})
CALL (a) {
  WITH * WHERE COUNT { (a)-[:AUTHORED]->() } > $over
  MATCH (a)-[:AUTHORED]->(p)
  UNWIND p.categories AS code
  WITH code, count(*) AS works
  ORDER BY works DESC, code
  RETURN collect(code) AS codes, collect(works) AS counts
  UNION ALL
  WITH * WHERE COUNT { (a)-[:AUTHORED]->() } <= $over
  RETURN null AS codes, null AS counts
}
SET a.topicCodes = codes, a.topicWorks = counts
RETURN count(a) AS researchers
