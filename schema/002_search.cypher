// 002 search: range indexes for the orderings the UI uses, full-text for the search box.
CREATE INDEX paper_published IF NOT EXISTS FOR (p:Paper) ON (p.published);
CREATE INDEX author_name IF NOT EXISTS FOR (a:Author) ON (a.name);
CREATE FULLTEXT INDEX author_names IF NOT EXISTS FOR (a:Author) ON EACH [a.name];
CREATE FULLTEXT INDEX paper_text IF NOT EXISTS FOR (p:Paper) ON EACH [p.title, p.abstract];
