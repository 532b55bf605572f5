"""Reports to the financial intelligence unit: goAML XML (docs/goaml.md)."""
