"""Lint rules kept as YAML files, checked against a JSON schema."""
