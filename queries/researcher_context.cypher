// researcher_context: the researcher in context, as a graph panel draws it. Their newest
// works, topics, institutions and strongest collaborators and, at depth 2, the strongest
// collaborators of those collaborators; then the edges among the nodes picked, each with the
// years it spans (firstYear, lastYear: of the shared works for COAUTHOR, of the affiliation for
// AFFILIATED_WITH, the work's year for AUTHORED and HAS_TOPIC), so a panel can show the circle
// as of a year without asking again (with $spans false they are null and not read).
//
// Each list holds at most $limit entries (one more is fetched to tell the caller that it
// was cut), so a hub author returns a bounded graph however large their neighbourhood.
// A researcher with more than 100 co-authors keeps their 100 strongest in order
// (strongTies, see strong_ties.cypher): their collaborators are read from that list, so the
// cost is bounded by $limit and 100, not by how many co-authors anyone has. Between two
// such researchers, a COAUTHOR edge is drawn when one is among the other's 100 strongest.
//
// Parameters:
//   $keys   author keys, e.g. ["qizhen-zhang"]; one row per key found
//   $depth  1 or 2
//   $limit  cap per list, e.g. 25
//   $spans  true to give each edge its firstYear and lastYear, e.g. true
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang"]
//   :param depth => 2
//   :param limit => 25
//   :param spans => true
UNWIND $keys AS key
MATCH (a:Author {key: key})
CALL (a) {
  MATCH (a)-[:AUTHORED]->(p)
  WITH p ORDER BY p.published DESC, p.arxivId DESC LIMIT $limit + 1
  RETURN collect(p) AS works
}
WITH key, a, works, CASE
  WHEN a.strongTies IS NOT NULL THEN a.strongTies[..$limit + 1]
  ELSE COLLECT {
    MATCH (a)-[c:COAUTHOR]-(b:Author)
    WITH b, c ORDER BY c.weight DESC, b.key LIMIT $limit + 1
    RETURN b.key
  }
END AS ringKeys
CALL (ringKeys) {
  UNWIND range(0, size(ringKeys) - 1) AS i
  MATCH (b:Author {key: ringKeys[i]})
  WITH b ORDER BY i
  RETURN collect(b) AS ring
}
CALL (a) {
  MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution)
  WITH i, r ORDER BY r.lastYear DESC, i.key LIMIT $limit + 1
  RETURN collect(i) AS institutions
}
CALL (a) {
  // a prolific researcher's topics are kept on the record, most works first
  // (topic_counts); anyone else's come from their works' categories (a work's categories
  // are its HAS_TOPIC edges: one property per work instead of an expansion per topic)
  CALL (a) {
    WITH a WHERE a.topicCodes IS NOT NULL
    RETURN a.topicCodes[..$limit + 1] AS codes
    UNION ALL
    WITH a WHERE a.topicCodes IS NULL
    MATCH (a)-[:AUTHORED]->(p)
    UNWIND p.categories AS code
    WITH code, count(*) AS n ORDER BY n DESC, code LIMIT $limit + 1
    RETURN collect(code) AS codes
  }
  UNWIND range(0, size(codes) - 1) AS i
  MATCH (t:Topic {code: codes[i]})
  WITH t ORDER BY i
  RETURN collect(t) AS topics
}
WITH key, a, works[..$limit] AS works, ring[..$limit] AS ring, institutions[..$limit] AS institutions,
     topics[..$limit] AS topics,
     size(works) > $limit OR size(ring) > $limit OR size(institutions) > $limit
       OR size(topics) > $limit AS cut
