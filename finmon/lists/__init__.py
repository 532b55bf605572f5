"""finmon.lists."""
