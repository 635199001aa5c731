// identity_delete_edges: remove relationships of researcher records, given as identity_edges
// reads them (record, type, direction and other end; properties are not compared).
//
// Parameters:
//   $edges  [{record, type, out, other: {label, value}}], e.g.
//           [{record: "qizhen-zhang", type: "FOLLOWS", out: false,
//             other: {label: "User", value: "analyst"}}]
//
// deleted: the positions in $edges that found a relationship to remove; a missing one
// means the graph changed since it was read, and the caller refuses to go on.
//
// In Neo4j Browser:
//   :param edges => [{record: "qizhen-zhang", type: "FOLLOWS", out: false, other: {label: "User", value: "analyst"}}]
UNWIND range(0, size($edges) - 1) AS i
WITH i, $edges[i] AS e
MATCH (a:Author {key: e.record})
CALL (e) {
  MATCH (o:Author {key: e.other.value}) WHERE e.other.label = 'Author' RETURN o
  UNION
  MATCH (o:AuthorRedirect {key: e.other.value}) WHERE e.other.label = 'AuthorRedirect' RETURN o
  UNION
  MATCH (o:Institution {key: e.other.value}) WHERE e.other.label = 'Institution' RETURN o
  UNION
  MATCH (o:User {id: e.other.value}) WHERE e.other.label = 'User' RETURN o
  UNION
  MATCH (o:IdentityEvent {id: e.other.value}) WHERE e.other.label = 'IdentityEvent' RETURN o
  UNION
  MATCH (o:Topic {code: e.other.value}) WHERE e.other.label = 'Topic' RETURN o
  UNION
  MATCH (o:Paper {arxivId: e.other.value}) WHERE e.other.label = 'Paper' RETURN o
}
CALL (a, o, e) {
  MATCH (a)-[r:$(e.type)]->(o) WHERE e.out
  DELETE r
  RETURN count(r) AS outgoing
}
CALL (a, o, e) {
  MATCH (o)-[r:$(e.type)]->(a) WHERE NOT e.out
  DELETE r
  RETURN count(r) AS incoming
}
WITH i WHERE outgoing + incoming > 0
RETURN collect(i) AS deleted
