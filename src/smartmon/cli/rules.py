"""`smartmon rules`: list the diagnosis catalog (id, type, severity, pattern)."""

from __future__ import annotations

import argparse
import json
import sys

from smartmon.diagnose import load_rules


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    rules = load_rules()
    if args.format == "json":
        rows = [
            {
                "id": r.id,
                "type": r.type.value,
                "severity": r.severity.value,
                "fixable": r.fixable,
                "advisory": r.advisory,
                "pattern": r.pattern,
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    width = max((len(r.id) for r in rules), default=0)
    for r in rules:
        flags = "advisory" if r.advisory else ("fixable" if r.fixable else "")
        sys.stdout.write(
            f"{r.id:<{width}}  {r.type.value:<20} {r.severity.value:<8} {flags:<8} {r.pattern}\n"
        )
    sys.stdout.write(f"{len(rules)} rules\n")
    return 0
