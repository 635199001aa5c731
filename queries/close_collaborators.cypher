// close_collaborators: a researcher's co-authors with at least $minShared works in common,
// optionally counting only works from $fromYear to $toYear; how many, and one page of them.
//
// Shared works never count papers with more than $maxAuthors authors (the loader's
// KG_COAUTHOR_MAX_AUTHORS, default 100): those add no COAUTHOR edge. Without a time
// window the COAUTHOR edge's weight is the count; with one, works are counted per year.
//
// Parameters:
//   $keys       author keys, e.g. ["qizhen-zhang"]; one row per key found
//   $minShared  at least this many shared works, e.g. 2
//   $fromYear   first year counted, or null;  $toYear  last year counted, or null
//   $maxAuthors the loader's COAUTHOR cap, e.g. 100
//   $order      "SHARED_WORKS" (most first), "LAST_YEAR" (most recent first) or "NAME"
//   $skip, $limit  the page, e.g. 0 and 10 ($limit 0 just counts)
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang"]
//   :param minShared => 2
//   :param fromYear => null
//   :param toYear => null
//   :param maxAuthors => 100
//   :param order => "SHARED_WORKS"
//   :param skip => 0
//   :param limit => 10
UNWIND $keys AS key
MATCH (a:Author {key: key})
CALL (a) {
  MATCH (a)-[c:COAUTHOR]-(b:Author)
  WHERE c.weight >= $minShared
    AND ($fromYear IS NULL OR c.lastYear >= $fromYear)
    AND ($toYear IS NULL OR c.firstYear <= $toYear)
  CALL (a, b, c) {
    WITH * WHERE $fromYear IS NULL AND $toYear IS NULL
    RETURN c.weight AS shared, c.firstYear AS firstYear, c.lastYear AS lastYear
    UNION
    WITH * WHERE $fromYear IS NOT NULL OR $toYear IS NOT NULL
    MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
    WHERE p.authorCount <= $maxAuthors
      AND p.year >= coalesce($fromYear, p.year) AND p.year <= coalesce($toYear, p.year)
    RETURN count(p) AS shared, min(p.year) AS firstYear, max(p.year) AS lastYear
  }
  WITH b, shared, firstYear, lastYear WHERE shared >= $minShared
  ORDER BY
    CASE $order WHEN 'SHARED_WORKS' THEN shared END DESC,
    CASE $order WHEN 'LAST_YEAR' THEN lastYear END DESC,
    CASE $order WHEN 'NAME' THEN b.name END,
    shared DESC, b.key
  RETURN count(b) AS total, collect({
    id: b.key, name: b.name, sharedWorks: shared, firstYear: firstYear, lastYear: lastYear
  })[$skip..$skip + $limit] AS page
}
RETURN key, total, page
