// 005 identity: an Author is one person. `key` is the record's stable id; `nameKey` is the
// normalised name it was found under (the block the loaders disambiguate within). Graphs
// loaded before identity existed have one person per name: their key is their name key.
CREATE INDEX author_name_key IF NOT EXISTS FOR (a:Author) ON (a.nameKey);
// Records a transactional load touched: their name blocks are resolved once more, whole,
// when the load ends (or by the next load, if this one was killed).
CREATE INDEX author_unsettled IF NOT EXISTS FOR (a:Author) ON (a.unsettled);
// An id that stopped existing (its record was merged into another) points where its works went.
CREATE CONSTRAINT author_redirect_key IF NOT EXISTS FOR (r:AuthorRedirect) REQUIRE r.key IS UNIQUE;
// Curation events (merge, split, move, undo): who, when, why and what moved.
CREATE CONSTRAINT identity_event_id IF NOT EXISTS FOR (e:IdentityEvent) REQUIRE e.id IS UNIQUE;
MATCH (a:Author) WHERE a.nameKey IS NULL
CALL (a) { SET a.nameKey = a.key } IN TRANSACTIONS OF 10000 ROWS;
MATCH (:Author)-[r:AUTHORED]->() WHERE r.assignedBy IS NULL
CALL (r) { SET r.assignedBy = 'name', r.reason = 'name key (loaded before identity)' } IN TRANSACTIONS OF 10000 ROWS;
