// close_collaborators: a researcher's co-authors with at least $minShared works in common,
// optionally counting only works from $fromYear to $toYear; how many, and one page of them.
//
// Shared works never count papers with more than $maxAuthors authors (the loader's
// KG_COAUTHOR_MAX_AUTHORS, default 100): those add no COAUTHOR edge. Without a time
// window the COAUTHOR edge's weight is the count; with one, the edge's per-year counts
// (years, yearWorks) are summed over the window, so a co-author costs one edge either way
// (an edge loaded before kg kept per-year counts has none: its shared works are walked).
// $limit 0 only counts: no co-author is read beyond its edge, and a researcher with over
// 100 co-authors answers a count from a year on (no $toYear, $minShared up to 10) from
// `coauthorsSince` (see strong_ties) without reading an edge.
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
WITH key, a, a.coauthorsSince IS NOT NULL AND $limit = 0 AND $fromYear IS NOT NULL
  AND $toYear IS NULL AND $minShared <= 10 AS since
CALL (a, since) {
  WITH a WHERE since
  WITH a.coauthorsSince AS counts, a.coauthorsSinceYear AS first,
    size(a.coauthorsSince) / 10 AS span
  WITH counts, first, span, CASE WHEN $fromYear < first THEN first ELSE $fromYear END AS year
  RETURN CASE WHEN year >= first + span THEN 0
    ELSE counts[($minShared - 1) * span + year - first] END AS total, [] AS page
  UNION ALL
  WITH a WHERE NOT since
  MATCH (a)-[c:COAUTHOR]-(b:Author)
  WHERE c.weight >= $minShared
    AND ($fromYear IS NULL OR c.lastYear >= $fromYear)
    AND ($toYear IS NULL OR c.firstYear <= $toYear)
  CALL (a, b, c) {
    WITH * WHERE $fromYear IS NULL AND $toYear IS NULL
    RETURN c.weight AS shared, c.firstYear AS firstYear, c.lastYear AS lastYear
    UNION ALL
    WITH * WHERE $fromYear IS NOT NULL OR $toYear IS NOT NULL
    WITH c.years AS years, c.yearWorks AS counts WHERE years IS NOT NULL
    WITH years, counts, [i IN range(0, size(years) - 1)
      WHERE years[i] >= coalesce($fromYear, years[i]) AND years[i] <= coalesce($toYear, years[i])
    ] AS window
    RETURN reduce(s = 0, i IN window | s + counts[i]) AS shared,
      years[window[0]] AS firstYear, years[window[-1]] AS lastYear
    UNION ALL
    WITH * WHERE ($fromYear IS NOT NULL OR $toYear IS NOT NULL) AND c.years IS NULL
    MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
    WHERE p.authorCount <= $maxAuthors
      AND p.year >= coalesce($fromYear, p.year) AND p.year <= coalesce($toYear, p.year)
    WITH b, count(p) AS shared, min(p.year) AS firstYear, max(p.year) AS lastYear
    RETURN shared, firstYear, lastYear
  }
  WITH b, shared, firstYear, lastYear WHERE shared >= $minShared
  WITH collect({b: b, shared: shared, firstYear: firstYear, lastYear: lastYear}) AS found
  CALL (found) {
    UNWIND CASE WHEN $limit > 0 THEN found ELSE [] END AS r
    WITH r ORDER BY
      CASE $order WHEN 'SHARED_WORKS' THEN r.shared END DESC,
      CASE $order WHEN 'LAST_YEAR' THEN r.lastYear END DESC,
      CASE $order WHEN 'NAME' THEN r.b.name END,
      r.shared DESC, r.b.key
    WITH collect(r)[$skip..$skip + $limit] AS page
    RETURN [r IN page | {
      id: r.b.key, name: r.b.name, sharedWorks: r.shared, firstYear: r.firstYear,
      lastYear: r.lastYear
    }] AS page
  }
  WITH found, page WHERE NOT since  // counted from coauthorsSince above: one row only
  RETURN size(found) AS total, page
}
RETURN key, total, page
