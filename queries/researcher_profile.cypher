// researcher_profile: who is this researcher? Name, spellings, counts, topics, institutions,
// citations and h-index (OpenAlex's and this graph's).
// The GraphQL `researcher` field runs it once per request for every researcher it needs.
//
// Parameters:
//   $keys   researcher record keys (GraphQL ids), e.g. ["qizhen-zhang"]; one row per key found
//   $parts  which parts that walk the researchers' works or affiliations to compute (as in
//           researcher_page): {graphStats, worksByYear, topicsByYear, topics, institutions,
//           trust}, each true or false; the columns of a part not computed hold 0, [] or
//           null, not the researcher's figures
//
// An id whose record was merged into another (an AuthorRedirect) answers with that record,
// and movedFrom is the id asked for (null for a current id).
// pagerank and community: from the last `kg analytics` run, null before it.
// OpenAlex figures (orcid, openalexId, citations, hIndex, i10Index, twoYearMeanCitedness,
// citationsByYear): as OpenAlex reports them for the person, null or [] before
// `kg load openalex`. graphCitations, graphHIndex, graphI10Index: computed here from the works
// in this graph and their per-work citations (0 without citation data).
// trust: what kg/api/trust.py weighs: OpenAlex's works count, other records of the same
// name, and the record's authorships by `assignedBy` ({by, n}), how many OpenAlex paired
// to an author (paired) and how many of those to the record's own OpenAlex id (agreeing).
// claimStatus: VERIFIED if a claim on the record was verified, PENDING if someone has
// claimed it and no claim was decided yet, else UNCLAIMED (rejected claims do not count).
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang"]
//   :param parts => ({graphStats: true, worksByYear: true, topicsByYear: true, topics: true, institutions: true, trust: true})
UNWIND $keys AS key
OPTIONAL MATCH (live:Author {key: key})
OPTIONAL MATCH (:AuthorRedirect {key: key})-[:MOVED_TO]->(moved:Author) WHERE live IS NULL
WITH key, coalesce(live, moved) AS a
WHERE a IS NOT NULL
CALL (a) {
  WITH * WHERE $parts.graphStats
  MATCH (a)-[:AUTHORED]->(p:Paper)
  WITH coalesce(p.citations, 0) AS cited ORDER BY cited DESC
  WITH collect(cited) AS cited
  RETURN
    reduce(total = 0, c IN cited | total + c) AS graphCitations,
    size([i IN range(0, size(cited) - 1) WHERE cited[i] >= i + 1]) AS graphHIndex,
    size([c IN cited WHERE c >= 10]) AS graphI10Index
}
CALL (a) {
  WITH * WHERE $parts.worksByYear
  MATCH (a)-[:AUTHORED]->(p:Paper) WHERE p.year IS NOT NULL
  WITH p.year AS year, count(*) AS works
  ORDER BY year
  RETURN collect({year: year, count: works}) AS worksByYear
}
CALL (a) {
  WITH * WHERE $parts.topicsByYear
  MATCH (a)-[:AUTHORED]->(p:Paper) WHERE p.year IS NOT NULL
  UNWIND p.categories AS code
  WITH p.year AS year, code, count(*) AS works
  ORDER BY year, works DESC, code
  RETURN collect({year: year, code: code, count: works}) AS topicsByYear
}
CALL (a) {
  WITH * WHERE $parts.topics
  // a prolific researcher's works per topic are kept on the record (topic_counts);
  // anyone else's are counted from their works' categories (a work's categories are its
  // HAS_TOPIC edges, both loaders write them together: one property per work instead of
  // an expansion per topic)
  CALL (a) {
    WITH a WHERE a.topicCodes IS NOT NULL
    UNWIND range(0, size(a.topicCodes) - 1) AS i
    RETURN a.topicCodes[i] AS code, a.topicWorks[i] AS works
    UNION ALL
    WITH a WHERE a.topicCodes IS NULL
    MATCH (a)-[:AUTHORED]->(p)
    UNWIND p.categories AS code
    RETURN code, count(*) AS works
  }
  MATCH (t:Topic {code: code})
  WITH t, works ORDER BY works DESC, t.code
  RETURN collect(t {.code, .label, .name, worksCount: works}) AS topics
}
CALL (a) {
  WITH * WHERE $parts.institutions
  MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution)
  WITH i, r ORDER BY r.lastYear DESC, i.name
  RETURN collect(i {
    id: i.key, .name, firstYear: r.firstYear, lastYear: r.lastYear,
    .openalexId, .ror, .country, .type
  }) AS institutions
}
CALL (a) {
  WITH * WHERE $parts.trust
  MATCH (a)-[r:AUTHORED]->()
  WITH a, r.assignedBy AS by, count(*) AS n, count(r.openalexAuthor) AS paired,
    count(CASE WHEN r.openalexAuthor = a.openalexId THEN 1 END) AS agreeing
  RETURN collect({by: by, n: n}) AS assigned, sum(paired) AS paired, sum(agreeing) AS agreeing
}
RETURN
  a.key AS id,
  CASE WHEN a.key <> key THEN key END AS movedFrom,
  a.name AS name,
  coalesce(a.nameVariants, []) AS nameVariants,
  a.pagerank AS pagerank,
  a.community AS community,
  a.orcid AS orcid,
  a.openalexId AS openalexId,
  a.openalexCitations AS citations,
  a.openalexHIndex AS hIndex,
  a.openalexI10Index AS i10Index,
  a.openalexMeanCitedness2y AS twoYearMeanCitedness,
  graphCitations, graphHIndex, graphI10Index,
  [i IN range(0, size(coalesce(a.openalexCitationYears, [])) - 1)
    WHERE a.openalexCitationCounts[i] IS NOT NULL
    | {year: a.openalexCitationYears[i], count: a.openalexCitationCounts[i]}] AS citationsByYear,
  worksByYear,
  topicsByYear,
  coalesce(a.identityNotes, []) AS identityNotes,
  {
    openalexWorksCount: a.openalexWorksCount,
    namesakes: CASE WHEN $parts.trust
      THEN COUNT { (o:Author) WHERE o.nameKey = a.nameKey AND o <> a } END,
    assignedBy: assigned, paired: paired, agreeing: agreeing
  } AS trust,
  COUNT { (a)-[:AUTHORED]->() } AS worksCount,
  COUNT { (:User)-[:FOLLOWS]->(a) } AS followersCount,
  CASE
    WHEN EXISTS { (:User)-[:CLAIMS {status: 'VERIFIED'}]->(a) } THEN 'VERIFIED'
    WHEN EXISTS { (:User)-[:CLAIMS {status: 'PENDING'}]->(a) } THEN 'PENDING'
    ELSE 'UNCLAIMED'
  END AS claimStatus,
  topics,
  institutions
