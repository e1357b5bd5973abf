"""smartmon: self-healing CI for GitHub Actions."""

from smartmon.model import VERSION as __version__

__all__ = ["ContinuousWorkflowMonitor", "__version__"]


def __getattr__(name: str) -> object:
    # Lazy, so `smartmon analyze` starts without importing the monitor and its HTTP stack.
    if name == "ContinuousWorkflowMonitor":
        from smartmon.monitor import ContinuousWorkflowMonitor

        return ContinuousWorkflowMonitor
    raise AttributeError(f"module 'smartmon' has no attribute {name!r}")
