"""Which form a log arrived in: a downloaded log (the runner's tags, a timestamp on every line) or a
copy of the run page, where "Error: …" is the runner's error line. With step debug logging on, the
page shows `##[debug]` lines as they are and no timestamps; those lines alone do not make a paste
a downloaded log (pastes.DOWNLOAD_TAGS, JobState.downloaded)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths, sources
from smartmon.diagnose.pastes import DOWNLOAD_TAGS, paste_cleaned
from smartmon.diagnose.scan import scan_source

# A container job's "Initialize containers" step on a runner with container hooks, copied from the
# run page with step debug logging on (actions/runner-container-hooks #299; pod names changed).
PAGE_DEBUG = """\
##[debug]Evaluating condition for step: 'Initialize containers'
##[debug]Evaluating: success()
##[debug]Starting: Initialize containers
##[debug]Register post job cleanup for stopping/deleting containers.
Run '/home/runner/k8s-novolume/index.js'
##[debug]/home/runner/externals/node20/bin/node /home/runner/k8s-novolume/index.js
##[debug]Job pod created, waiting for it to come online build-runner-x7k2p-workflow
Error: Executing the custom container implementation failed. Please contact your self hosted runner administrator.
##[debug]System.Exception: Executing the custom container implementation failed. Please contact your self hosted runner administrator.
##[debug]Finishing: Initialize containers
"""
# The same page without debug logging.
PAGE = "".join(line for line in PAGE_DEBUG.splitlines(keepends=True) if "##[debug]" not in line)
# A script step copied with debug logging on (azat-io/actions-up #44's shape).
PAGE_DEBUG_SCRIPT = """\
##[debug]Starting: Run actions-up check
Run set -euo pipefail
##[debug]/usr/bin/bash -e /home/runner/work/_temp/9fe3f2fa-813e-414d-bcb3-e3256be5c3dc.sh
Running actions-up to check for updates...
Error: Node run failed with exit code 1
##[debug]Finishing: Run actions-up check
"""
# Downloaded, with debug logging on: every line stamped, the runner's error line `##[error]`; a
# tool's own "Error: …" line is no failure marker there.
DOWNLOADED_DEBUG = """\
2024-08-26T04:12:38.5521047Z ##[debug]Evaluating condition for step: 'Run node check.js'
2024-08-26T04:12:38.5523893Z ##[debug]Starting: Run node check.js
2024-08-26T04:12:38.6000000Z Error: Node run failed with exit code 1
2024-08-26T04:12:38.7000000Z checked 12 files
2024-08-26T04:12:39.0554618Z ##[debug]Finishing: Run node check.js
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "job.log"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "downloaded"),
    [
        (PAGE_DEBUG, False),
        (PAGE, False),
        (PAGE_DEBUG_SCRIPT, False),
        (DOWNLOADED_DEBUG, True),
        ("2024-08-26T04:12:38.5521047Z ##[group]Run make\n2024-08-26T04:12:38.6Z make\n", True),
        (
            "##[group]Run make\nmake\n##[endgroup]\n##[error]Process completed with exit code 2.\n",
            True,
        ),
        (
            "##[add-matcher]/home/runner/work/_actions/actions/setup-node/v4/.github/tsc.json\n",
            False,
        ),
    ],
)
def test_debug_lines_alone_do_not_make_a_downloaded_log(
    tmp_path: Path, text: str, downloaded: bool
) -> None:
    [source] = sources.discover(_write(tmp_path, text))
    state = scan_source(source)
    assert state.downloaded is downloaded
    assert state.has_tags is ("##[" in text)  # `##[debug]` is still a runner tag


def test_a_page_copy_with_debug_lines_counts_its_error_line(tmp_path: Path) -> None:
    for text in (PAGE_DEBUG, PAGE, PAGE_DEBUG_SCRIPT):
        analysis = analyze_paths([_write(tmp_path, text)])
        assert analysis.jobs[0].conclusion == "failure", text


def test_download_tags_pattern() -> None:
    tags = re.compile(DOWNLOAD_TAGS.decode())
    assert tags.search("##[endgroup]")
    assert tags.search("2025-07-03T08:13:31.4631444Z ##[debug]Node Action run completed")
    assert not tags.search("##[debug]Node Action run completed with exit code 1")
    assert not tags.search("Error: Resource not accessible by integration")


def test_a_page_copy_with_debug_lines_has_its_grouped_error_line_unindented() -> None:
    # The page indents a group's "Error: …" by two spaces (actions/checkout#391); a copy with debug
    # lines is still a page copy, a downloaded log's indentation is its own.
    page = (
        b"##[debug]Starting: Checkout\nRun actions/checkout@v4\n"
        b"  Error: The process '/usr/bin/git' failed with exit code 1\n##[debug]Finishing: Checkout\n"
    )
    assert b"\nError: The process '/usr/bin/git'" in paste_cleaned(page)
    downloaded = page.replace(b"Run actions", b"##[group]Run actions")
    assert paste_cleaned(downloaded) == downloaded


def test_a_page_copy_with_debug_lines_keeps_its_succeeded_header(tmp_path: Path) -> None:
    # the run page's own header says the job passed; a tool's `Error:` it went past is no failure
    text = (
        "deploy\nsucceeded 3 minutes ago in 52s\nRun ./scripts/deploy.sh\n"
        "##[debug]/usr/bin/bash -e /home/runner/work/_temp/abc.sh\n"
        "Error: No such container: old-app\nDeployed version 1.2.3\n"
        "##[debug]Finishing: Run ./scripts/deploy.sh\n"
    )
    assert not analyze_paths([_write(tmp_path, text)]).findings


@pytest.mark.parametrize(
    "line",
    [
        # JamesIves/github-pages-deploy-action's sentences around @actions/exec's (gcapes/git-course
        # #129; the action's #1229 and #1626), as the annotations box shows them, without "Error: "
        "There was an error creating the worktree: The process '/usr/bin/git' failed with exit code 128",
        "There was an error initializing the repository: The process '/usr/bin/git' failed with exit "
        "code 129 ❌",
        "The deploy step encountered an error: There was an error creating the worktree: The process "
        "'/usr/bin/git' failed with exit code 128 ❌ ❌",
        "The deploy step encountered an error: The process '/usr/bin/git' failed with exit code 128",
        # the runner's file-command refusal (Smana/cloud-native-ref #552)
        "Unable to process file command 'output' successfully.",
    ],
)
def test_an_annotation_copied_bare_is_the_page_error_line(line: str) -> None:
    assert paste_cleaned(line.encode() + b"\n") == b"Error: " + line.encode() + b"\n"


@pytest.mark.parametrize(
    "line",
    [
        # actions/cache's warning keeps its own words before @actions/exec's sentence
        "Failed to save: \"/usr/bin/tar\" failed with error: The process '/usr/bin/tar' failed with "
        "exit code 2",
        # a sentence that only mentions the refusal
        "Fixed: Unable to process file command 'output' successfully.",
        # another program's "There was an error …" that went on (no action prefix, no ❌, not last)
        "There was an error fetching tags: The process '/usr/bin/git' failed with exit code 1\n"
        "Falling back to full clone",
    ],
)
def test_a_warning_or_prose_around_those_sentences_stays_bare(line: str) -> None:
    assert paste_cleaned(line.encode() + b"\n") == line.encode() + b"\n"
