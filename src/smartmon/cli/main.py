"""The `smartmon` command line: one sub-command per module in `smartmon.cli`."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import Protocol

from smartmon.errors import SmartmonError
from smartmon.model import VERSION as __version__


class _Command(Protocol):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


# name, module, one-line help. Modules are imported only when their command runs (fast start-up).
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("analyze", "smartmon.cli.analyze", "explain why a job failed from its downloaded log"),
    ("rules", "smartmon.cli.rules", "list the diagnosis rule catalog"),
    ("fix", "smartmon.cli.fix", "apply safe, deterministic fixes for a failed log"),
    ("scan", "smartmon.cli.scan", "check workflow files statically, optionally fix them"),
    ("sandbox", "smartmon.cli.sandbox", "run the local GitHub API emulator"),
    ("monitor", "smartmon.cli.monitor", "watch a repository and heal failed runs until green"),
    ("org-scan", "smartmon.cli.org_scan", "list an organisation's failing default branches"),
    ("demo", "smartmon.cli.demo", "run the whole loop offline against the sandbox"),
)


def _load(module: str) -> _Command:
    mod: _Command = importlib.import_module(module)
    return mod


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smartmon",
        description="Self-healing CI for GitHub Actions.",
    )
    parser.add_argument("--version", action="version", version=f"smartmon {__version__}")
    parser.add_argument(
        "--log-level",
        default=os.environ.get("LOG_LEVEL", "WARNING"),
        help="diagnostics on stderr: DEBUG, INFO, WARNING (default), ERROR",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = {name for name, _, _ in COMMANDS}
    wanted = next((a for a in argv if a in names), None)
    for name, module, help_text in COMMANDS:
        cmd_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == wanted:
            _load(module).add_arguments(cmd_parser)
            cmd_parser.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list)
    args = parser.parse_args(args_list)
    level = getattr(logging, str(args.log_level).upper(), logging.WARNING)
    logging.basicConfig(level=level, format="smartmon: %(levelname)s: %(message)s")
    module = getattr(args, "_module", None)
    if module is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return _load(module).run(args)
    except SmartmonError as exc:
        from smartmon.report import strip_controls  # paths in messages may carry escapes

        print(f"smartmon: error: {strip_controls(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `smartmon analyze big.log | head` must not end in a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
