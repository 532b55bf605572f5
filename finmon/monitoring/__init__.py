"""Transaction monitoring: rules as data (rules.py) run by a batch and a streaming engine with
one semantics (engine.py)."""
