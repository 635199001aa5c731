// search_works: works whose title or abstract matches, best match first (full-text index
// `paper_text`, Lucene query syntax), with their authors in order.
// citations, openalexId, citationsByYear: OpenAlex's, null or [] before `kg load openalex`.
//
// Parameters:
//   $query  a Lucene query, e.g. "quantum AND nois*"
//   $first  how many, e.g. 10
//   $maxAuthorsListed  authors returned per work, e.g. 100
//
// In Neo4j Browser:
//   :param query => "quantum AND nois*"
//   :param first => 10
//   :param maxAuthorsListed => 100
CALL db.index.fulltext.queryNodes('paper_text', $query, {limit: $first})
YIELD node AS p, score
RETURN score, p {
  .arxivId, .title, .abstract, .primaryCategory, .categories,
      published: toString(p.published), updated: toString(p.updated),
  .doi, .journalRef, .comment, .absUrl, .pdfUrl, .authorCount, .withdrawn,
  .citations, .openalexId,
  citationsByYear: [i IN range(0, size(coalesce(p.citationYears, [])) - 1)
    WHERE p.citationCounts[i] IS NOT NULL
    | {year: p.citationYears[i], count: p.citationCounts[i]}],
  authors: COLLECT {
    MATCH (x:Author)-[r:AUTHORED]->(p)
    WITH x, r ORDER BY r.position LIMIT $maxAuthorsListed
    RETURN x {id: x.key, .name}
  }
} AS work
ORDER BY score DESC, work.arxivId
