"""Summarise time sheets across time zones."""
