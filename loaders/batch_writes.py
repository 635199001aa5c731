"""The Cypher of one transactional batch (`graph_writer.write_batch`), in the order it runs.

Split from the writer so the statements and what each one reads and guarantees read
together, apart from the Python that builds their parameters.
"""

EXISTING = """
UNWIND $ids AS id
MATCH (p:Paper {arxivId: id})
RETURN id, p.year AS year,
       COLLECT { MATCH (a:Author)-[r:AUTHORED]->(p) RETURN [r.nameAsWritten, a.key] } AS people,
       COLLECT {
         MATCH (a:Author)-[r:AUTHORED]->(p)
         UNWIND coalesce(r.affiliations, []) AS institution
         RETURN [a.key, institution]
       } AS affiliations
"""

CREATE_PAPERS = """
UNWIND $newPapers AS row
CREATE (p:Paper {arxivId: row.arxivId})
SET p += row.props
WITH p, row
CALL (p, row) {
  UNWIND row.categories AS code
  MATCH (t:Topic {code: code})
  CREATE (p)-[:HAS_TOPIC {primary: code = row.primaryCategory}]->(t)
}
CALL (p, row) {
  UNWIND row.authors AS author
  MATCH (a:Author {key: author.key})
  CREATE (a)-[:AUTHORED {
    position: author.position, nameAsWritten: author.written, affiliations: author.affiliations,
    assignedBy: author.by, reason: author.reason
  }]->(p)
}
"""
"""Papers not yet in the graph (checked in the same transaction): nothing to MERGE against."""

UPSERT_PAPERS = """
UNWIND $papers AS row
MERGE (p:Paper {arxivId: row.arxivId})
SET p += row.props
"""

UPSERT_TOPICS = """
UNWIND $topics AS row
MERGE (t:Topic {code: row.code})
SET t.label = row.label, t.name = row.name, t.archive = row.archive
"""

LINK_TOPICS = """
UNWIND $paperTopics AS row
MATCH (p:Paper {arxivId: row.arxivId})
CALL (p, row) {
  MATCH (p)-[r:HAS_TOPIC]->(t:Topic) WHERE NOT t.code IN row.categories
  DELETE r
}
CALL (p, row) {
  UNWIND row.categories AS code
  MATCH (t:Topic {code: code})
  MERGE (p)-[r:HAS_TOPIC]->(t)
  SET r.primary = (code = row.primaryCategory)
}
"""

CREATE_PEOPLE = """
UNWIND $people AS row
MERGE (a:Author {key: row.key})
ON CREATE SET a.name = row.name, a.nameKey = row.nameKey, a.nameVariants = row.variants
"""
"""Records the identity resolution founded (some hold no authorship of this batch)."""

UPSERT_AUTHORS = """
UNWIND $authors AS row
MERGE (a:Author {key: row.key})
ON CREATE SET a.name = row.name, a.nameKey = row.nameKey
SET a.unsettled = true
WITH a, row, coalesce(a.nameVariants, []) AS known
SET a.nameVariants = known + [v IN row.variants WHERE NOT v IN known]
"""

LINK_AUTHORS = """
UNWIND $paperAuthors AS row
MATCH (p:Paper {arxivId: row.arxivId})
CALL (p, row) {
  MATCH (a:Author)-[r:AUTHORED]->(p) WHERE NOT a.key IN [x IN row.authors | x.key]
  DELETE r
}
CALL (p, row) {
  UNWIND row.authors AS author
  MATCH (a:Author {key: author.key})
  MERGE (a)-[r:AUTHORED]->(p)
  ON CREATE SET r.assignedBy = author.by, r.reason = author.reason
  SET r.position = author.position, r.nameAsWritten = author.written,
      r.affiliations = author.affiliations
}
"""

LINK_INSTITUTIONS = """
UNWIND $affiliations AS row
MATCH (a:Author {key: row.author})
MERGE (i:Institution {key: row.key})
ON CREATE SET i.name = row.name
MERGE (a)-[r:AFFILIATED_WITH]->(i)
SET r.lastYear = CASE WHEN r.lastYear IS NULL OR r.lastYear < row.year
                      THEN row.year ELSE r.lastYear END,
    r.firstYear = CASE WHEN r.firstYear IS NULL OR r.firstYear > row.year
                       THEN row.year ELSE r.firstYear END
"""

