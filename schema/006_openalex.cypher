// 006 OpenAlex: what `kg load openalex` matches on and looks up. A paper's OpenAlex work id
// (CITES edges are resolved through it), the OpenAlex author id of an authorship (the
// identity evidence, and which person an OpenAlex author record belongs to) and of a person.
CREATE INDEX paper_openalex_id IF NOT EXISTS FOR (p:Paper) ON (p.openalexId);
CREATE INDEX author_openalex_id IF NOT EXISTS FOR (a:Author) ON (a.openalexId);
CREATE INDEX authored_openalex_author IF NOT EXISTS FOR ()-[r:AUTHORED]-() ON (r.openalexAuthor);
CREATE INDEX institution_openalex_id IF NOT EXISTS FOR (i:Institution) ON (i.openalexId);
CREATE INDEX author_openalex_pending IF NOT EXISTS FOR (a:Author) ON (a.openalexPending);
