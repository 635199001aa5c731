// search_researchers: researchers whose name matches, best match first (full-text index
// `author_names`, Lucene query syntax).
//
// Parameters:
//   $query  a Lucene query, e.g. "liu*"
//   $first  how many, e.g. 10
//
// In Neo4j Browser:
//   :param query => "liu*"
//   :param first => 10
CALL db.index.fulltext.queryNodes('author_names', $query, {limit: $first})
YIELD node, score
RETURN node.key AS id, node.name AS name, score
ORDER BY score DESC, id
