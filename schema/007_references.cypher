// 007 references: which papers cite a given OpenAlex work, without reading every paper's
// reference list. A paper matched after the papers that cite it finds them through this
// index (each of its `referencedWorks` is one exact term), so a small OpenAlex refresh on
// a large graph links its CITES edges in index lookups.
CREATE FULLTEXT INDEX paper_references IF NOT EXISTS
FOR (p:Paper) ON EACH [p.referencedWorks]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}};
