"""Errors a person can act on: one line saying what happened, where, and what to do."""


class SmartmonError(Exception):
    """A failure the user can fix; the CLI prints `smartmon: error: <message>` and exits 2."""

    exit_code = 2


class InputError(SmartmonError):
    """Bad input: a missing, unreadable or malformed file or argument."""
