"""Benchmarks: a synthetic arXiv-like corpus, and timings of the load paths and the API."""

from kg.core.errors import KgError


class BenchError(KgError):
    """The benchmark cannot run; the message says why and what to do."""
