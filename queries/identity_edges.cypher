// identity_edges: every relationship of these researcher records, in a form that can be
// written back: the record, the type, whether it points out of the record, the node at
// the other end (its label and key) and the properties. Identity curation reads it before
// an operation, so the event can undo exactly what the operation changed.
//
// Parameters:
//   $keys  author keys, e.g. ["qizhen-zhang"]; one row per relationship
//
// other: {label, value}: Author and AuthorRedirect and Institution by key, User and
// IdentityEvent by id, Topic by code, Paper by arxivId (any other label: value null).
// published: the paper's date, for AUTHORED (null otherwise). rid: the relationship's
// elementId, so one between two listed records can be told from a second copy.
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang"]
UNWIND $keys AS key
MATCH (a:Author {key: key})-[r]-(o)
WITH a, r, o, head([l IN labels(o) WHERE l IN [
  'Author', 'AuthorRedirect', 'Institution', 'User', 'IdentityEvent', 'Topic', 'Paper'
]]) AS label
RETURN
  a.key AS record,
  type(r) AS type,
  startNode(r) = a AS out,
  {label: label, value: CASE label
    WHEN 'User' THEN o.id WHEN 'IdentityEvent' THEN o.id
    WHEN 'Topic' THEN o.code WHEN 'Paper' THEN o.arxivId
    ELSE o.key END} AS other,
  properties(r) AS props,
  CASE WHEN label = 'Paper' THEN o.published END AS published,
  elementId(r) AS rid
