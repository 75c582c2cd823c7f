"""The GraphQL engine: GraphQL over HTTP and WebSocket, demand control, persisted queries,
variable coercion, validation rules, and the compiled breadth-first plan executor that
runs queries beside graphql-core. The most unusual code of the project lives here, apart
from the app's routes (``hub/routes_*.py``) and the command line."""
