// shortest_collaboration_path: how are two researchers connected? The shortest chain of
// co-authorships between them (at most 6 hops), with the shared works on each link.
// No row when they are not connected within 6 hops (or either is unknown).
//
// Papers above the COAUTHOR cap (KG_COAUTHOR_MAX_AUTHORS) add no links; 6 is the
// deepest the search goes, whatever the graph (a bound keeps it fast on hubs).
//
// Parameters:
//   $from  author key, e.g. "qizhen-zhang"
//   $to    author key, e.g. "kenji-watanabe"
//
// In Neo4j Browser:
//   :param from => "qizhen-zhang"
//   :param to => "kenji-watanabe"
MATCH (a:Author {key: $from}), (b:Author {key: $to})
MATCH path = shortestPath((a)-[:COAUTHOR*..6]-(b))
RETURN
  length(path) AS hops,
  [x IN nodes(path) | x.name] AS researchers,
  [x IN nodes(path) | x.key] AS ids,
  [r IN relationships(path) | r.weight] AS sharedWorks
