"""finmon.store."""
