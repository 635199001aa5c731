// citation_flow: which topics cite which? Citations between papers of this graph
// (`(:Paper)-[:CITES]->(:Paper)`, from `kg load openalex`), counted by the citing and the
// cited paper's primary category, optionally for citing papers from a year on.
//
// Parameters:
//   $fromYear  count citing papers from this year on, or null for all years
//   $first     how many topic pairs, e.g. 20
//
// In Neo4j Browser:
//   :param fromYear => null
//   :param first => 20
MATCH (citing:Paper)-[:CITES]->(cited:Paper)
WHERE $fromYear IS NULL OR citing.year >= $fromYear
WITH citing.primaryCategory AS fromTopic, cited.primaryCategory AS toTopic, count(*) AS citations
ORDER BY citations DESC, fromTopic, toTopic
LIMIT $first
RETURN fromTopic, toTopic, citations, fromTopic = toTopic AS withinTopic
