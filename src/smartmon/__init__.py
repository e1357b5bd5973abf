"""smartmon: self-healing CI for GitHub Actions."""

__version__ = "0.1.0"

__all__ = ["__version__"]
