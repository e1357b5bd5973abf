"""Failed-job excerpts as people paste them into issue threads: the paste's own wrapping is taken off.

Markdown code fences and quote markers, the log viewer's line numbers (plain, or as the links GitHub's
editor makes of them), SGR codes that lost their ESC byte, a block indented alike, the run page's job
header and annotations box. Texts are real pastes with names changed; each names its thread.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.pastes import PASTE_MAX, paste_cleaned
from tests.diagnose.joblog import text_finding

_LINK = "https://github.com/octo/site/actions/runs/6794109890/job/18470010385#step:4:"


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        # markdown fences become empty lines, so line numbers hold
        (b"```text\nfatal: x\n```\n", b"\nfatal: x\n\n"),
        # quote markers, one level only (npm's own "> pkg@1.0.0 test" prompt stays)
        (
            b"> Run npm test\n> > app@1.0.0 test\n> jest\n",
            b"Run npm test\n> app@1.0.0 test\njest\n",
        ),
        # the viewer's line numbers; more space than the narrowest separator is the line's own
        (
            b"12  Run yarn test\n13    console.error\n14  done\n",
            b"Run yarn test\n  console.error\ndone\n",
        ),
        # numbers alone on their own lines
        (b"1\nRun npm ci\n2\nnpm ERR! code E404\n3\n", b"\nRun npm ci\n\nnpm ERR! code E404\n\n"),
        # numbers alone above each line, half the paste (pre-commit/pre-commit #3290)
        (
            b'Traceback (most recent call last):\n15\n  File "/a/main", line 9\n16\n    main()\n'
            b"17\nsubprocess.CalledProcessError: Command 'git' returned non-zero exit status 1.\n",
            b'Traceback (most recent call last):\n\n  File "/a/main", line 9\n\n    main()\n'
            b"\nsubprocess.CalledProcessError: Command 'git' returned non-zero exit status 1.\n",
        ),
        # the links GitHub's editor makes of the numbers (thread: a Pages build's jekyll log)
        (
            f"[10]({_LINK}11)fatal: detected dubious ownership\nnpm@[5]({_LINK}6) or\n".encode(),
            b"fatal: detected dubious ownership\nnpm@5 or\n",
        ),
        # SGR codes that lost their ESC; "[modernize-use-nullptr]" and "[5m]" are text
        (
            b"[31mError[0m: boom [modernize-use-nullptr] [5m]\n",
            b"Error: boom [modernize-use-nullptr] [5m]\n",
        ),
        # the early page's "[error]" lines (actions/create-release#36) and the annotations box
        (
            b"> [error]Input required and not supplied: GITHUB_TOKEN\n> [error]Node run failed\n",
            b"Error: Input required and not supplied: GITHUB_TOKEN\nError: Node run failed\n",
        ),
        (
            b"build (3.11): Process completed with exit code 1.\nbuild\nProcess completed with exit code 2.\n",
            b"Error: Process completed with exit code 1.\nbuild\nError: Process completed with exit code 2.\n",
        ),
        # a quoted URL the paste wrapped over lines is one line again (sqldelight/sqldelight #6339)
        (
            b"Could not PUT 'https://repo.example/snapshots/\nio/acme/lib/1.0/\n"
            b"-lib-1.0.klib'. Received status code 403 from server: Forbidden\nBUILD FAILED\n",
            b"Could not PUT 'https://repo.example/snapshots/io/acme/lib/1.0/"
            b"-lib-1.0.klib'. Received status code 403 from server: Forbidden\n\n\nBUILD FAILED\n",
        ),
        # every line indented alike but the first (tj-actions/changed-files#884)
        (
            b"##[debug]Resolving\n  Fetching remote refs...\n  Error: x\n",
            b"##[debug]Resolving\nFetching remote refs...\nError: x\n",
        ),
    ],
)
def test_paste_cleaned(raw: bytes, want: bytes) -> None:
    assert paste_cleaned(raw) == want


@pytest.mark.parametrize(
    "raw",
    [
        # a log's own lines: a rustc excerpt's numbers, a few quoted lines, a pytest tally
        b"error[E0425]: cannot find value `x`\n --> src/main.rs:3:5\n  |\n3 |     x\n  |\n",
        b"> app@1.0.0 test\n> jest\nPASS src/a.test.js\nTests: 3 passed\nDone in 2s\n",
        b"3 passed, 1 warning in 2.01s\n",
        # a program's own counts between its lines: not consecutive, or two in a row
        b"Retry\n3\nRetry\n7\nRetry\n12\nRetry\n",
        b"Step\n1\n2\nStep\n3\nStep\n",
        b"2024-05-01T10:00:00.0000000Z ##[group]Run make\n2024-05-01T10:00:01.0000000Z ok\n",
        # an open quote whose next lines are not the URL's: prose, indented, or never closed
        b"Fetching 'https://example.com/\nthe mirror was down\nDone'\n",
        b"Fetching 'https://example.com/\n  a/b'\nDone\n",
        b"Fetching 'https://example.com/\na/\nb/\nc/\nd/\ne'\n",
    ],
)
def test_paste_cleaned_leaves_a_log_alone(raw: bytes) -> None:
    assert paste_cleaned(raw) == raw


def test_paste_cleaned_leaves_large_inputs_alone() -> None:
    raw = b"> quoted\n" * (PASTE_MAX // 9 + 1)
    assert paste_cleaned(raw) == raw


_NPM_ERESOLVE = [
    "Run npm ci",
    "npm ERR! code ERESOLVE",
    "npm ERR! ERESOLVE unable to resolve dependency tree",
    "npm ERR! ",
    "npm ERR! While resolving: app@1.0.0",
    "npm ERR! Found: react@18.2.0",
    "npm ERR! node_modules/react",
    'npm ERR!   react@"^18.2.0" from the root project',
    "npm ERR! ",
    "npm ERR! Could not resolve dependency:",
    'npm ERR! peer react@"^16.8.0" from old-widget@2.1.0',
]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("```\n" + "\n".join(_NPM_ERESOLVE) + "\n```\n", "dependency_conflict"),
        ("\n".join("> " + line for line in _NPM_ERESOLVE) + "\n", "dependency_conflict"),
        (
            "\n".join(f"{i + 20}  {line}" for i, line in enumerate(_NPM_ERESOLVE)) + "\n",
            "dependency_conflict",
        ),
        (
            "\n\n".join(
                f"[{i + 9}]({_LINK}{i + 10}){line}" for i, line in enumerate(_NPM_ERESOLVE)
            ),
            "dependency_conflict",
        ),
        (
            "\r\n".join("[31m" + line + "[0m" for line in _NPM_ERESOLVE) + "\r\n",
            "dependency_conflict",
        ),
        ("\n".join("  " + line for line in _NPM_ERESOLVE) + "\n", "dependency_conflict"),
        # the annotation of a pull request's check, quoted (peter-evans/link-checker#21)
        (
            "> Check failure on line 17 in .github/workflows/main.yml\n> \n> GitHub Actions\n"
            "> / .github/workflows/main.yml\n> \n> Parse error\n"
            "> You have an error in your yaml syntax on line 17\n",
            "yaml_syntax_error",
        ),
        # only the run page's annotations box: a failure with no known cause
        ("Annotations\n1 error\nbuild: Process completed with exit code 1.\n", "unknown"),
        (
            "Annotations\n1 error\nbuild (ubuntu-latest, 3.11)\nProcess completed with exit code 2.\n",
            "unknown",
        ),
        # the job header says failed and no line is known
        ("test (3.12)\nfailed Dec 3, 2024 in 1m 2s\nRun ./ci.sh\nstep 4 of 9\n", "unknown"),
        (
            "Error log:\n```\nbuild\nfailed 3 minutes ago in 1m 2s\nRun ./ci.sh\nhalted\n```\n",
            "unknown",
        ),
        # `##[debug]` lines in a copy of the page do not hide its exit-code line
        # (tj-actions/changed-files#884)
        (
            "##[debug]Resolving repository path: /home/runner/work/poc/poc/.\n"
            "  Verifying git version...\n  Fetching remote refs...\n"
            "  Error: Process completed with exit code 1.\n  ##[debug]Finished: run\n",
            "unknown",
        ),
        # the page indents a group's failure marker: checkout's retries ended in one
        # (actions/checkout#391)
        (
            "```\nRun actions/checkout@v2\nFetching the repository\n"
            "  The process '/usr/bin/git' failed with exit code 1\n"
            "  Waiting 11 seconds before trying again\n"
            "  Error: The process '/usr/bin/git' failed with exit code 1\n```\n",
            "unknown",
        ),
        # passing pastes: warnings only, whatever the wrapping
        (
            "```\nWarning: The `set-output` command is deprecated and will be disabled soon.\n"
            "npm WARN deprecated inflight@1.0.6: This module is not supported\n"
            "added 512 packages in 12s\n0 errors, 3 warnings\n```\n",
            None,
        ),
        ("> lint\n> succeeded 2 days ago in 30s\n> warning: unused import\n> 1 warning\n", None),
        (
            "12  Run npm test\n13  > app@1.0.0 test\n14  > jest\n15  Tests: 12 passed, 12 total\n",
            None,
        ),
        ("Annotations\n1 warning\nbuild\nCheck warning on line 12 in src/app.py\n", None),
    ],
)
def test_pasted_forms(tmp_path: Path, text: str, want: str | None) -> None:
    assert text_finding(tmp_path, text)[0] == want


def test_exit_code_of_the_annotations_box(tmp_path: Path) -> None:
    _, data = text_finding(
        tmp_path, "Annotations\n1 error\nbuild: Process completed with exit code 3.\n"
    )
    assert data.get("exit_code") == "3"


def test_vstest_durations_are_not_colour_codes(tmp_path: Path) -> None:
    from smartmon.diagnose.pastes import paste_cleaned

    line = b"  X Acme.Tests.WidgetTests.Renders [134ms]\n"
    assert paste_cleaned(line) == line
    assert paste_cleaned(b"[31mError[0m: boom\n") == b"Error: boom\n"


def test_the_older_codecov_uploaders_logged_error_in_a_green_paste_is_no_failure(
    tmp_path: Path,
) -> None:
    # codecov-action v3's uploader logs a refused upload and exits 0 (koios-java-client #215)
    path = tmp_path / "paste.txt"
    path.write_text(
        "Run codecov/codecov-action@v3\n"
        "[2024-05-01T10:00:00.000Z] ['error'] There was an error running the uploader: Error"
        " uploading to https://codecov.io: Error: There was an error fetching the storage URL"
        " during POST: 429 - {'detail': ErrorDetail(string='Rate limit reached. Please upload"
        " with the Codecov repository upload token to resolve issue.', code='throttled')}\n"
        "[2024-05-01T10:00:00.100Z] ['info'] Codecov will exit with status code 0. If you are"
        " expecting a non-zero exit code, please pass in the `-Z` flag\n"
    )
    from smartmon.diagnose import classify

    assert classify.analyze_paths([path]).findings == ()
