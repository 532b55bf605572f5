"""Helpers every layer may use: configuration files read and validated with one set of messages."""
