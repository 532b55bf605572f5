"""finmon.screening."""
