// researcher_works: a page of a researcher's works, with their authors in order.
// citations, openalexId, citationsByYear: OpenAlex's, null or [] before `kg load openalex`.
//
// Parameters:
//   $keys    author keys, e.g. ["qizhen-zhang"]; one row per key found
//   $order   "NEWEST" (by first-version date), "OLDEST" or "TITLE"
//   $skip    works to skip (the page's offset), e.g. 0
//   $limit   works to return, e.g. 20
//   $maxAuthorsListed  authors returned per work, in order (authorCount has the total), e.g. 100
//   $abstract  true to return the abstracts (null otherwise: the request did not select them)
//   $authors   true to return the authors ([] otherwise), the costliest part of a work
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang"]
//   :param order => "NEWEST"
//   :param skip => 0
//   :param limit => 20
//   :param maxAuthorsListed => 100
//   :param abstract => true
//   :param authors => true
UNWIND $keys AS key
MATCH (a:Author {key: key})
RETURN
  key,
  COUNT { (a)-[:AUTHORED]->() } AS total,
  COLLECT {
    // one branch per order, each sorting on plain properties: a hub's 2,000 works sorted on
    // four CASE keys took about as long again; the 20 rows are put in order once more below
    CALL (a) {
      WITH a WHERE $order = 'NEWEST'
      MATCH (a)-[:AUTHORED]->(p)
      WITH p ORDER BY p.published DESC, p.arxivId DESC SKIP $skip LIMIT $limit
      RETURN p
      UNION ALL
      WITH a WHERE $order = 'OLDEST'
      MATCH (a)-[:AUTHORED]->(p)
      WITH p ORDER BY p.published, p.arxivId SKIP $skip LIMIT $limit
      RETURN p
      UNION ALL
      WITH a WHERE $order = 'TITLE'
      MATCH (a)-[:AUTHORED]->(p)
      WITH p ORDER BY toLower(p.title), p.arxivId SKIP $skip LIMIT $limit
      RETURN p
    }
    WITH p
    ORDER BY
      CASE $order WHEN 'NEWEST' THEN p.published END DESC,
      CASE $order WHEN 'NEWEST' THEN p.arxivId END DESC,
      CASE $order WHEN 'OLDEST' THEN p.published END,
      CASE $order WHEN 'TITLE' THEN toLower(p.title) END,
      p.arxivId
    RETURN p {
      .arxivId, .title, abstract: CASE WHEN $abstract THEN p.abstract END,
      .primaryCategory, .categories,
      published: toString(p.published), updated: toString(p.updated),
      .doi, .journalRef, .comment, .absUrl, .pdfUrl, .authorCount, .withdrawn,
      .citations, .openalexId,
      citationsByYear: [i IN range(0, size(coalesce(p.citationYears, [])) - 1)
        WHERE p.citationCounts[i] IS NOT NULL
        | {year: p.citationYears[i], count: p.citationCounts[i]}],
      authors: CASE WHEN $authors THEN COLLECT {
        MATCH (x:Author)-[r:AUTHORED]->(p)
        WITH x, r ORDER BY r.position LIMIT $maxAuthorsListed
        RETURN x {id: x.key, .name}
      } ELSE [] END
    }
  } AS works
