"""The GraphQL API: schema, per-request context and loaders, and the named queries it runs."""
