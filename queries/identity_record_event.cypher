// identity_record_event: write down one identity curation event (merge, split, move, undo)
// and link it to the records it touched that still exist; an undo also marks the event it
// reversed as undone.
//
// Parameters:
//   $event  {id, kind, actor, at, reason, keys, summary, payload, undoes}: payload is the
//           JSON of what moved (see kg/curation/identity.py), undoes null unless kind is undo
//
// In Neo4j Browser:
//   :param event => ({id: "example-event", kind: "move", actor: "analyst", at: "2024-01-01T00:00:00Z", reason: "example", keys: ["qizhen-zhang"], summary: "example", payload: "{}", undoes: null})
CREATE (e:IdentityEvent {id: $event.id})
SET e.kind = $event.kind, e.actor = $event.actor, e.at = datetime($event.at),
    e.reason = $event.reason, e.keys = $event.keys, e.summary = $event.summary,
    e.payload = $event.payload, e.undoes = $event.undoes
WITH e
CALL (e) {
  UNWIND e.keys AS key
  MATCH (a:Author {key: key})
  MERGE (e)-[:TOUCHED]->(a)
}
CALL (e) {
  MATCH (t:IdentityEvent {id: e.undoes})
  SET t.undoneBy = e.id
}
RETURN e.id AS id
