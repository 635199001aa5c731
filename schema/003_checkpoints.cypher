// 003 checkpoints: where each batch job got to, so a rerun resumes instead of starting over.
CREATE CONSTRAINT load_checkpoint_source IF NOT EXISTS FOR (c:LoadCheckpoint) REQUIRE c.source IS UNIQUE;
