// identity_recount_coauthors: recount the COAUTHOR edges of researcher records whose works
// changed hands, with every author of those works, as the loaders count them (see
// loaders/graph_writer.py REFRESH_COAUTHOR): weight = shared papers with at most
// $maxAuthors authors, firstYear and lastYear of those, years and yearWorks their count per
// year; no edge when none are shared.
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
  WHERE p.authorCount <= $maxAuthors AND p.year IS NOT NULL
  WITH p.year AS year, count(p) AS n WHERE n > 0
  ORDER BY year
  RETURN collect(year) AS years, collect(n) AS yearWorks
}
WITH a, b, years, yearWorks, reduce(s = 0, n IN yearWorks | s + n) AS shared
CALL (a, b, shared, years, yearWorks) {
  WITH * WHERE shared > 0 AND NOT EXISTS { (a)-[:COAUTHOR]-(b) }
  CREATE (a)-[:COAUTHOR {
    weight: shared, firstYear: years[0], lastYear: years[-1], years: years, yearWorks: yearWorks
  }]->(b)
}
CALL (a, b, shared, years, yearWorks) {
  WITH * WHERE shared > 0
  MATCH (a)-[c:COAUTHOR]-(b)
  SET c.weight = shared, c.firstYear = years[0], c.lastYear = years[-1],
    c.years = years, c.yearWorks = yearWorks
}
CALL (a, b, shared) {
  WITH * WHERE shared = 0
  MATCH (a)-[c:COAUTHOR]-(b)
  DELETE c
}
RETURN count(*) AS pairs, collect(DISTINCT a.key) + collect(DISTINCT b.key) AS touched
