// identity_resolve: what each of these ids is now: a live researcher record, an id that was
// merged into another record (and which), or nothing.
//
// Parameters:
//   $keys  ids to look up, e.g. ["qizhen-zhang", "nobody-at-all"]; one row per id
//
// live: the record with that key, if any (with its name, nameKey and properties).
// movedTo: for an id whose record was merged away, the record its works went to.
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang", "nobody-at-all"]
UNWIND $keys AS key
OPTIONAL MATCH (a:Author {key: key})
OPTIONAL MATCH (:AuthorRedirect {key: key})-[:MOVED_TO]->(m:Author)
RETURN
  key,
  a IS NOT NULL AS live,
  properties(a) AS props,
  coalesce(a.nameKey, split(key, '--')[0]) AS nameKey,
  m.key AS movedTo
