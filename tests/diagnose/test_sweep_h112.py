"""Verdicts the JavaScript/web sampled wave (h112) relies on: a package script's failure whose only
lines are the package manager's, naming a linter (diagnose.script_linters), and a Node crash pasted
with its lines left out or under Node's uncaught-error header (diagnose.js_stacks).

Texts are the tools' real formats with names changed; the threads are named in
rules/90-generic.yaml (npm-script-failed), the modules' docstrings and the tuning cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.script_linters import failed_script_linter
from tests.diagnose.joblog import FAILED, assert_finding, assert_job_finding, run_step, top_finding

_NPM6 = [
    "npm ERR! code ELIFECYCLE",
    "npm ERR! errno 1",
    "npm ERR! web@1.0.0 lint: `eslint src --ext .ts`",
    "npm ERR! Exit status 1",
    "npm ERR!",
    "npm ERR! Failed at the web@1.0.0 lint script.",
    "npm ERR! This is probably not a problem with npm. There is likely additional logging output above.",
]


@pytest.mark.parametrize(
    ("lines", "tool"),
    [
        # npm 6: the command in backticks on npm's own line (FreshRSS/FreshRSS PR #3938).
        (_NPM6, "eslint"),
        (
            [
                "npm ERR! feedhub@ markdownlint: `markdownlint '**/*.md'`",
                "npm ERR! Failed at the feedhub@ markdownlint script.",
            ],
            "markdownlint",
        ),
        # npm 7+: npm's echo above its lifecycle line.
        (
            [
                "> web@1.0.0 lint:css",
                '> stylelint "src/**/*.css"',
                "",
                "npm ERR! Lifecycle script `lint:css` failed with error:",
                "npm ERR! Error: command failed",
            ],
            "stylelint",
        ),
        # yarn 1's "$ cmd", run through npx.
        (
            [
                "Run yarn lint",
                "$ npx prettier --check .",
                "[warn] src/a.ts",
                "error Command failed with exit code 1.",
            ],
            "prettier",
        ),
        # pnpm -r names the script's command on its own failure line.
        (
            [
                "packages/ui lint$ eslint .",
                " ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  @acme/ui@0.0.1 lint: `eslint .`",
            ],
            "eslint",
        ),
        # Turborepo relays each task's lines behind "pkg:task: ".
        (
            [
                "web:lint: > web@0.1.0 lint /home/runner/work/app/app/apps/web",
                "web:lint: > eslint .",
                "web:lint:  ELIFECYCLE  Command failed with exit code 1.",
                " ERROR  run failed: command  exited (1)",
            ],
            "eslint",
        ),
        # A paste that took npm's "> " off as a quote marker: the script's name over its command.
        (
            ["app@1.0.0 lint:css", 'stylelint "**/*.css"', "", 'ERROR: "lint:css" exited with 1.'],
            "stylelint",
        ),
        # Downloaded: timestamps come off; the failure marker ends the step.
        (
            [
                "2024-01-10T10:00:00.0000000Z ##[group]Run npm run lint",
                "2024-01-10T10:00:01.0000000Z > eslint .",
                "2024-01-10T10:00:03.0000000Z ##[error]Process completed with exit code 1.",
                "2024-01-10T10:00:04.0000000Z Post job cleanup.",
            ],
            "eslint",
        ),
    ],
)
def test_the_failed_script_names_its_linter(lines: list[str], tool: str) -> None:
    assert failed_script_linter(lines) == tool


@pytest.mark.parametrize(
    "lines",
    [
        # A linter chained before the build: the build may be what failed.
        ["> tsc && vite build", "error Command failed with exit code 1."],
        # The last command echoed is not a linter, though an earlier one was.
        ["> eslint .", "> jest --ci", "npm ERR! Lifecycle script `test` failed with error:"],
        # The error is a post step's: the lint step's echo is another step's.
        ["> tsc -p .", "Post job cleanup.", "##[error]job not found: build"],
        # A code frame's marker is no echo, and stops the search.
        ["> eslint .", "> 13 |     const x = stats.compilation;", "error Command failed"],
        ["Run npm ci", "npm ERR! code ERESOLVE"],
    ],
)
def test_no_linter_when_the_failed_command_is_not_one_alone(lines: list[str]) -> None:
    assert failed_script_linter(lines) is None


def test_npm6_lifecycle_lines_alone_are_a_lint_failure(tmp_path: Path) -> None:
    assert_finding(tmp_path, _NPM6, "lint_failure", {"tool": "eslint"})


def test_yarn_wrapper_line_under_a_linter_is_a_lint_failure(tmp_path: Path) -> None:
    lines = run_step(
        "yarn format:check",
        "yarn run v1.22.19",
        "$ prettier --list-different .",
        "src/index.ts",
        "error Command failed with exit code 1.",
        FAILED,
    )
    assert_job_finding(tmp_path, lines, "lint_failure", {"tool": "prettier"})


def test_nx_swallowed_npm_lines_are_no_failure(tmp_path: Path) -> None:
    # nrwl/nx #4892: run-commands printed npm's lines, then the target succeeded.
    lines = [
        "Run npx nx affected --target=universal --parallel",
        "> acme@0.0.0 build:wizard /home/runner/work/acme/acme",
        "> ng run wizard:server:production",
        "npm ERR! code ELIFECYCLE",
        "npm ERR! acme@0.0.0 build:wizard: `ng run wizard:server:production`",
        "npm ERR! Exit status 1",
        'Warning: @nrwl/run-commands command "npm run build:wizard" exited with non-zero status code',
        ' >  NX   SUCCESS  Running target "universal" succeeded',
    ]
    assert_finding(tmp_path, lines, None, {})


@pytest.mark.parametrize(
    "lines",
    [
        # Frames cut short by the person who pasted them (nhevia/discord-styled-releases #9).
        [
            "Run acme/notify@main",
            "TypeError: Cannot read property 'call' of undefined",
            "    at __nccwpck_require__ (/home/runner/work/_actions/acme/notify/main/dist/index.js:5909:45)",
            "  ....",
            "...",
        ],
        # Node's uncaught-error header above the error: file:line, the source, the caret.
        [
            "Run acme/notify@v2",
            "D:\\a\\_actions\\acme\\notify\\v2\\dist\\index.js:311",
            "        throw err;",
            "        ^",
            "",
            "TypeError: Cannot read properties of undefined (reading 'split')",
            "    at Object.<anonymous> (D:\\a\\_actions\\acme\\notify\\v2\\dist\\index.js:305:30)",
            "Some later line the action printed",
        ],
    ],
)
def test_a_pasted_node_crash_is_a_failure(tmp_path: Path, lines: list[str]) -> None:
    assert_finding(tmp_path, lines, "unknown", {})


def test_rolldown_padded_frame_names_the_place(tmp_path: Path) -> None:
    # Vite 8's Rolldown pads miette's frame: "╭─[ path:line:col ]" (mateothegreat/svelte5-router #172).
    lines = [
        "Run npm run build",
        "error during build:",
        "Build failed with 1 error:",
        "[PARSE_ERROR] Unexpected token",
        "    ╭─[ src/lib/router.svelte:22:31 ]",
        "    │",
        " 22 │     const apply = async (r, span?) => {",
        "────╯",
    ]
    assert_finding(tmp_path, lines, "syntax_error", {"file": "src/lib/router.svelte", "line": "22"})


def test_swc_unpadded_frame_still_names_the_place(tmp_path: Path) -> None:
    lines = [
        "Run npm run build",
        "  × Expected ';', got 'ident'",
        "    ╭─[app/types/person.ts:42:1]",
        " 42 │ export type Person = {",
    ]
    assert_finding(tmp_path, lines, "syntax_error", {"file": "app/types/person.ts", "line": "42"})


def test_npm7_command_failed_names_the_command_below(tmp_path: Path) -> None:
    # npm 7+: "npm ERR! command failed" over the command it ran, "npm ERR! command sh -c …".
    lines = [
        "Run npm run lint",
        "npm ERR! code 1",
        "npm ERR! path /home/runner/work/docs/docs",
        "npm ERR! command failed",
        "npm ERR! command sh -c markdownlint '**/*.md'",
        "Error: Process completed with exit code 1.",
    ]
    assert_finding(tmp_path, lines, "lint_failure", {"tool": "markdownlint"})


@pytest.mark.parametrize(
    "caught",
    [
        # gradle-build-action's post step (gradle/gradle-build-action #858, #319, #441).
        [
            "Warning: Unhandled error in Gradle post-action - job will continue: Error: ENOENT: no"
            " such file or directory, realpath '/root/.gradle/caches/8.2.1/kotlin-dsl/accessors/x'",
            "Error: ENOENT: no such file or directory, realpath"
            " '/root/.gradle/caches/8.2.1/kotlin-dsl/accessors/x'",
        ],
        [
            "Warning: Unhandled error in Gradle post-action - job will continue: SyntaxError:"
            " Unexpected token { in JSON at position 310",
            "SyntaxError: Unexpected token { in JSON at position 310",
            "    at JSON.parse (<anonymous>)",
        ],
        # Its cache cleanup's warning, pasted without "Warning:" and split (rsicarelli/fakt #75).
        [
            "Cache cleanup failed. Will continue.",
            "Error: The process '/usr/bin/gradle' failed with exit code 1",
        ],
    ],
)
def test_an_error_the_action_said_the_job_survives_is_no_cause(
    tmp_path: Path, caught: list[str]
) -> None:
    lines = ["Post job cleanup.", "In final post-action step, saving state and writing summary"]
    assert_finding(tmp_path, [*lines, *caught], None, {})


def test_an_error_under_another_warning_is_still_a_cause(tmp_path: Path) -> None:
    lines = [
        "Post job cleanup.",
        "Warning: Unhandled error in Gradle post-action - job will continue: Error: ENOENT: no"
        " such file or directory, realpath '/root/.gradle/caches/x'",
        "Error: EACCES: permission denied, open '/root/.gradle/caches/y'",
    ]
    assert top_finding(tmp_path, lines)[0] is not None
