"""Analysts' tools on the graph: PageRank and communities, neighbourhood exports."""
