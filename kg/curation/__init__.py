"""Operators' decisions on records: claims (and, later, identity merges and splits)."""
