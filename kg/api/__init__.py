"""The GraphQL API: its roots and types, per-request loaders, and the gateway to Neo4j."""
