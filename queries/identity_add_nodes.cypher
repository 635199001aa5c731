// identity_add_nodes: create researcher records (a split's new record, a merged record
// brought back by undo) and redirects (the ids of records a merge absorbed).
//
// Parameters:
//   $authors    the records' properties, each with its key, e.g. [{key: "x--2401.00001", name: "X"}]
//   $redirects  ids that now redirect, e.g. ["x-old"] (their MOVED_TO edge is added apart)
//
// In Neo4j Browser:
//   :param authors => [{key: "example--0000.00000", name: "Example Person", nameKey: "example"}]
//   :param redirects => ["example-old"]
CALL () {
  UNWIND $authors AS props
  CREATE (a:Author)
  SET a = props
  RETURN count(a) AS authors
}
CALL () {
  UNWIND $redirects AS key
  CREATE (r:AuthorRedirect {key: key})
  RETURN count(r) AS redirects
}
RETURN authors, redirects
