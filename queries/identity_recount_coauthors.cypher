// identity_recount_coauthors: recount the COAUTHOR edges of researcher records whose works
// changed hands, with every author of those works, as the loaders count them (see
// loaders/graph_writer.py REFRESH_COAUTHOR): weight = shared papers with at most
// $maxAuthors authors, firstYear and lastYear of those; no edge when none are shared.
// One edge per pair, from the lower key to the higher.
//
// Parameters:
//   $keys        the records, e.g. ["qizhen-zhang"]
//   $papers      arXiv ids of the works that moved, e.g. ["2401.00001"]
//   $maxAuthors  the loaders' COAUTHOR cap (KG_COAUTHOR_MAX_AUTHORS), e.g. 100
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang"]
//   :param papers => ["2401.00001"]
//   :param maxAuthors => 100
UNWIND $keys AS key
MATCH (x:Author {key: key})
CALL (x) {
  UNWIND $papers AS id
  MATCH (:Paper {arxivId: id})<-[:AUTHORED]-(y:Author) WHERE y <> x
  RETURN DISTINCT y
}
WITH DISTINCT CASE WHEN x.key < y.key THEN [x, y] ELSE [y, x] END AS pair
WITH pair[0] AS a, pair[1] AS b
CALL (a, b) {
  OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
  WHERE p.authorCount <= $maxAuthors
  RETURN count(p) AS shared, min(p.year) AS firstYear, max(p.year) AS lastYear
}
CALL (a, b, shared, firstYear, lastYear) {
  WITH * WHERE shared > 0 AND NOT EXISTS { (a)-[:COAUTHOR]-(b) }
  CREATE (a)-[:COAUTHOR {weight: shared, firstYear: firstYear, lastYear: lastYear}]->(b)
}
CALL (a, b, shared, firstYear, lastYear) {
  WITH * WHERE shared > 0
  MATCH (a)-[c:COAUTHOR]-(b)
  SET c.weight = shared, c.firstYear = firstYear, c.lastYear = lastYear
}
CALL (a, b, shared) {
  WITH * WHERE shared = 0
  MATCH (a)-[c:COAUTHOR]-(b)
  DELETE c
}
RETURN count(*) AS pairs
