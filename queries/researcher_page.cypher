// researcher_page: a whole profile page in one round trip: the profile (as in
// researcher_profile), one page of works (as in researcher_works) and any number of
// collaborator pages or counts (as in close_collaborators). The GraphQL `researcher` field
// runs it when a request asks for those lists, so a profile page costs one query.
//
// Parameters:
//   $key            author key, e.g. "qizhen-zhang"
//   $works          {order, skip, limit, abstract, authors} (see researcher_works), or null
//                   to skip works
//   $maxAuthorsListed  authors returned per work, e.g. 100
//   $collaborators  a list of {minShared, fromYear, toYear, order, skip, limit}
//                   (see close_collaborators; limit 0 only counts), may be empty
//   $maxAuthors     the loader's COAUTHOR cap, e.g. 100
//   $parts          which parts that walk the researcher's works or affiliations to compute:
//                   {graphStats, worksByYear, topicsByYear, topics, institutions, trust}, each
//                   true or false
//                   (the columns of a part not computed hold 0 or [], not the researcher's
//                   figures; trust: what researcher_profile says)
//
// A collaborator page or count without a time window, ordered by shared works, of a
// researcher who keeps strongest-ties lists (over 100 co-authors, see strong_ties) is read
// from those lists when it fits in them, and such a researcher's count of co-authors
// sharing up to 10 works from a year on from `coauthorsSince`; any other page or count is
// counted from the COAUTHOR edges.
//
// An id whose record was merged into another (an AuthorRedirect) answers with that record,
// and movedFrom is the id asked for (null for a current id).
// OpenAlex figures (orcid, openalexId, citations, hIndex, i10Index, twoYearMeanCitedness,
// citationsByYear): as OpenAlex reports them for the person, null or [] before
// `kg load openalex`. graphCitations, graphHIndex, graphI10Index: computed here from the works
// in this graph and their per-work citations (0 without citation data).
// In Neo4j Browser:
//   :param key => "qizhen-zhang"
//   :param works => ({order: "NEWEST", skip: 0, limit: 20, abstract: true, authors: true})
//   :param maxAuthorsListed => 100
//   :param collaborators => [{minShared: 1, fromYear: null, toYear: null, order: "SHARED_WORKS", skip: 0, limit: 10}, {minShared: 2, fromYear: null, toYear: null, order: "SHARED_WORKS", skip: 0, limit: 0}]
//   :param maxAuthors => 100
//   :param parts => ({graphStats: true, worksByYear: true, topicsByYear: true, topics: true, institutions: true, trust: true})
OPTIONAL MATCH (live:Author {key: $key})
OPTIONAL MATCH (:AuthorRedirect {key: $key})-[:MOVED_TO]->(moved:Author) WHERE live IS NULL
WITH coalesce(live, moved) AS a
WHERE a IS NOT NULL
CALL (a) {
  UNWIND range(0, size($collaborators) - 1) AS i
  WITH a, i, $collaborators[i] AS req
  WITH a, i, req, a.strongTies IS NOT NULL AND req.fromYear IS NULL AND req.toYear IS NULL
    AND req.order = 'SHARED_WORKS' AND req.skip + req.limit <= size(a.strongTies)
    AND req.minShared <= 10 AS listed,
    a.coauthorsSince IS NOT NULL AND req.limit = 0 AND req.fromYear IS NOT NULL
    AND req.toYear IS NULL AND req.minShared <= 10 AS since
  CALL (a, req, listed, since) {
    WITH a, req, a.strongTies AS ties WHERE listed
    WITH req, ties, a.strongTieWeights AS weights, a.strongTieFirstYears AS firsts,
      a.strongTieLastYears AS lasts, a.coauthorsByShared[req.minShared - 1] AS total
    RETURN {total: total, page: [i IN range(req.skip, req.skip + req.limit - 1)
      WHERE weights[i] >= req.minShared | {
        id: ties[i], name: COLLECT { MATCH (b:Author {key: ties[i]}) RETURN b.name }[0],
        sharedWorks: weights[i],
        firstYear: firsts[i], lastYear: lasts[i]
      }]} AS found
    UNION ALL
    WITH a, req WHERE since
    WITH req, a.coauthorsSince AS counts, a.coauthorsSinceYear AS first,
      size(a.coauthorsSince) / 10 AS span
    WITH req, counts, first, span,
      CASE WHEN req.fromYear < first THEN first ELSE req.fromYear END AS year
    RETURN {total: CASE WHEN year >= first + span THEN 0
      ELSE counts[(req.minShared - 1) * span + year - first] END, page: []} AS found
    UNION ALL
    WITH * WHERE NOT listed AND NOT since
    MATCH (a)-[c:COAUTHOR]-(b:Author)
    WHERE c.weight >= req.minShared
      AND (req.fromYear IS NULL OR c.lastYear >= req.fromYear)
      AND (req.toYear IS NULL OR c.firstYear <= req.toYear)
    CALL (a, b, c, req) {
      WITH * WHERE req.fromYear IS NULL AND req.toYear IS NULL
      RETURN c.weight AS shared, c.firstYear AS firstYear, c.lastYear AS lastYear
      UNION ALL
      WITH * WHERE req.fromYear IS NOT NULL OR req.toYear IS NOT NULL
      WITH req, c.years AS years, c.yearWorks AS counts WHERE years IS NOT NULL
      WITH years, counts, [i IN range(0, size(years) - 1)
        WHERE years[i] >= coalesce(req.fromYear, years[i])
          AND years[i] <= coalesce(req.toYear, years[i])
      ] AS window
      RETURN reduce(s = 0, i IN window | s + counts[i]) AS shared,
        years[window[0]] AS firstYear, years[window[-1]] AS lastYear
      UNION ALL
      WITH * WHERE (req.fromYear IS NOT NULL OR req.toYear IS NOT NULL) AND c.years IS NULL
      MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
      WHERE p.authorCount <= $maxAuthors
        AND p.year >= coalesce(req.fromYear, p.year) AND p.year <= coalesce(req.toYear, p.year)
      WITH b, count(p) AS shared, min(p.year) AS firstYear, max(p.year) AS lastYear
      RETURN shared, firstYear, lastYear
    }
    WITH b, shared, firstYear, lastYear WHERE shared >= req.minShared
    WITH collect({b: b, shared: shared, firstYear: firstYear, lastYear: lastYear}) AS found
    CALL (req, found) {
      UNWIND CASE WHEN req.limit > 0 THEN found ELSE [] END AS r
      WITH r ORDER BY
        CASE req.order WHEN 'SHARED_WORKS' THEN r.shared END DESC,
        CASE req.order WHEN 'LAST_YEAR' THEN r.lastYear END DESC,
        CASE req.order WHEN 'NAME' THEN r.b.name END,
        r.shared DESC, r.b.key
      WITH collect(r) AS ordered
      RETURN [r IN ordered[req.skip..req.skip + req.limit] | {
        id: r.b.key, name: r.b.name, sharedWorks: r.shared, firstYear: r.firstYear,
        lastYear: r.lastYear
      }] AS page
    }
    WITH found, page WHERE NOT listed AND NOT since
    RETURN {total: size(found), page: page} AS found
  }
  WITH i, found ORDER BY i
  RETURN collect(found) AS collaborators
}
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
  CASE WHEN a.key <> $key THEN $key END AS movedFrom,
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
  institutions,
  CASE WHEN $works IS NULL THEN null ELSE COLLECT {
    // one branch per order, each sorting on plain properties: a hub's 2,000 works sorted on
    // four CASE keys took about as long again; the 20 rows are put in order once more below
    CALL (a) {
      WITH a WHERE $works.order = 'NEWEST'
      MATCH (a)-[:AUTHORED]->(p)
      WITH p ORDER BY p.published DESC, p.arxivId DESC SKIP $works.skip LIMIT $works.limit
      RETURN p
      UNION ALL
      WITH a WHERE $works.order = 'OLDEST'
      MATCH (a)-[:AUTHORED]->(p)
      WITH p ORDER BY p.published, p.arxivId SKIP $works.skip LIMIT $works.limit
      RETURN p
      UNION ALL
      WITH a WHERE $works.order = 'TITLE'
      MATCH (a)-[:AUTHORED]->(p)
      WITH p ORDER BY toLower(p.title), p.arxivId SKIP $works.skip LIMIT $works.limit
      RETURN p
    }
    WITH p
    ORDER BY
      CASE $works.order WHEN 'NEWEST' THEN p.published END DESC,
      CASE $works.order WHEN 'NEWEST' THEN p.arxivId END DESC,
      CASE $works.order WHEN 'OLDEST' THEN p.published END,
      CASE $works.order WHEN 'TITLE' THEN toLower(p.title) END,
      p.arxivId
    RETURN p {
      .arxivId, .title, abstract: CASE WHEN $works.abstract THEN p.abstract END,
      .primaryCategory, .categories,
      published: toString(p.published), updated: toString(p.updated),
      .doi, .journalRef, .comment, .absUrl, .pdfUrl, .authorCount, .withdrawn,
      .citations, .openalexId,
      citationsByYear: [i IN range(0, size(coalesce(p.citationYears, [])) - 1)
        WHERE p.citationCounts[i] IS NOT NULL
        | {year: p.citationYears[i], count: p.citationCounts[i]}],
      authors: CASE WHEN $works.authors THEN COLLECT {
        MATCH (x:Author)-[r:AUTHORED]->(p)
        WITH x, r ORDER BY r.position LIMIT $maxAuthorsListed
        RETURN x {id: x.key, .name}
      } ELSE [] END
    }
  } END AS works,
  collaborators
