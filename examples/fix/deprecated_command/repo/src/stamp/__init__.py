"""Stamp build metadata into release notes."""
