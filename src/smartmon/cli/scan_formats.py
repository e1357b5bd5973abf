"""`scan` findings in the formats linters' users already read: SARIF 2.1.0 and GitHub annotations.

SARIF follows the OASIS SARIF 2.1.0 standard as GitHub code scanning accepts it (`ruleId`, `level`,
`message.text`, a `physicalLocation` with a `%SRCROOT%`-relative `uri` and a 1-based `startLine`):
https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
Annotations are workflow commands; their data and properties are escaped as the runner's
`escapeData`/`escapeProperty` do (actions/toolkit packages/core/src/command.ts), so a workflow's own
text cannot end the command early or start another one.
"""

from __future__ import annotations

import json
from typing import Any

from smartmon.fixers import ScanFinding
from smartmon.model import VERSION
from smartmon.report import NEXT_STEPS, strip_controls

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}


def sarif(found: list[ScanFinding]) -> str:
    """One SARIF 2.1.0 log with one run; one rule per finding type."""
    types = sorted({f.finding.type.value for f in found})
    index = {t: i for i, t in enumerate(types)}
    by_type = {f.finding.type.value: f.finding.type for f in found}
    rules = [
        {
            "id": t,
            "name": "".join(part.capitalize() for part in t.split("_")),
            "shortDescription": {"text": t.replace("_", " ")},
            "help": {"text": NEXT_STEPS[by_type[t]]},
        }
        for t in types
    ]
    results: list[dict[str, Any]] = []
    for item in found:
        f = item.finding
        result: dict[str, Any] = {
            "ruleId": f.type.value,
            "ruleIndex": index[f.type.value],
            "level": _LEVEL.get(f.severity.value, "warning"),
            "message": {"text": strip_controls(f.text) or f.type.value},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": item.file, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(1, f.line or 1)},
                    }
                }
            ],
            "properties": {"autoFixable": f.auto_fixable, "severity": f.severity.value},
        }
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "smartmon",
                        "version": VERSION,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(found: list[ScanFinding]) -> str:
    """One `::error|warning|notice file=…,line=…,title=…::message` line per finding."""
    lines = []
    for item in found:
        f = item.finding
        command = {"error": "error", "warning": "warning"}.get(_LEVEL[f.severity.value], "notice")
        fix = " (fixable: smartmon scan --fix)" if f.auto_fixable else ""
        props = ",".join(
            [
                f"file={escape_property(strip_controls(item.file))}",
                f"line={max(1, f.line or 1)}",
                f"title={escape_property(f'smartmon: {f.type.value}')}",
            ]
        )
        lines.append(f"::{command} {props}::{escape_data(strip_controls(f.text) + fix)}\n")
    return "".join(lines)
