// identity_event: one identity curation event by id, with what it moved (payload, JSON),
// and the newest later event that touched any of its records and was not undone: that
// one must be undone first.
//
// Parameters:
//   $id  an event id, e.g. "20240101T000000-1a2b3c" (`kg identity history` lists them)
//
// One row; event is null when no event has that id.
//
// In Neo4j Browser:
//   :param id => "20240101T000000-1a2b3c"
OPTIONAL MATCH (e:IdentityEvent {id: $id})
OPTIONAL CALL (e) {
  MATCH (later:IdentityEvent)
  WHERE later.kind <> 'undo' AND later.undoneBy IS NULL AND later.id <> e.id
    AND (later.at > e.at OR (later.at = e.at AND later.id > e.id))
    AND any(k IN later.keys WHERE k IN e.keys)
  RETURN later ORDER BY later.at DESC, later.id DESC LIMIT 1
}
RETURN e {.*, at: toString(e.at)} AS event, later.id AS blockedBy
