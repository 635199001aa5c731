// strong_ties: keep on each researcher with more than $keep co-authors their $keep strongest
// co-authors (most shared works first, then the most recent, then by id) as two lists,
// `strongTies` (ids) and `strongTieWeights` (shared works), so the researcher in context
// reads a hub's strongest ties from one node instead of sorting thousands of COAUTHOR
// edges. A researcher with $keep co-authors or fewer keeps no lists (their edges are read
// directly, as few as the lists would be). The loaders and identity operations run this
// for every record whose COAUTHOR edges they changed.
//
// Parameters:
//   $keys  researcher ids whose COAUTHOR edges changed, e.g. ["qizhen-zhang"]
//   $keep  how many ties to keep (the context field's largest limit), e.g. 100
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang"]
//   :param keep => 100
UNWIND $keys AS key
MATCH (a:Author {key: key})
CALL (a) {
  WITH * WHERE COUNT { (a)-[:COAUTHOR]-() } > $keep
  MATCH (a)-[c:COAUTHOR]-(b:Author)
  WITH b, c ORDER BY c.weight DESC, c.lastYear DESC, b.key LIMIT $keep
  RETURN collect(b.key) AS ties, collect(c.weight) AS weights
}
SET a.strongTies = CASE WHEN ties <> [] THEN ties END,
  a.strongTieWeights = CASE WHEN ties <> [] THEN weights END
RETURN count(a) AS researchers
