// strong_ties: keep on each researcher with more than $keep co-authors their $keep strongest
// co-authors, in the order a collaborators list gives them (most shared works first, then
// by id): `strongTies` (ids), `strongTieWeights` (shared works), `strongTieFirstYears`,
// `strongTieLastYears`, and `coauthorsByShared` (how many co-authors share at least 1, 2,
// ..., 10 works). The researcher in context and a profile page's collaborators then read a
// hub's strongest ties and close-collaborator counts from one node instead of sorting
// thousands of COAUTHOR edges. A researcher with $keep co-authors or fewer keeps no lists
// (their edges are read directly, as few as the lists would be). The loaders and identity
// operations run this for every record whose COAUTHOR edges they changed.
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
  WITH b, c ORDER BY c.weight DESC, b.key
  WITH collect([b.key, c.weight, c.firstYear, c.lastYear]) AS all
  RETURN all[..$keep] AS ties, [n IN range(1, 10) | size([t IN all WHERE t[1] >= n])] AS counts
}
WITH a, CASE WHEN ties <> [] THEN ties END AS ties, counts
SET a.strongTies = [t IN ties | t[0]],
  a.strongTieWeights = [t IN ties | t[1]],
  a.strongTieFirstYears = [t IN ties | t[2]],
  a.strongTieLastYears = [t IN ties | t[3]],
  a.coauthorsByShared = CASE WHEN ties IS NOT NULL THEN counts END
RETURN count(a) AS researchers
