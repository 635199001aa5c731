// identity_delete_nodes: remove researcher records (a merge's absorbed records, a split's
// record on undo) and redirects (on undo of a merge). A record goes only when nothing but
// derived edges (COAUTHOR, AFFILIATED_WITH, TOPIC_RANK) and event links (TOUCHED) are left
// on it, so works, claims or follows it gained meanwhile are never lost.
//
// Parameters:
//   $authors    record keys, e.g. ["example--0000.00000"]
//   $redirects  redirect ids, e.g. ["example-old"]
//
// deleted: the record keys that were removed (compare with $authors).
//
// In Neo4j Browser:
//   :param authors => ["example--0000.00000"]
//   :param redirects => ["example-old"]
CALL () {
  UNWIND $redirects AS key
  MATCH (r:AuthorRedirect {key: key})
  DETACH DELETE r
  RETURN count(*) AS redirects
}
CALL () {
  UNWIND $authors AS key
  MATCH (a:Author {key: key})
  WHERE NOT EXISTS {
    (a)-[r]-() WHERE NOT type(r) IN ['COAUTHOR', 'AFFILIATED_WITH', 'TOPIC_RANK', 'TOUCHED']
  }
  DETACH DELETE a
  RETURN collect(key) AS deleted
}
RETURN deleted, redirects
