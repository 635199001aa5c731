"""Batch jobs that bring arXiv metadata into the graph, idempotently."""
