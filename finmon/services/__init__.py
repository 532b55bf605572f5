"""The application layer: what finmon does, called alike by the CLI, the API and the web."""
