"""Verdicts the editor and browser extensions sampled batch (h154) relies on: a script line's
`|| echo "…"` that printed its message under a failure threw that failure's status away
(diagnose.swallowed), and the release tools' own refusals (vsce, web-ext, the JetBrains Marketplace,
plenary.nvim's test rows) whose rules the catalog's examples cover.

Texts are the tools' real formats with names changed; the threads are named in the module's
docstring and the tuning cases.
"""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, assert_finding, top_finding, write_job

_SCRIPT = [
    "##[group]Run git config user.name bot",
    "git config user.name bot",
    "git add manifest.json package.json",
    'git commit -m "chore: release 2.0.2" || echo "No changes"',
    "git push origin HEAD:main",
    "shell: /usr/bin/bash -e {0}",
    "##[endgroup]",
    "Tests:       20 failed, 311 passed, 331 total",
    "husky - pre-commit script failed (code 1)",
]


def test_a_script_lines_echo_that_printed_swallows_the_failure(tmp_path: Path) -> None:
    # hiroyaiizuka/taskchute-for-obsidian PR #125: the hook's tests failed inside `git commit`,
    # the echo ran, the push and the release went on.
    lines = [*_SCRIPT, "No changes", "Everything up-to-date"]
    assert not analyze_paths([write_job(tmp_path, lines)]).findings


def test_a_script_lines_echo_that_did_not_print_keeps_the_failure(tmp_path: Path) -> None:
    got, _ = top_finding(tmp_path, [*_SCRIPT, FAILED])
    assert got == "test_failure"


def test_vsce_types_above_engine_is_a_version_clash(tmp_path: Path) -> None:
    line = (
        " ERROR  @types/vscode ^1.53.0 greater than engines.vscode ^1.52.0. Consider upgrade"
        " engines.vscode or use an older @types/vscode version"
    )
    assert_finding(
        tmp_path,
        ["Run npx vsce publish", line, FAILED],
        "dependency_conflict",
        {"package": "@types/vscode"},
    )