CALL (a, ring) {
  WITH a, ring, [b IN ring | b.key] AS ringKeys
  UNWIND CASE WHEN $depth >= 2 THEN ring ELSE [] END AS b
  CALL (a, b, ring, ringKeys) {
    WITH a, ringKeys, b.strongTies AS ties, b.strongTieWeights AS weights
    WHERE ties IS NOT NULL
    UNWIND range(0, size(ties) - 1) AS i
    WITH ties[i] AS d, weights[i] AS w
    WHERE d <> a.key AND NOT d IN ringKeys
    WITH d, w ORDER BY w DESC, d LIMIT $limit
    RETURN d, w
    UNION ALL
    WITH * WHERE b.strongTies IS NULL
    MATCH (b)-[c:COAUTHOR]-(x:Author)
    WHERE x <> a AND NOT x IN ring
    WITH x.key AS d, c.weight AS w ORDER BY w DESC, d LIMIT $limit
    RETURN d, w
  }
  WITH d, max(w) AS w ORDER BY w DESC, d LIMIT $limit + 1
  WITH collect(d) AS outerKeys
  UNWIND range(0, size(outerKeys) - 1) AS i
  MATCH (x:Author {key: outerKeys[i]})
  WITH x ORDER BY i
  RETURN collect(x) AS outer
}
WITH key, a, works, ring, institutions, topics, outer[..$limit] AS outer,
     cut OR size(outer) > $limit AS cut
WITH key, a, works, institutions, topics, cut, ring, outer, [a] + ring + outer AS people
WITH *, [x IN people | x.key] AS peopleKeys
RETURN
  key,
  cut AS truncated,
  [x IN people | {
    kind: 'RESEARCHER', key: x.key, label: x.name,
    depth: CASE WHEN x = a THEN 0 WHEN x IN ring THEN 1 ELSE 2 END
  }]
  + [p IN works | {kind: 'WORK', key: p.arxivId, label: p.title, depth: 1}]
  + [t IN topics | {kind: 'TOPIC', key: t.code, label: t.label, depth: 1}]
  + [i IN institutions | {kind: 'INSTITUTION', key: i.key, label: i.name, depth: 1}] AS nodes,
  COLLECT {
    UNWIND works AS p
    MATCH (x:Author)-[:AUTHORED]->(p) WHERE x IN people
    RETURN {kind: 'AUTHORED', source: x.key, target: p.arxivId, weight: null,
      firstYear: CASE WHEN $spans THEN p.year END,
      lastYear: CASE WHEN $spans THEN p.year END}
  }
  + COLLECT {
    UNWIND works AS p
    MATCH (p)-[:HAS_TOPIC]->(t:Topic) WHERE t IN topics
    RETURN {kind: 'HAS_TOPIC', source: p.arxivId, target: t.code, weight: null,
      firstYear: CASE WHEN $spans THEN p.year END,
      lastYear: CASE WHEN $spans THEN p.year END}
  }
  + COLLECT {
    UNWIND people AS x
    MATCH (x)-[r:AFFILIATED_WITH]->(i:Institution) WHERE i IN institutions
    RETURN {kind: 'AFFILIATED_WITH', source: x.key, target: i.key, weight: r.lastYear,
      firstYear: CASE WHEN $spans THEN r.firstYear END,
      lastYear: CASE WHEN $spans THEN r.lastYear END}
  }
  + COLLECT {
    UNWIND range(0, size(people) - 1) AS j
    WITH people[j] AS x, peopleKeys[j] AS xKey, people, peopleKeys
    CALL (x, people, peopleKeys) {
      WITH x.strongTies AS ties, x.strongTieWeights AS weights, CASE WHEN $spans THEN x.strongTieFirstYears END AS firsts,
        CASE WHEN $spans THEN x.strongTieLastYears END AS lasts, peopleKeys
      WHERE ties IS NOT NULL
      // filtered in a list comprehension: a row per tie (5,000 for 50 hubs) cost more
      UNWIND [i IN range(0, size(ties) - 1) WHERE ties[i] IN peopleKeys] AS i
      RETURN ties[i] AS y, weights[i] AS w, firsts[i] AS first, lasts[i] AS last
      UNION ALL
      WITH * WHERE x.strongTies IS NULL
      MATCH (x)-[c:COAUTHOR]-(other:Author) WHERE other IN people
      RETURN other.key AS y, c.weight AS w, CASE WHEN $spans THEN c.firstYear END AS first,
        CASE WHEN $spans THEN c.lastYear END AS last
    }
    WITH DISTINCT CASE WHEN xKey < y THEN [xKey, y] ELSE [y, xKey] END AS pair, w, first, last
    RETURN {kind: 'COAUTHOR', source: pair[0], target: pair[1], weight: w,
      firstYear: first, lastYear: last}
  } AS edges
