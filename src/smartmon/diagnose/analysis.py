"""What a diagnosis says: per job, its conclusion; over all jobs, findings ranked and notices.

`explain` is filled when asked (`smartmon analyze --explain`): for each job, the rule and line that
won and each candidate that lost, with why. Users trust a diagnosis they can check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smartmon.model import Finding


@dataclass(frozen=True)
class Candidate:
    """One rule that matched in a job, and what became of it."""

    rule: str
    type: str
    line: int
    text: str
    outcome: str  # "won", or why it lost: "lower priority than …", "advisory: a notice", …

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "type": self.type,
            "line": self.line,
            "text": self.text,
            "outcome": self.outcome,
        }


@dataclass(frozen=True)
class JobSummary:
    name: str
    conclusion: str  # "failure" | "success" | "unreadable"
    lines: int
    origin: str
    verdict_from: str = "log"  # "log" (trailer), "excerpt" (error lines), "api", "caller"
    candidates: tuple[Candidate, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "conclusion": self.conclusion, "lines": self.lines}

    def explain_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "conclusion": self.conclusion,
            "verdict_from": self.verdict_from,
            "candidates": [c.to_dict() for c in self.candidates],
        }


@dataclass(frozen=True)
class Analysis:
    findings: tuple[Finding, ...]
    notices: tuple[Finding, ...]
    jobs: tuple[JobSummary, ...]
    errors: tuple[str, ...] = ()

    def to_dict(self, *, explain: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "findings": [f.to_dict() for f in self.findings],
            "notices": [n.to_dict() for n in self.notices],
            "jobs": [j.to_dict() for j in self.jobs],
        }
        if self.errors:
            out["errors"] = list(self.errors)
        if explain:
            out["explain"] = [j.explain_dict() for j in self.jobs]
        return out
