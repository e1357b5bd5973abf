"""Verdicts the non-English threads' sampled batch (h145) relies on: the run page's annotations box
as pasted (an action's bare "The process … failed with exit code N", kept apart from
actions/checkout's retry notes), GitHub refusing to run any job (billing, Actions disabled), and
bun's tarball checksum.

Texts are the tools' real formats with names changed; the threads are named in the rules' comments
and the tuning cases.
"""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import assert_finding, text_finding

_GIT_1 = "The process '/usr/bin/git' failed with exit code 1"


def test_a_bare_process_failure_under_the_job_name_is_the_failure(tmp_path: Path) -> None:
    # Loyalsoldier/v2ray-rules-dat #276: the annotation copied without its "Error: ".
    assert text_finding(tmp_path, f"build\n{_GIT_1}\n") == ("unknown", {"name": _GIT_1})


def test_checkout_retry_notes_pasted_without_their_indentation_are_no_failure(
    tmp_path: Path,
) -> None:
    lines = [
        "/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --depth=1 origin +refs/heads/main",
        "The process '/usr/bin/git' failed with exit code 128",
        "Waiting 13 seconds before trying again",
        "/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --depth=1 origin +refs/heads/main",
        "Determining the checkout info",
        "/usr/bin/git checkout --progress --force -B main refs/remotes/origin/main",
        "Switched to a new branch 'main'",
    ]
    assert_finding(tmp_path, lines, None, {})


def test_a_cache_save_warning_stays_a_warning(tmp_path: Path) -> None:
    line = "Failed to save: The process '/usr/bin/tar' failed with exit code 2"
    assert_finding(tmp_path, ["Post job cleanup.", line], None, {})


def test_the_2019_check_page_billing_bullet_is_a_runner_failure(tmp_path: Path) -> None:
    text = (
        "### ERRORED 09:12:07Z\n\n- Workflows can't be executed on this repository. Please check"
        " your payment method or billing status.\n"
    )
    assert text_finding(tmp_path, text) == ("runner_failure", {})


def test_actions_disabled_by_staff_in_the_annotations_box(tmp_path: Path) -> None:
    text = (
        "Annotations\n1 error\nrun\nActions jobs for this repository have been disabled by GitHub"
        " staff. If you are the repository owner, you can contact support via"
        " https://github.com/contact for more information.\n"
    )
    assert text_finding(tmp_path, text) == ("runner_failure", {})


def test_bun_names_the_package_whose_tarball_did_not_match(tmp_path: Path) -> None:
    lines = [
        "bun install v1.3.1 (89fa0f34)",
        "Resolving dependencies",
        "error: Integrity check failed for tarball: next",
        "Error: Process completed with exit code 1.",
    ]
    want = {"tool": "bun", "package": "next", "exit_code": "1"}
    assert text_finding(tmp_path, "\n".join(lines) + "\n") == ("dependency_conflict", want)
