"""Healing one failed run: guards, logs, diagnosis, fixes, delivery, verification, summary."""

from smartmon.heal.delivery import MODES, REMOTE
from smartmon.heal.pipeline import heal, render_summary
from smartmon.heal.result import HealOptions, HealResult

__all__ = ["MODES", "REMOTE", "HealOptions", "HealResult", "heal", "render_summary"]
