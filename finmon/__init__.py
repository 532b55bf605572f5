"""finmon: countering the financing of terrorism."""

__version__ = "0.1.0"
