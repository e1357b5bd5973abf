"""Fixes proven after the fact: an applied fix is verified by a later passing run of its workflow
whose head contains the fix's commit (e.g. its pull request was merged). A run whose head is the
fix's commit itself is matched by the report (`MonitorLog`), not here."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from smartmon.github import GitHubClient, GitHubError
from smartmon.monitor.watch import Watch

log = logging.getLogger(__name__)


class UnprovenFixes:
    """Applied fixes, as the iteration reports list them, that no passing run proved yet."""

    def __init__(self) -> None:
        self._fixes: list[dict[str, Any]] = []

    def proofs(self, client: GitHubClient, watches: Iterable[Watch]) -> dict[str, int]:
        """Fix id -> the passing run whose commit contains the fix's commit."""
        proofs: dict[str, int] = {}
        passing = [w for w in watches if w.run and w.conclusion == "success"]
        for fix in self._fixes:
            for watch in passing:
                run = watch.run or {}
                head = str(run.get("head_sha") or "")
                if watch.name != fix["workflow"] or not head or head == fix["commit_sha"]:
                    continue  # the same commit is matched by the report itself
                try:
                    status = client.compare(fix["commit_sha"], head).get("status")
                except GitHubError as exc:
                    log.info("comparing %s with %s failed: %s", fix["commit_sha"], head, exc)
                    continue
                if status in ("ahead", "identical"):
                    proofs[fix["id"]] = int(run["id"])
                    break
        return proofs

    def update(self, report: Mapping[str, Any]) -> None:
        """Forget the fixes an iteration report verified; remember the ones it applied."""
        proven = {v["id"] for v in report["verified"]}
        self._fixes = [f for f in self._fixes if f["id"] not in proven]
        self._fixes += [
            f
            for f in report["fixes"]
            if f["applied"] and f["commit_sha"] and f["verified_by_run"] is None
        ]
