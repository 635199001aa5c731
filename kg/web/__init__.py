"""The HTTP service: GraphQL, the researcher pages and GraphiQL, on one Starlette app."""

from kg.web.app import app_from_env, create_app

__all__ = ["app_from_env", "create_app"]
