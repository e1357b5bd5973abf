"""Git hosting: bare repositories on disk (`gitrepo`) served over smart HTTP (`githttp`)."""

from smartmon.sandbox.git import githttp, gitrepo

__all__ = ["githttp", "gitrepo"]
