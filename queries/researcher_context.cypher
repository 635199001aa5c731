// researcher_context: the researcher in context, as a graph panel draws it. Their newest
// works, topics, institutions and strongest collaborators and, at depth 2, the strongest
// collaborators of those collaborators; then every edge among the nodes picked.
//
// Each list holds at most $limit entries (one more is fetched to tell the caller that it
// was cut), so a hub author returns a bounded graph however large their neighbourhood.
//
// Parameters:
//   $keys   author keys, e.g. ["qizhen-zhang"]; one row per key found
//   $depth  1 or 2
//   $limit  cap per list, e.g. 25
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang"]
//   :param depth => 2
//   :param limit => 25
UNWIND $keys AS key
MATCH (a:Author {key: key})
CALL (a) {
  MATCH (a)-[:AUTHORED]->(p:Paper)
  WITH p ORDER BY p.published DESC, p.arxivId DESC LIMIT $limit + 1
  RETURN collect(p) AS works
}
CALL (a) {
  MATCH (a)-[c:COAUTHOR]-(b:Author)
  WITH b, c ORDER BY c.weight DESC, c.lastYear DESC, b.key LIMIT $limit + 1
  RETURN collect(b) AS ring
}
CALL (a) {
  MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution)
  WITH i, r ORDER BY r.lastYear DESC, i.key LIMIT $limit + 1
  RETURN collect(i) AS institutions
}
CALL (a) {
  MATCH (a)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(t:Topic)
  WITH t, count(*) AS n ORDER BY n DESC, t.code LIMIT $limit + 1
  RETURN collect(t) AS topics
}
WITH key, a, works[..$limit] AS works, ring[..$limit] AS ring, institutions[..$limit] AS institutions,
     topics[..$limit] AS topics,
     size(works) > $limit OR size(ring) > $limit OR size(institutions) > $limit
       OR size(topics) > $limit AS cut
CALL (a, ring) {
  UNWIND CASE WHEN $depth >= 2 THEN ring ELSE [] END AS b
  CALL (a, b, ring) {
    MATCH (b)-[c:COAUTHOR]-(d:Author)
    WHERE d <> a AND NOT d IN ring
    WITH d, c ORDER BY c.weight DESC, d.key LIMIT $limit
    RETURN d, c.weight AS w
  }
  WITH d, max(w) AS w ORDER BY w DESC, d.key LIMIT $limit + 1
  RETURN collect(d) AS outer
}
WITH key, a, works, ring, institutions, topics, outer[..$limit] AS outer,
     cut OR size(outer) > $limit AS cut
WITH key, a, works, institutions, topics, cut, ring, outer, [a] + ring + outer AS people
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
    RETURN {kind: 'AUTHORED', source: x.key, target: p.arxivId, weight: null}
  }
  + COLLECT {
    UNWIND works AS p
    MATCH (p)-[:HAS_TOPIC]->(t:Topic) WHERE t IN topics
    RETURN {kind: 'HAS_TOPIC', source: p.arxivId, target: t.code, weight: null}
  }
  + COLLECT {
    UNWIND people AS x
    MATCH (x)-[r:AFFILIATED_WITH]->(i:Institution) WHERE i IN institutions
    RETURN {kind: 'AFFILIATED_WITH', source: x.key, target: i.key, weight: r.lastYear}
  }
  + COLLECT {
    UNWIND people AS x
    MATCH (x)-[c:COAUTHOR]->(y:Author) WHERE y IN people
    RETURN {kind: 'COAUTHOR', source: x.key, target: y.key, weight: c.weight}
  } AS edges
