// identity_recount_affiliations: recount researcher records' AFFILIATED_WITH edges to the
// institutions named on works that changed hands, as the loaders do (see
// loaders/graph_writer.py RECOUNT_AFFILIATIONS): an edge while any of the record's works
// gives the institution (an arXiv affiliation or an OpenAlex institution of the
// authorship), with the first and latest year of those; none when no work does.
//
// Parameters:
//   $keys          the records, e.g. ["zihang-liu"]
//   $institutions  institution keys named on the moved works, e.g. ["tsinghua-university"]
//
// In Neo4j Browser:
//   :param keys => ["zihang-liu"]
//   :param institutions => ["tsinghua-university"]
UNWIND $keys AS key
MATCH (a:Author {key: key})
UNWIND $institutions AS institution
MATCH (i:Institution {key: institution})
CALL (a, i) {
  OPTIONAL MATCH (a)-[r:AUTHORED]->(p:Paper)
  WHERE i.key IN r.affiliations OR i.key IN coalesce(r.institutions, [])
  RETURN min(p.year) AS firstYear, max(p.year) AS lastYear
}
CALL (a, i, firstYear, lastYear) {
  WITH * WHERE lastYear IS NOT NULL
  MERGE (a)-[f:AFFILIATED_WITH]->(i)
  SET f.firstYear = firstYear, f.lastYear = lastYear
}
CALL (a, i, lastYear) {
  WITH * WHERE lastYear IS NULL
  MATCH (a)-[f:AFFILIATED_WITH]->(i)
  DELETE f
}
RETURN count(*) AS pairs
