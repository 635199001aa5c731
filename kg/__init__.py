"""kg: a research knowledge graph of arXiv authors, papers and topics in Neo4j."""

__version__ = "0.1.0"
