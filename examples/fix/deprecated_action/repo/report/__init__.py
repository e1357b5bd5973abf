"""Render the monthly report to PDF."""
