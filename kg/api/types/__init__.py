"""The GraphQL object types, one module per part of the graph a client reads.

Import from the modules themselves: this package re-exports nothing, so importing one
type never drags in the others (and `kg.api.requests` can use `pagination` alone).
"""
