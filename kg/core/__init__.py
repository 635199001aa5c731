"""The core every layer stands on: settings, errors, names, the Neo4j driver and server,
the schema migrations and the named queries. It imports nothing above it."""
