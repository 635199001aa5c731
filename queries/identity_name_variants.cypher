// identity_name_variants: bring researcher records' `nameVariants` in line with their works
// after authorships moved: spellings still used keep their place, spellings of works that
// arrived are added (oldest work first), spellings no work uses any more are dropped.
//
// Parameters:
//   $keys  author keys, e.g. ["qizhen-zhang"]
//
// In Neo4j Browser:
//   :param keys => ["qizhen-zhang"]
UNWIND $keys AS key
MATCH (a:Author {key: key})
WITH a, coalesce(a.nameVariants, []) AS known, COLLECT {
  MATCH (a)-[r:AUTHORED]->(p:Paper)
  WITH r ORDER BY p.published, p.arxivId
  RETURN r.nameAsWritten
} AS written
WITH a, known, reduce(seen = [], v IN written | CASE WHEN v IN seen THEN seen ELSE seen + v END)
  AS used
SET a.nameVariants = [v IN known WHERE v IN used] + [v IN used WHERE NOT v IN known]
RETURN count(a) AS records
