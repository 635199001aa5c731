// researcher_profile: who is this researcher? Everything a profile page shows, in one round trip.
//
// Parameters:
//   $key         author key (the GraphQL id), e.g. "qizhen-zhang"
//   $minShared   list of thresholds: co-authors with at least that many shared works are
//                close collaborators; one count is returned per threshold
//   $worksLimit  how many works to return, newest first
//
// Close collaborators: distinct co-authors whose COAUTHOR weight (number of shared works,
// not counting papers with more than KG_COAUTHOR_MAX_AUTHORS authors) is >= the threshold.
//
// In Neo4j Browser:
//   :param key => "qizhen-zhang"
//   :param minShared => [2]
//   :param worksLimit => 20
MATCH (a:Author {key: $key})
RETURN
  a.key AS id,
  a.name AS name,
  coalesce(a.nameVariants, []) AS nameVariants,
  COUNT { (a)-[:AUTHORED]->(:Paper) } AS worksCount,
  [t IN $minShared | {
    minShared: t,
    count: COUNT { (a)-[c:COAUTHOR]-(:Author) WHERE c.weight >= t }
  }] AS closeCollaboratorCounts,
  COLLECT {
    MATCH (a)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(t:Topic)
    WITH t, count(*) AS works
    ORDER BY works DESC, t.code
    RETURN t {.code, .label, .name, works: works}
  } AS topics,
  COLLECT {
    MATCH (a)-[:AUTHORED]->(p:Paper)
    WITH p ORDER BY p.published DESC, p.arxivId DESC LIMIT $worksLimit
    RETURN p {
      .arxivId, .title, .abstract, .published, .updated, .primaryCategory, .categories,
      .doi, .journalRef, .comment, .absUrl, .pdfUrl, .authorCount,
      authors: COLLECT {
        MATCH (x:Author)-[r:AUTHORED]->(p)
        WITH x, r ORDER BY r.position
        RETURN x {.key, .name}
      }
    }
  } AS works
