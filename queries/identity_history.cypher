// identity_history: the identity curation events of a researcher record, newest first. An id
// that was merged into another record shows its own events and those of the record it
// went to.
//
// Parameters:
//   $key  a researcher id, current or merged away, e.g. "qizhen-zhang"
//
// One row: the ids looked at (keys) and the events (without their payloads).
//
// In Neo4j Browser:
//   :param key => "qizhen-zhang"
OPTIONAL MATCH (:AuthorRedirect {key: $key})-[:MOVED_TO]->(m:Author)
WITH [k IN [$key, m.key] WHERE k IS NOT NULL] AS keys
RETURN keys, COLLECT {
  MATCH (e:IdentityEvent) WHERE any(k IN e.keys WHERE k IN keys)
  WITH e ORDER BY e.at DESC, e.id DESC
  RETURN e {.id, .kind, .actor, .reason, .keys, .summary, .undoes, .undoneBy, at: toString(e.at)}
} AS events
