"""What healing one run was asked to do (`HealOptions`) and what it did (`HealResult`).

Both the pipeline and the summary import these; neither imports the other's module for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from smartmon.diagnose import Analysis
from smartmon.model import Fix, IssueType


@dataclass(frozen=True, kw_only=True)
class HealOptions:
    mode: str = "auto"  # auto | commit | pull-request | report
    max_attempts: int = 2
    fix_types: frozenset[IssueType] | None = None  # None = all safe ones
    dry_run: bool = False
    create_secrets: bool = False
    can_push_workflows: bool | None = None  # None = unknown: treat as False for workflow edits
    token_starts_runs: bool = False  # True for PAT/App tokens; GITHUB_TOKEN pushes start no runs
    verify_timeout: float = 600.0
    skip_label: str = ""  # a pull request with this label gets a report only ("" = no check)


@dataclass(frozen=True, kw_only=True)
class HealResult:
    run_id: int
    skipped: str | None  # one-line reason when nothing was attempted
    analysis: Analysis | None
    fixes: tuple[tuple[Fix, bool], ...]  # (fix, applied)
    delivery: str  # "commit" | "pull-request" | "patch" | "rerun" | "none"
    commit_sha: str | None
    pull_request_url: str | None
    patch: str | None
    rerun_attempt: int | None
    verification: str  # "passed" | "failed" | "pending" | "unverified: …" | "dispatched" | …
    verification_run_id: int | None
    secrets_created: tuple[str, ...]
    secrets_missing: tuple[str, ...]
    next_steps: tuple[str, ...]
    run: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    job_ids: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    notes: tuple[str, ...] = ()
    opted_out: str | None = None  # who asked for a report only (label or trailer)
    pull_number: int | None = None  # the pull request the failed run belongs to

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "run_attempt": int(self.run.get("run_attempt") or 1) if self.run else None,
            "head_sha": self.run.get("head_sha") if self.run else None,
            "head_branch": self.run.get("head_branch") if self.run else None,
            "skipped": self.skipped,
            "analysis": self.analysis.to_dict() if self.analysis is not None else None,
            "fixes": [fix.to_dict(applied=applied) for fix, applied in self.fixes],
            "delivery": self.delivery,
            "commit_sha": self.commit_sha,
            "pull_request_url": self.pull_request_url,
            "patch": self.patch,
            "rerun_attempt": self.rerun_attempt,
            "verification": self.verification,
            "verification_run_id": self.verification_run_id,
            "secrets_created": list(self.secrets_created),
            "secrets_missing": list(self.secrets_missing),
            "notes": list(self.notes),
            "opted_out": self.opted_out,
            "pull_number": self.pull_number,
            "next_steps": list(self.next_steps),
        }


def result_of(run_id: int, **kw: Any) -> HealResult:
    base: dict[str, Any] = {
        "skipped": None,
        "analysis": None,
        "fixes": (),
        "delivery": "none",
        "commit_sha": None,
        "pull_request_url": None,
        "patch": None,
        "rerun_attempt": None,
        "verification": "not needed",
        "verification_run_id": None,
        "secrets_created": (),
        "secrets_missing": (),
        "next_steps": (),
    }
    return HealResult(run_id=run_id, **(base | kw))
