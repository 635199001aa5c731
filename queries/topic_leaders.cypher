// topic_leaders: who publishes most in a topic? Researchers ranked by their works in it
// (optionally from a year on), with their share of the topic's works and last year active.
//
// Parameters:
//   $topic     arXiv category code, e.g. "cs.DB"
//   $fromYear  count works from this year on, or null for all years
//   $first     how many, e.g. 10
//
// In Neo4j Browser:
//   :param topic => "cs.DB"
//   :param fromYear => null
//   :param first => 10
MATCH (t:Topic {code: $topic})<-[:HAS_TOPIC]-(p:Paper)
WHERE $fromYear IS NULL OR p.year >= $fromYear
WITH t, collect(p) AS papers
UNWIND papers AS p
MATCH (a:Author)-[:AUTHORED]->(p)
WITH t, size(papers) AS topicWorks, a, count(p) AS works, max(p.year) AS lastYear
ORDER BY works DESC, lastYear DESC, a.key
LIMIT $first
RETURN
  a.key AS id,
  a.name AS name,
  works,
  round(100.0 * works / topicWorks, 1) AS percentOfTopic,
  lastYear
