"""The `smartmon` command line: `main` and one module per command."""

from smartmon.cli.main import main

__all__ = ["main"]