RECOUNT_AFFILIATIONS = """
UNWIND $affiliationPairs AS pair
MATCH (a:Author {key: pair[0]})
MATCH (i:Institution {key: pair[1]})
CALL (a, i) {
  OPTIONAL MATCH (a)-[r:AUTHORED]->(p:Paper)
  WHERE i.key IN r.affiliations OR i.key IN coalesce(r.institutions, [])
  RETURN min(p.year) AS firstYear, max(p.year) AS lastYear
}
CALL (a, i, firstYear, lastYear) {
  WITH * WHERE lastYear IS NOT NULL
  MERGE (a)-[f:AFFILIATED_WITH]->(i)
  SET f.firstYear = firstYear, f.lastYear = lastYear
}
CALL (a, i, lastYear) {
  WITH * WHERE lastYear IS NULL
  MATCH (a)-[f:AFFILIATED_WITH]->(i)
  DELETE f
}
"""
"""Recount (author, institution) edges a known paper's new version may have changed: an
edge stays while any paper of the author still gives the institution, with the latest year
of those; an affiliation no paper gives any more is removed."""

REFRESH_COAUTHOR = """
UNWIND $pairs AS pair
MATCH (a:Author {key: pair[0]})
MATCH (b:Author {key: pair[1]})
CALL (a, b) {
  OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
  WHERE p.authorCount <= $maxAuthors AND p.year IS NOT NULL
  WITH p.year AS year, count(p) AS n WHERE n > 0
  ORDER BY year
  RETURN collect(year) AS years, collect(n) AS yearWorks
}
WITH a, b, years, yearWorks, reduce(s = 0, n IN yearWorks | s + n) AS shared
CALL (a, b, shared, years, yearWorks) {
  WITH * WHERE shared > 0
  MERGE (a)-[c:COAUTHOR]->(b)
  SET c.weight = shared, c.firstYear = years[0], c.lastYear = years[-1],
    c.years = years, c.yearWorks = yearWorks
}
CALL (a, b, shared) {
  WITH * WHERE shared = 0
  MATCH (a)-[c:COAUTHOR]-(b)
  DELETE c
}
"""
"""Recount pairs whose shared works may have changed: a paper already in the graph got
another author list (or year). Pairs are (lower key, higher key): one edge per pair."""

ADD_COAUTHOR = """
UNWIND $increments AS group
MATCH (a:Author {key: group.a})
UNWIND group.partners AS inc
MATCH (b:Author {key: inc.b})
MERGE (a)-[c:COAUTHOR]->(b)
ON CREATE SET c.weight = 0, c.years = [], c.yearWorks = []
WITH c, inc
CALL (c, inc) {
  WITH * WHERE c.years IS NOT NULL
  UNWIND range(0, size(c.years) + size(inc.years) - 1) AS i
  WITH c, CASE WHEN i < size(c.years) THEN c.years[i] ELSE inc.years[i - size(c.years)] END AS year,
    CASE WHEN i < size(c.years) THEN c.yearWorks[i]
         ELSE inc.yearWorks[i - size(c.years)] END AS n
  WITH c, year, sum(n) AS n ORDER BY year
  WITH c, collect(year) AS years, collect(n) AS yearWorks
  SET c.years = years, c.yearWorks = yearWorks
}
SET c.weight = c.weight + inc.n,
  c.firstYear = CASE WHEN c.firstYear IS NULL OR inc.first < c.firstYear THEN inc.first
                     ELSE c.firstYear END,
  c.lastYear = CASE WHEN c.lastYear IS NULL OR inc.last > c.lastYear THEN inc.last
                    ELSE c.lastYear END
"""
"""Papers created in this very transaction add their pairs, per year too (`years`, ascending,
and `yearWorks`, the shared works of each: windowed collaborator counts read them instead of
walking the works). Safe to replay: a paper is created once, so its pairs are counted once;
a rerun finds it present and adds nothing. An edge written before kg kept per-year counts
has no `years` and gets them when it is recounted; until then the queries walk its works."""


PEOPLE_WRITES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (UPSERT_TOPICS, ("topics",)),
    (CREATE_PEOPLE, ("people",)),
    (UPSERT_AUTHORS, ("authors",)),
)
"""Records first: the identity changes (`graph_people.apply_changes`) run between these and
`WRITES`, so moved authorships are in place before papers link their authors."""

WRITES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (CREATE_PAPERS, ("newPapers",)),
    (UPSERT_PAPERS, ("papers",)),
    (LINK_TOPICS, ("paperTopics",)),
    (LINK_AUTHORS, ("paperAuthors",)),
    (LINK_INSTITUTIONS, ("affiliations",)),
    (RECOUNT_AFFILIATIONS, ("affiliationPairs",)),
    (ADD_COAUTHOR, ("increments",)),
    (REFRESH_COAUTHOR, ("pairs", "maxAuthors")),
)
"""In this order: nodes before the edges that MATCH them, COAUTHOR last (it reads AUTHORED).
Each query is sent only the parameters it reads: packing is a large share of the cost.
New papers take the CREATE path; papers already present are MERGEd and their stale edges
removed. One loader at a time: two loaders creating the same new paper would collide on
its key constraint (the transaction fails whole and a rerun completes it)."""
