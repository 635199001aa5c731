// most_cited_works: the most cited works of a topic (citations as OpenAlex counts them,
// after `kg load openalex`), optionally from a year on, with how many of their citations
// come from papers in this graph.
//
// Parameters:
//   $topic     arXiv category code, e.g. "cs.DB"
//   $fromYear  only works from this year on, or null for all years
//   $first     how many, e.g. 10
//
// In Neo4j Browser:
//   :param topic => "cs.DB"
//   :param fromYear => null
//   :param first => 10
MATCH (:Topic {code: $topic})<-[:HAS_TOPIC]-(p:Paper)
WHERE p.citations IS NOT NULL AND ($fromYear IS NULL OR p.year >= $fromYear)
WITH p ORDER BY p.citations DESC, p.arxivId LIMIT $first
RETURN
  p.arxivId AS arxivId,
  p.title AS title,
  p.year AS year,
  p.citations AS citations,
  COUNT { (:Paper)-[:CITES]->(p) } AS citedInGraph,
  [(a:Author)-[r:AUTHORED]->(p) | a.name][..3] AS firstAuthors
