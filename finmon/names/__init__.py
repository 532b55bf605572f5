"""finmon.names."""
