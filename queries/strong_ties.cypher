// strong_ties: keep on each researcher with more than $keep co-authors their $keep strongest
// co-authors, in the order a collaborators list gives them (most shared works first, then
// by id): `strongTies` (ids), `strongTieWeights` (shared works), `strongTieFirstYears`,
// `strongTieLastYears`, and `coauthorsByShared` (how many co-authors share at least 1, 2,
// ..., 10 works) and, when every edge has its per-year counts, `coauthorsSince` with
// `coauthorsSinceYear` (Y): entry (k - 1) * span + (y - Y), for k in 1..10 and y from Y to the
// latest year of a shared work (span years), is how many co-authors share at least k works
// published in year y or later, the windowed close-collaborator count. The researcher in
// context and a profile page's collaborators and counts then read a hub's strongest ties
// and close-collaborator counts from one node instead of sorting or summing thousands of
// COAUTHOR edges. A researcher with $keep co-authors or fewer keeps no lists
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
  // a co-author sharing one work shares it in their last year: only the per-year counts of
  // those sharing more are read and walked
  WITH collect([b.key, c.weight, c.firstYear, c.lastYear]) AS all,
    collect(CASE WHEN c.weight > 1 THEN [c.years, c.yearWorks] END) AS more
  CALL (all, more) {
    CALL (all, more) {
      // per co-author: for k in low..high, the latest year with k shared works from it on
      UNWIND all AS t
      WITH t WHERE t[1] = 1 AND t[3] IS NOT NULL
      RETURN t[3] AS since, 1 AS low, 1 AS high
      UNION ALL
      UNWIND more AS m
      WITH m[0] AS years, m[1] AS counts
      WITH years, reduce(fromOn = [0], i IN range(size(years) - 1, 0, -1)
        | [fromOn[0] + counts[i]] + fromOn) AS fromOn
      UNWIND range(0, size(years) - 1) AS i
      WITH years[i] AS since, fromOn[i + 1] + 1 AS low, fromOn[i] AS high
      WHERE low <= 10 AND low <= high
      RETURN since, low, CASE WHEN high > 10 THEN 10 ELSE high END AS high
    }
    UNWIND range(low, high) AS k
    WITH k, since, count(*) AS n
    ORDER BY k, since
    WITH k, collect(since) AS years, collect(n) AS counts
    RETURN collect({k: k, years: years, counts: counts}) AS reach
  }
  WITH all, reach, CASE WHEN all(m IN more WHERE m[0] IS NOT NULL) AND reach <> []
    THEN reduce(lo = 9999, r IN reach | CASE WHEN r.years[0] < lo THEN r.years[0] ELSE lo END)
    END AS first,
    reduce(hi = 0, r IN reach | CASE WHEN r.years[-1] > hi THEN r.years[-1] ELSE hi END) AS last
  // (k, y): co-authors whose latest year with k shared works from it on is y or later
  WITH all, first, [k IN range(1, 10) | head([r IN reach WHERE r.k = k] + [{years: [], counts: []}])]
    AS byK, last - first + 1 AS span
  RETURN all[..$keep] AS ties, [n IN range(1, 10) | size([t IN all WHERE t[1] >= n])] AS counts,
    first, CASE WHEN first IS NOT NULL THEN reduce(table = [], r IN byK | table
      + [y IN range(first, first + span - 1) | reduce(n = 0, i IN range(0, size(r.years) - 1)
        | n + CASE WHEN r.years[i] >= y THEN r.counts[i] ELSE 0 END)]) END AS table
}
WITH a, CASE WHEN ties <> [] THEN ties END AS ties, counts, first, table
SET a.strongTies = [t IN ties | t[0]],
  a.strongTieWeights = [t IN ties | t[1]],
  a.strongTieFirstYears = [t IN ties | t[2]],
  a.strongTieLastYears = [t IN ties | t[3]],
  a.coauthorsByShared = CASE WHEN ties IS NOT NULL THEN counts END,
  a.coauthorsSinceYear = CASE WHEN ties IS NOT NULL THEN first END,
  a.coauthorsSince = CASE WHEN ties IS NOT NULL THEN table END
RETURN count(a) AS researchers
