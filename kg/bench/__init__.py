"""Benchmarks: a synthetic arXiv-like corpus, and timings of the load paths and the API."""
