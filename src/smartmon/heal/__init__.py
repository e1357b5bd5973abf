"""Healing one failed run: guards, logs, diagnosis, fixes, delivery, verification, summary."""

from smartmon.heal.action_lookups import known_actions
from smartmon.heal.announce import Announced, announce, close_tracking
from smartmon.heal.delivery import MODES, REMOTE
from smartmon.heal.handoff import render as render_handoff
from smartmon.heal.pipeline import heal, render_summary
from smartmon.heal.pr_comment import COMMENT_MODES
from smartmon.heal.result import HealOptions, HealResult

__all__ = [
    "COMMENT_MODES",
    "MODES",
    "REMOTE",
    "Announced",
    "HealOptions",
    "HealResult",
    "announce",
    "close_tracking",
    "heal",
    "known_actions",
    "render_handoff",
    "render_summary",
]
