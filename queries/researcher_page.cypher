// researcher_page: a whole profile page in one round trip: the profile (as in
// researcher_profile), one page of works (as in researcher_works) and any number of
// collaborator pages or counts (as in close_collaborators). The GraphQL `researcher` field
// runs it when a request asks for those lists, so a profile page costs one query.
//
// Parameters:
//   $key            author key, e.g. "qizhen-zhang"
//   $works          {order, skip, limit} (see researcher_works), or null to skip works
//   $maxAuthorsListed  authors returned per work, e.g. 100
//   $collaborators  a list of {minShared, fromYear, toYear, order, skip, limit}
//                   (see close_collaborators; limit 0 only counts), may be empty
//   $maxAuthors     the loader's COAUTHOR cap, e.g. 100
//
// An id whose record was merged into another (an AuthorRedirect) answers with that record,
// and movedFrom is the id asked for (null for a current id).
// In Neo4j Browser:
//   :param key => "qizhen-zhang"
//   :param works => {order: "NEWEST", skip: 0, limit: 20}
//   :param maxAuthorsListed => 100
//   :param collaborators => [{minShared: 1, fromYear: null, toYear: null, order: "SHARED_WORKS", skip: 0, limit: 10}, {minShared: 2, fromYear: null, toYear: null, order: "SHARED_WORKS", skip: 0, limit: 0}]
//   :param maxAuthors => 100
OPTIONAL MATCH (live:Author {key: $key})
OPTIONAL MATCH (:AuthorRedirect {key: $key})-[:MOVED_TO]->(moved:Author) WHERE live IS NULL
WITH coalesce(live, moved) AS a
WHERE a IS NOT NULL
CALL (a) {
  UNWIND range(0, size($collaborators) - 1) AS i
  WITH a, i, $collaborators[i] AS req
  CALL (a, req) {
    MATCH (a)-[c:COAUTHOR]-(b:Author)
    WHERE c.weight >= req.minShared
      AND (req.fromYear IS NULL OR c.lastYear >= req.fromYear)
      AND (req.toYear IS NULL OR c.firstYear <= req.toYear)
    CALL (a, b, c, req) {
      WITH * WHERE req.fromYear IS NULL AND req.toYear IS NULL
      RETURN c.weight AS shared, c.firstYear AS firstYear, c.lastYear AS lastYear
      UNION
      WITH * WHERE req.fromYear IS NOT NULL OR req.toYear IS NOT NULL
      MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
      WHERE p.authorCount <= $maxAuthors
        AND p.year >= coalesce(req.fromYear, p.year) AND p.year <= coalesce(req.toYear, p.year)
      RETURN count(p) AS shared, min(p.year) AS firstYear, max(p.year) AS lastYear
    }
    WITH b, shared, firstYear, lastYear WHERE shared >= req.minShared
    ORDER BY
      CASE req.order WHEN 'SHARED_WORKS' THEN shared END DESC,
      CASE req.order WHEN 'LAST_YEAR' THEN lastYear END DESC,
      CASE req.order WHEN 'NAME' THEN b.name END,
      shared DESC, b.key
    WITH count(b) AS total, collect({
      id: b.key, name: b.name, sharedWorks: shared, firstYear: firstYear, lastYear: lastYear
    }) AS all
    RETURN {total: total, page: all[req.skip..req.skip + req.limit]} AS found
  }
  WITH i, found ORDER BY i
  RETURN collect(found) AS collaborators
}
RETURN
  a.key AS id,
  CASE WHEN a.key <> $key THEN $key END AS movedFrom,
  a.name AS name,
  coalesce(a.nameVariants, []) AS nameVariants,
  a.pagerank AS pagerank,
  a.community AS community,
  COUNT { (a)-[:AUTHORED]->(:Paper) } AS worksCount,
  COUNT { (:User)-[:FOLLOWS]->(a) } AS followersCount,
  CASE
    WHEN EXISTS { (:User)-[:CLAIMS {status: 'VERIFIED'}]->(a) } THEN 'VERIFIED'
    WHEN EXISTS { (:User)-[:CLAIMS {status: 'PENDING'}]->(a) } THEN 'PENDING'
    ELSE 'UNCLAIMED'
  END AS claimStatus,
  COLLECT {
    MATCH (a)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(t:Topic)
    WITH t, count(*) AS works
    ORDER BY works DESC, t.code
    RETURN t {.code, .label, .name, worksCount: works}
  } AS topics,
  COLLECT {
    MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution)
    WITH i, r ORDER BY r.lastYear DESC, i.name
    RETURN i {id: i.key, .name, lastYear: r.lastYear}
  } AS institutions,
  CASE WHEN $works IS NULL THEN null ELSE COLLECT {
    MATCH (a)-[:AUTHORED]->(p:Paper)
    WITH p
    ORDER BY
      CASE $works.order WHEN 'NEWEST' THEN p.published END DESC,
      CASE $works.order WHEN 'NEWEST' THEN p.arxivId END DESC,
      CASE $works.order WHEN 'OLDEST' THEN p.published END,
      CASE $works.order WHEN 'TITLE' THEN toLower(p.title) END,
      p.arxivId
    SKIP $works.skip LIMIT $works.limit
    RETURN p {
      .arxivId, .title, .abstract, .published, .updated, .primaryCategory, .categories,
      .doi, .journalRef, .comment, .absUrl, .pdfUrl, .authorCount, .withdrawn,
      authors: COLLECT {
        MATCH (x:Author)-[r:AUTHORED]->(p)
        WITH x, r ORDER BY r.position LIMIT $maxAuthorsListed
        RETURN x {id: x.key, .name}
      }
    }
  } END AS works,
  collaborators
