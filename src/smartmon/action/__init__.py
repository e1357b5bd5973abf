"""The composite action's program: `python -I -m smartmon.action` (see action.yml)."""

__all__: list[str] = []
