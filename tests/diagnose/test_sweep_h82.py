"""Facts of wrapped tools whose runner relays each line behind a prefix: turbo, pnpm -r, Yarn Berry's
`workspaces foreach`, lerna, concurrently; the task runners' "no such task" lines.

Texts are the tools' real formats with names changed; the source each comes from is named in the
module or rule that reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.locations import location
from smartmon.diagnose.relayed_lines import relayed_prefix, unrelayed
from tests.diagnose.joblog import FAILED, assert_finding, run_step, top_finding


@pytest.mark.parametrize(
    ("line", "prefix"),
    [
        ("web:test: FAIL src/a.test.ts", "web:test: "),
        ("@acme/web:lint:   14:9  error  'x' is unused  no-unused-vars", "@acme/web:lint: "),
        ("packages/utils test:    × math > adds numbers", "packages/utils test: "),
        ("➤ YN0000: [@acme/api]: FAILED tests/a.py::t - x", "➤ YN0000: [@acme/api]: "),
        ("➤ YN0000: /home/runner/work/m/m/src/App.tsx", "➤ YN0000: "),
        ("[@acme/api]: FAILED tests/a.py::t", "[@acme/api]: "),
        ("@firebase/testing:   Testing Module Tests", "@firebase/testing: "),
        ("lerna ERR!   ● Button › renders", "lerna ERR! "),
        ("[1] pnpm run -C internal/metadata dev exited with code 1", "[1] "),
        (
            "[build:client] src/main.ts(14,3): error TS2304: Cannot find name 'foo'.",
            "[build:client] ",
        ),
    ],
)
def test_relayed_prefix_shapes(line: str, prefix: str) -> None:
    assert relayed_prefix(line) == prefix


@pytest.mark.parametrize(
    "line",
    [
        "[warn] src/App.tsx",  # prettier's file rows keep their tag
        "[ERROR] /home/runner/work/a/a/src/Main.java:[12,5] cannot find symbol",
        "report-frontend: > report-frontend@0.0.1 build",  # unscoped: too like "error: "
        "error: could not compile `app`",
        "src/index.ts(12,7): error TS2322: Type 'string' is not assignable to type 'number'.",
        "ERROR:root:Connection refused: retrying",
    ],
)
def test_lines_without_a_relay_prefix(line: str) -> None:
    assert relayed_prefix(line) == ""


def test_only_the_failing_tasks_prefix_is_taken_off() -> None:
    text, before, after = unrelayed(
        "web:test:   ● Button › renders the label",
        ["api:test: PASS src/a.test.ts", "web:test: FAIL src/Button.test.tsx"],
        ["web:test: Tests: 1 failed", "web#test: command (/x) exited (1)"],
    )
    assert text == "  ● Button › renders the label"
    assert before == ["api:test: PASS src/a.test.ts", "FAIL src/Button.test.tsx"]
    assert after == ["Tests: 1 failed", "web#test: command (/x) exited (1)"]


def test_a_line_without_prefix_leaves_its_neighbours_alone() -> None:
    lines = ["web:test: FAIL src/a.test.ts"]
    assert unrelayed("Error: Process completed", lines, lines) == (
        "Error: Process completed",
        lines,
        lines,
    )


def test_turbo_relayed_eslint_rows_give_file_and_line(tmp_path: Path) -> None:
    task = "@acme/web:lint: "
    assert_finding(
        tmp_path,
        run_step(
            "pnpm turbo run lint",
            task + "> eslint src --max-warnings 0",
            task + "/home/runner/work/mono/mono/apps/web/src/App.tsx",
            task + "  14:9  error  'unused' is assigned a value but never used  no-unused-vars",
            task,
            task + "✖ 1 problem (1 error, 0 warnings)",
            task + " ELIFECYCLE  Command failed with exit code 1.",
            task + "ERROR: command finished with error: command "
            "(/home/runner/work/mono/mono/apps/web) /usr/local/bin/pnpm run lint exited (1)",
            " ERROR  run failed: command  exited (1)",
            FAILED,
        ),
        "lint_failure",
        {"tool": "eslint", "file": "apps/web/src/App.tsx", "line": "14"},
    )


def test_turbo_relayed_jest_title_gives_the_test(tmp_path: Path) -> None:
    task = "web:test: "
    assert_finding(
        tmp_path,
        run_step(
            "yarn turbo run test",
            task + "$ jest --ci",
            task + "FAIL src/components/Button.test.tsx",
            task + "  ● Button › renders the label",
            task,
            task + "    expect(received).toBe(expected) // Object.is equality",
            task + "Tests:       1 failed, 11 passed, 12 total",
            task + "error Command failed with exit code 1.",
            " ERROR  run failed: command  exited (1)",
            FAILED,
        ),
        "test_failure",
        {"test": "Button › renders the label"},
    )


def test_pnpm_recursive_vitest_row_gives_the_test(tmp_path: Path) -> None:
    task = "packages/utils test: "
    assert_finding(
        tmp_path,
        run_step(
            "pnpm -r test",
            "packages/utils test$ vitest run",
            task + " ❯ src/math.test.ts  (3 tests | 1 failed) 12ms",
            task + "   × math > adds numbers",
            task + "     → expected 3 to be 4 // Object.is equality",
            task + " Test Files  1 failed (1)",
            task + "      Tests  1 failed | 2 passed (3)",
            task + "Failed",
            "/home/runner/work/mono/mono/packages/utils:",
            " ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  @acme/utils@0.2.0 test: `vitest run`",
            "Exit status 1",
            FAILED,
        ),
        "test_failure",
        {"test": "math > adds numbers"},
    )


@pytest.mark.parametrize(
    ("run", "line", "command"),
    [
        ("just tset", "error: Justfile does not contain recipe `tset`.", "tset"),
        ("task tset", 'task: Task "tset" does not exist', "tset"),
        ("make tset", "make: *** No rule to make target 'tset'.  Stop.", "tset"),
        ("bundle exec rake spec", "Don't know how to build task 'spec'", "spec"),
        ("./gradlew tset", "Task 'tset' not found in root project 'app'.", "tset"),
        ("poetry run pytest", "Command not found: pytest", "pytest"),
    ],
)
def test_a_runner_without_the_task_or_program(
    tmp_path: Path, run: str, line: str, command: str
) -> None:
    assert_finding(tmp_path, run_step(run, line, FAILED), "missing_tool", {"command": command})


def test_a_missing_prerequisite_is_not_a_missing_task(tmp_path: Path) -> None:
    lines = run_step(
        "make",
        "make: *** No rule to make target 'gen/version.h', needed by 'src/main.o'.  Stop.",
        FAILED,
    )
    assert top_finding(tmp_path, lines)[0] == "unknown"


def test_yarn_berry_foreach_names_the_workspace_folder(tmp_path: Path) -> None:
    ws = "➤ YN0000: [@acme/core]: "
    assert_finding(
        tmp_path,
        run_step(
            "yarn workspaces foreach -pv run build",
            ws + "Process started",
            ws
            + "src/index.ts(12,7): error TS2322: Type 'string' is not assignable to type 'number'.",
            ws + "Process exited (exit code 2), completed in 4s 512ms",
            "➤ YN0000: The command failed in workspace @acme/core@workspace:packages/core",
            "➤ YN0000: Failed with errors in 4s 520ms",
            FAILED,
        ),
        "lint_failure",
        {"tool": "tsc", "file": "packages/core/src/index.ts", "line": "12"},
    )


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("In scripts/deploy.sh line 14:", ("scripts/deploy.sh", "14")),
        ("In /home/runner/work/app/app/ci/run.bash line 3:", ("ci/run.bash", "3")),
        ("In Container.php line 263:", None),  # Symfony's exception header
    ],
)
def test_shellcheck_tty_heading_is_a_location(line: str, want: tuple[str, str] | None) -> None:
    assert location(line) == want


def test_shellcheck_under_a_pre_commit_hook_gives_file_and_line(tmp_path: Path) -> None:
    assert_finding(
        tmp_path,
        run_step(
            "pre-commit run --all-files",
            "shellcheck...............................................................Failed",
            "- hook id: shellcheck",
            "- exit code: 1",
            "",
            "In scripts/deploy.sh line 14:",
            "cd $DIR",
            "   ^--^ SC2086 (info): Double quote to prevent globbing and word splitting.",
            FAILED,
        ),
        "lint_failure",
        {"tool": "shellcheck", "file": "scripts/deploy.sh", "line": "14"},
    )


@pytest.mark.parametrize(
    "line",
    [
        "error: Recipe `test` failed on line 7 with exit code 101",
        'task: Failed to run task "test": exit status 1',
        "nox > Session tests-3.11 failed.",
        "  evaluation failed :( (9.94 seconds)",
        " ERROR  run failed: command  exited (1)",
        " NX   Running target test for 3 projects failed",
        "lerna ERR! npm run test exited 1 in '@acme/parser'",
        "FAILED: Build did NOT complete successfully",
        "BUILD FAILED in 12s",
        " ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  @acme/utils@0.2.0 test: `vitest run`",
    ],
)
def test_a_pasted_runners_last_word_is_a_failure(tmp_path: Path, line: str) -> None:
    assert top_finding(tmp_path, [line])[0] == "unknown"


def test_a_cause_the_tool_printed_outranks_the_runners_last_word(tmp_path: Path) -> None:
    lines = run_step(
        "nox -s codegen",
        "nox > git diff --exit-code",
        "diff --git a/src/gen/api.py b/src/gen/api.py",
        "index 1111111..2222222 100644",
        "nox > Command git diff --exit-code failed with exit code 1",
        "nox > Session codegen failed.",
        FAILED,
    )
    assert top_finding(tmp_path, lines) == (
        "lint_failure",
        {"file": "src/gen/api.py", "exit_code": "1"},
    )
