"""Verdicts the JavaScript sampled wave (h104) relies on: a Node error whose V8 stack frames follow it
is a crash, not a logged exception, unless the program went on after the frames.

Texts are Node's and the tools' real formats with names changed (web-ext's "WebExtError: The
extension could not be signed", NirmalScaria/le-git-graph #64; V8's "    at …" frames).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, assert_finding, run_step, write_job

_FRAMES = [
    "    at file:///home/runner/work/ext/ext/node_modules/web-ext/lib/cmd/sign.js:156:13",
    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
]


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # A paste that ends on the frames: the process died there.
        (
            [
                "Building web extension from /home/runner/work/ext/ext",
                "FAIL",
                "",
                "WebExtError: The extension could not be signed",
                *_FRAMES,
            ],
            "unknown",
        ),
        # Node 18+ prints its version under an uncaught error.
        (
            [
                "TypeError: Cannot read properties of undefined (reading 'split')",
                "    at main (/home/runner/work/app/app/deploy.js:8:22)",
                "",
                "Node.js v18.17.0",
            ],
            "unknown",
        ),
        # The error's own properties in braces, then npm relays the exit.
        (
            [
                "SystemError: spawn failed",
                "    at run (/home/runner/work/app/app/x.js:3:9) {",
                "  code: 'ERR_X'",
                "}",
                "npm ERR! code ELIFECYCLE",
            ],
            "unknown",
        ),
        # yarn classic relays it the same way.
        (
            [
                "RangeError: Invalid time value",
                "    at format (/home/runner/work/app/app/d.js:1:2)",
                "error Command failed with exit code 1.",
            ],
            "unknown",
        ),
        # A coded Node error whose frames end the paste (node-uncaught-coded-error).
        (
            [
                'TypeError [ERR_INVALID_ARG_TYPE]: The "path" argument must be of type string.',
                "    at Object.join (node:path:1175:7) {",
                "  code: 'ERR_INVALID_ARG_TYPE'",
                "}",
            ],
            "unknown",
        ),
        # A logged error the program went on from, and a Python exception with no traceback above.
        (
            [
                "TypeError: fetch failed",
                "    at node:internal/deps/undici/undici:12345:11",
                "Retrying in 2s...",
                "Deployed to https://example.test",
            ],
            None,
        ),
        (["ValueError: bad input", "Synced 12 records"], None),
        (
            [
                "Error [ERR_STREAM_PREMATURE_CLOSE]: Premature close",
                "    at onclose (node:internal/streams/end-of-stream:154:30)",
                "Retrying upload (1/3)",
                "Upload complete",
            ],
            None,
        ),
    ],
)
def test_a_node_error_with_frames_below_is_a_crash(
    tmp_path: Path, lines: list[str], want: str | None
) -> None:
    assert_finding(tmp_path, lines, want, {})


def test_a_logged_node_error_in_a_passing_job_stays_benign(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "node scripts/warm-cache.js",
            "TypeError: fetch failed",
            *_FRAMES,
            "cache warm-up skipped",
        ),
        *run_step("npm test", "Tests:       12 passed, 12 total"),
    ]
    assert not analyze_paths([write_job(tmp_path, lines)]).findings


def test_a_crash_in_a_downloaded_job_is_its_cause(tmp_path: Path) -> None:
    lines = [
        *run_step("npx web-ext sign", "WebExtError: The extension could not be signed", *_FRAMES),
        FAILED,
    ]
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    assert findings and findings[0].type.value == "unknown"


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Yarn classic's own words for a binary it could not spawn (Borales/actions-yarn #30).
        (
            ["[2/4] Fetching packages...", "error Couldn't find the binary git"],
            "missing_tool",
            {"command": "git"},
        ),
        # No package.json where the package manager ran, in npm 10's, yarn's and pnpm's words.
        (
            [
                "npm error code ENOENT",
                "npm error enoent Could not read package.json: Error: ENOENT: no such file or"
                " directory, open '/home/runner/work/app/app/package.json'",
            ],
            "unknown",
            {},
        ),
        (
            ['error Couldn\'t find a package.json file in "/home/runner/work/app/app"'],
            "unknown",
            {},
        ),
        # Next.js 13's prerender failure, its error's frames and the list of paths.
        (
            [
                'Error occurred prerendering page "/about". Read more:'
                " https://nextjs.org/docs/messages/prerender-error",
                "TypeError: Cannot read properties of undefined (reading 'map')",
                "    at About (/home/runner/work/app/app/.next/server/app/about/page.js:1:2345)",
                "",
                "Export encountered errors on following paths:",
                "\t/about/page: /about",
            ],
            "unknown",
            {},
        ),
        # Node 18+ ends an uncaught error with its version line, under a coded error.
        (
            [
                'TypeError [ERR_INVALID_ARG_TYPE]: The "path" argument must be of type string.',
                "    at Object.join (node:path:1175:7) {",
                "  code: 'ERR_INVALID_ARG_TYPE'",
                "}",
                "",
                "Node.js v18.19.0",
            ],
            "unknown",
            {},
        ),
    ],
)
def test_javascript_wave_pastes(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)
