"""SHACL shapes (*.ttl) for the quality-assurance rules, and the validator that applies them.
Never opens a store."""
