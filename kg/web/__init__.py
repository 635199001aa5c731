"""The HTTP service (`app`): GraphQL, the researcher pages (`pages`, `static/`) and GraphiQL's
files (`ide_assets`), on one Starlette app. Importing the package imports none of them."""
