// researcher_connection: how are two researchers connected? The shortest co-authorship
// chains between them (at most $maxHops links), strongest first, with the works each link
// rests on. The GraphQL `connection` field runs it once per request.
//
// A chain follows COAUTHOR edges, so papers above the COAUTHOR cap never link two people;
// each link's total is the edge's weight (the works both wrote with at most $maxAuthors
// authors) and its evidence those works read from AUTHORED, the newest $evidence: the
// works of whichever of the two has fewer are walked newest first until that many are
// shared, so a link between two hubs costs one of their work lists, not a join.
// The search is allShortestPaths, Neo4j's bidirectional breadth-first search, with a
// literal bound per $maxHops branch (a length takes no parameter), so it goes no deeper
// than asked. (The GQL form, ALL SHORTEST with a quantifier, answered the same in 100
// times the time from a median researcher to a hub on the hub-heavy bench graph.) Up to
// $candidates shortest chains are found (which ones, when there are more, is the search's
// choice); the $first kept are those whose weakest link has the most shared works, then
// the most in all, then by ids.
//
// One row when both ids are known (an id merged into another record answers with that
// record, and from.movedFrom / to.movedFrom is the id asked for); no row otherwise. chains is
// empty when no chain of at most $maxHops links joins them; one chain of 0 links when
// both ids are one record.
//
// Parameters:
//   $from        author key, e.g. "qizhen-zhang"
//   $to          author key, e.g. "zihang-liu"
//   $maxHops     the longest chain looked for, 1 to 6, e.g. 4
//   $candidates  shortest chains considered before the strongest are kept, e.g. 50
//   $first       chains returned, e.g. 3
//   $evidence    shared works listed per link, e.g. 5; 0 or null reads none
//   $maxAuthors  the loader's COAUTHOR cap, e.g. 100
//   $maxAuthorsListed  authors returned per work, in order, e.g. 100
//
// In Neo4j Browser:
//   :param from => "qizhen-zhang"
//   :param to => "zihang-liu"
//   :param maxHops => 4
//   :param candidates => 50
//   :param first => 3
//   :param evidence => 5
//   :param maxAuthors => 100
//   :param maxAuthorsListed => 100
OPTIONAL MATCH (liveA:Author {key: $from})
OPTIONAL MATCH (:AuthorRedirect {key: $from})-[:MOVED_TO]->(movedA:Author) WHERE liveA IS NULL
WITH coalesce(liveA, movedA) AS a
OPTIONAL MATCH (liveB:Author {key: $to})
OPTIONAL MATCH (:AuthorRedirect {key: $to})-[:MOVED_TO]->(movedB:Author) WHERE liveB IS NULL
WITH a, coalesce(liveB, movedB) AS b
WHERE a IS NOT NULL AND b IS NOT NULL
CALL (a, b) {
  CALL (a, b) {
    WITH a, b WHERE a = b
    RETURN [a] AS people, [] AS weights
    UNION ALL
    WITH a, b WHERE a <> b AND $maxHops = 1
    MATCH p = allShortestPaths((a)-[:COAUTHOR*1..1]-(b))
    WITH p LIMIT $candidates
    RETURN nodes(p) AS people, [r IN relationships(p) | r.weight] AS weights
    UNION ALL
    WITH a, b WHERE a <> b AND $maxHops = 2
    MATCH p = allShortestPaths((a)-[:COAUTHOR*1..2]-(b))
    WITH p LIMIT $candidates
    RETURN nodes(p) AS people, [r IN relationships(p) | r.weight] AS weights
    UNION ALL
    WITH a, b WHERE a <> b AND $maxHops = 3
    MATCH p = allShortestPaths((a)-[:COAUTHOR*1..3]-(b))
    WITH p LIMIT $candidates
    RETURN nodes(p) AS people, [r IN relationships(p) | r.weight] AS weights
    UNION ALL
    WITH a, b WHERE a <> b AND $maxHops = 4
    MATCH p = allShortestPaths((a)-[:COAUTHOR*1..4]-(b))
    WITH p LIMIT $candidates
    RETURN nodes(p) AS people, [r IN relationships(p) | r.weight] AS weights
    UNION ALL
    WITH a, b WHERE a <> b AND $maxHops = 5
    MATCH p = allShortestPaths((a)-[:COAUTHOR*1..5]-(b))
    WITH p LIMIT $candidates
    RETURN nodes(p) AS people, [r IN relationships(p) | r.weight] AS weights
    UNION ALL
    WITH a, b WHERE a <> b AND $maxHops = 6
    MATCH p = allShortestPaths((a)-[:COAUTHOR*1..6]-(b))
    WITH p LIMIT $candidates
    RETURN nodes(p) AS people, [r IN relationships(p) | r.weight] AS weights
  }
  WITH people, weights
  ORDER BY
    reduce(low = weights[0], w IN weights | CASE WHEN w < low THEN w ELSE low END) DESC,
    reduce(total = 0, w IN weights | total + w) DESC,
    [x IN people | x.key]
  LIMIT $first
  CALL (people, weights) {
    UNWIND range(0, size(people) - 2) AS i
    WITH i, people[i] AS u, people[i + 1] AS v, weights[i] AS total
    // walk the works of the one with fewer (a node's degree is a constant-time read),
    // newest first, and stop at the $evidence-th shared one
    WITH i, total, CASE WHEN COUNT { (u)-[:AUTHORED]->() } <= COUNT { (v)-[:AUTHORED]->() }
      THEN [u, v] ELSE [v, u] END AS pair
    CALL (pair) {
      WITH pair[0] AS fewer, pair[1] AS more WHERE $evidence IS NOT NULL AND $evidence > 0
      CALL (fewer) {
        MATCH (fewer)-[:AUTHORED]->(w:Paper)
        WITH w ORDER BY w.published DESC, w.arxivId DESC
        RETURN collect(w) AS newest
      }
      UNWIND newest AS w
      WITH more, w WHERE w.authorCount <= $maxAuthors AND EXISTS { (more)-[:AUTHORED]->(w) }
      LIMIT coalesce($evidence, 0)
      RETURN collect(w {
        .arxivId, .title, .abstract, .primaryCategory, .categories,
        published: toString(w.published), updated: toString(w.updated),
        .doi, .journalRef, .comment, .absUrl, .pdfUrl, .authorCount, .withdrawn,
        .citations, .openalexId,
        citationsByYear: [i IN range(0, size(coalesce(w.citationYears, [])) - 1)
          WHERE w.citationCounts[i] IS NOT NULL
          | {year: w.citationYears[i], count: w.citationCounts[i]}],
        authors: COLLECT {
          MATCH (x:Author)-[r:AUTHORED]->(w)
          WITH x, r ORDER BY r.position LIMIT $maxAuthorsListed
          RETURN x {id: x.key, .name}
        }
      }) AS works
    }
    WITH i, total, works ORDER BY i
    RETURN collect({total: total, works: works}) AS links
  }
  RETURN collect({
    researchers: [x IN people | x {id: x.key, .name}],
    links: links
  }) AS chains
}
RETURN
  a {id: a.key, .name, movedFrom: CASE WHEN a.key <> $from THEN $from END} AS from,
  b {id: b.key, .name, movedFrom: CASE WHEN b.key <> $to THEN $to END} AS to,
  chains
