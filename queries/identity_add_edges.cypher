// identity_add_edges: write relationships of researcher records back, as identity_edges
// reads them: a moved authorship, a claim or follow carried over by a merge, a NOT_SAME_AS
// marker, a redirect's MOVED_TO, or (on undo) whatever an operation removed.
//
// Parameters:
//   $edges  [{record, type, out, other: {label, value}, props}] (see identity_edges), e.g.
//           [{record: "qizhen-zhang", type: "FOLLOWS", out: false,
//             other: {label: "User", value: "analyst"}, props: {}}]
//
// added: the positions in $edges that were written (an end that is gone is skipped).
//
// In Neo4j Browser:
//   :param edges => [{record: "qizhen-zhang", type: "FOLLOWS", out: false, other: {label: "User", value: "analyst"}, props: {}}]
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
  WITH * WHERE e.out
  CREATE (a)-[r:$(e.type)]->(o)
  SET r = e.props
}
CALL (a, o, e) {
  WITH * WHERE NOT e.out
  CREATE (o)-[r:$(e.type)]->(a)
  SET r = e.props
}
RETURN collect(i) AS added
