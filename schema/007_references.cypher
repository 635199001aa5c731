// 007 references: which papers cite a given OpenAlex work, without reading every paper's
// reference list. A paper matched after the papers that cite it finds them through this
// index (each of its `referencedWorks` is one exact term), so a small OpenAlex refresh on
// a large graph links its CITES edges in index lookups. The marks a load leaves for its
// citation step (`citesPending`, `newlyMatched`) are indexed, so it finds them in chunks.
CREATE FULLTEXT INDEX paper_references IF NOT EXISTS
FOR (p:Paper) ON EACH [p.referencedWorks]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}};
CREATE INDEX paper_cites_pending IF NOT EXISTS FOR (p:Paper) ON (p.citesPending);
CREATE INDEX paper_newly_matched IF NOT EXISTS FOR (p:Paper) ON (p.newlyMatched);
