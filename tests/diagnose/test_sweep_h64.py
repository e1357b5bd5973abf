"""Verdicts the formatter sweep (helper h64) relies on beyond the rules' own examples: the files a
formatter's check lists under its header (mix format, JuliaFormatter), dotnet format named by its
row or its command, pre-commit's formatter hooks (their tool, their bare file rows, the diff
pre-commit shows after the hooks), dart format's and deno fmt's files, the place of a YAML error in
pre-commit's own config.

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.file_rows import diff_file, listed_file, violations_file
from smartmon.diagnose.linters import hook_file, hook_linter, lint_tool
from smartmon.diagnose.locations_below import config_mark_below
from tests.diagnose.joblog import FAILED, TS, assert_finding, run_step, top_finding

_NOT_FORMATTED = "** (Mix) mix format failed due to --check-formatted."


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # Elixir 1.15+: the files bare, a diff under each (BeamLabEU/phoenix_kit #767).
        (
            [_NOT_FORMATTED, "The following files are not formatted:", "", "test/a_test.exs"],
            "test/a_test.exs",
        ),
        # Elixir before 1.11, bulleted (bernardolins/fake_server PR #50).
        (
            [_NOT_FORMATTED, "The following files were not formatted:", "  * lib/server.ex"],
            "lib/server.ex",
        ),
        # JuliaFormatter in the legacy Docker action: the file inside Julia's log box.
        (
            [
                "┌ Error: Some files have not been formatted !!!",
                "src/kernels.jl",
                "└ @ Main /format.jl:111",
            ],
            "src/kernels.jl",
        ),
        # The action's format_check.yml writes `git diff --name-only` after the box.
        (
            ["┌ Error: Some files have not been formatted !!!", "└ @ Main none:6", "src/Solver.jl"],
            "src/Solver.jl",
        ),
        # Spotless keeps its indented rows.
        (
            ["> The following files had format violations:", "      src/main/java/A.java"],
            "src/main/java/A.java",
        ),
        # A header with nothing listed under it names no file.
        (["The following files are not formatted:", "", "", "", "Error: exit 1"], None),
    ],
)
def test_violations_file(lines: list[str], want: str | None) -> None:
    assert violations_file(lines) == want


def test_rows_that_name_a_file() -> None:
    # dart format's "Changed" rows above its tally (dart-lang/sdk #44582).
    before = ["Changed lib/src/button.dart", "Changed lib/main.dart"]
    assert listed_file(before) == "lib/src/button.dart"
    assert listed_file(["Changed 2 dependencies!"]) is None
    # deno fmt --check heads each diff with "from <path>:".
    assert diff_file(["", "from /home/runner/work/app/app/src/mod.ts:", " 1 | -x"]) == "src/mod.ts"


def test_dotnet_format_named_by_row_or_command() -> None:
    row = "/w/app/src/A.cs(58,14): error WHITESPACE: Fix whitespace formatting. Insert '\\n'. [/w/A.csproj]"
    assert lint_tool(row, [], "Set up job") == "dotnet format"
    final = "src/A.cs(3,1): error FINALNEWLINE: Fix final newline. Insert '\\n'. [src/A.csproj]"
    assert lint_tool(final, [], "") == "dotnet format"
    # An analyzer's id is the build's as much as dotnet format's: the command says which ran.
    ide = "src/A.cs(3,1): error IDE0055: Fix formatting [src/A.csproj]"
    assert lint_tool(ide, [], "Run dotnet format --verify-no-changes") == "dotnet format"
    assert lint_tool(ide, [], "Run dotnet-format --check") == "dotnet format"
    assert lint_tool(ide, [], "Run dotnet build -warnaserror") is None


@pytest.mark.parametrize(
    ("hook_id", "want"),
    [
        ("terraform_fmt", "terraform fmt"),  # antonbabenko/pre-commit-terraform
        ("terraform-fmt", "terraform fmt"),  # gruntwork-io/pre-commit
        ("go-fmt", "gofmt"),  # dnephin/pre-commit-golang
        ("clang-format", "clang-format"),  # pre-commit/mirrors-clang-format
        ("stylua-github", "stylua"),  # JohnnyMorganz/StyLua
        ("shfmt", "shfmt"),
        ("nbqa-black", "black"),
        ("trailing-whitespace", None),  # pre-commit-hooks: no linter, pre-commit's own
        ("end-of-file-fixer", None),
    ],
)
def test_hook_linter_formatters(hook_id: str, want: str | None) -> None:
    assert hook_linter("x.....Failed", "x", [f"- hook id: {hook_id}"]) == want


_MADE_CHANGES = [
    "pre-commit hook(s) made changes.",
    "If you are seeing this message in CI, reproduce locally with: `pre-commit run --all-files`.",
    "To run `pre-commit` as part of git workflow, use `pre-commit install`.",
    "All changes made by hooks:",
]


def test_hook_file_from_rows_and_diff() -> None:
    modified = ["- hook id: x", "- files were modified by this hook", ""]
    # prettier's rows with their time (pre-commit/pre-commit #532).
    assert hook_file([*modified, "asset/js/app.js 41ms", ""]) == "asset/js/app.js"
    # Prettier 3 marks the files it left alone.
    rows = ["src/a.ts 12ms (unchanged)", "src/b.ts 15ms"]
    assert hook_file([*modified, *rows, ""]) == "src/b.ts"
    # pre-commit-hooks' own checks.
    exit1 = ["- hook id: x", "- exit code: 1", ""]
    assert hook_file([*exit1, "data/model.bin (1524 KB) exceeds 500 KB."]) == "data/model.bin"
    shebang = "bin/run: marked executable but has no (or invalid) shebang!"
    assert (
        hook_file([*exit1, shebang, "  If it isn't supposed to be executable, try: "]) == "bin/run"
    )
    assert hook_file([*exit1, "Private key found: deploy/id_rsa"]) == "deploy/id_rsa"
    assert hook_file([*modified, "Sorting requirements.txt"]) == "requirements.txt"
    # A hook that names no file: the diff pre-commit shows names it (dlang/dmd PR #13855).
    diff = ["diff --git a/src/engine.cpp b/src/engine.cpp", "index 1a2b3c4..5d6e7f8 100644"]
    assert hook_file([*modified, *_MADE_CHANGES, *diff]) == "src/engine.cpp"
    # terraform_fmt names the file from its module; the diff from the root (pre-commit/action #191).
    tf_diff = ["diff --git a/live/eu/locals.tf b/live/eu/locals.tf"]
    assert hook_file([*modified, "locals.tf", "", *_MADE_CHANGES, *tf_diff]) == "live/eu/locals.tf"
    # Another hook failed too: the diff is not this hook's alone.
    other = ["black....................................................................Failed"]
    assert hook_file([*modified, *other, *_MADE_CHANGES, *diff]) is None
    # Passed hooks between the block and the diff do not matter.
    passed = ["check yaml...............................................................Passed"]
    assert hook_file([*modified, *passed, *_MADE_CHANGES, *diff]) == "src/engine.cpp"


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # dotnet format 9 on Linux (dotnet/runtime #112456): the row names the tool.
        (
            [
                *run_step(
                    "dotnet format --verify-no-changes --verbosity diagnostic",
                    "/home/runner/work/app/app/tests/App.Tests/UT_Args.cs(58,14): error WHITESPACE:"
                    " Fix whitespace formatting. Insert '\\n\\s\\s\\s\\s'."
                    " [/home/runner/work/app/app/tests/App.Tests/App.Tests.csproj]",
                    "  Running formatters.",
                ),
                "##[error]Process completed with exit code 2.",
            ],
            "lint_failure",
            {"tool": "dotnet format", "file": "tests/App.Tests/UT_Args.cs", "line": "58"},
        ),
        # dotnet-format 3.x printed no id (neo-project/neo-modules PR #287).
        (
            [
                *run_step(
                    "dotnet format --check --dry-run -v diag",
                    "  StatesDumper/StatesDumper.cs(145,1): Fix whitespace formatting.",
                    "  RpcTracker/BalanceKey.cs(65,29): Fix whitespace formatting.",
                ),
                "##[error]Process completed with exit code 2.",
            ],
            "lint_failure",
            {"tool": "dotnet format", "file": "StatesDumper/StatesDumper.cs", "line": "145"},
        ),
        # swift-format with --strict: a lint, not a compile error (swiftlang/swift-format #610).
        (
            [
                *run_step(
                    "swift format lint --strict --recursive Sources",
                    "Sources/App/Model.swift:12:3: error: [AddLines] add 1 line break",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "swift-format", "file": "Sources/App/Model.swift", "line": "12"},
        ),
        # StyLua --check.
        (
            [
                *run_step("stylua --check lua/", "Diff in lua/plugin/init.lua:", "1    |-local  x"),
                FAILED,
            ],
            "lint_failure",
            {"tool": "stylua", "file": "lua/plugin/init.lua"},
        ),
        # deno fmt --check.
        (
            [
                *run_step(
                    "deno fmt --check",
                    "",
                    "from /home/runner/work/app/app/src/mod.ts:",
                    " 1 | -export const x  = 1;",
                    " 1 | +export const x = 1;",
                    "",
                    "error: Found 1 not formatted file in 12 files",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "deno fmt", "file": "src/mod.ts"},
        ),
        # dart format --set-exit-if-changed.
        (
            [
                *run_step(
                    "dart format --output=none --set-exit-if-changed .",
                    "Changed lib/src/widgets/button.dart",
                    "Formatted 120 files (1 changed) in 0.84 seconds.",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "dart format", "file": "lib/src/widgets/button.dart"},
        ),
        # sbt-scalafmt: the count fails the task, the warning above names the file.
        (
            [
                *run_step(
                    "sbt scalafmtCheckAll",
                    "[warn] /home/runner/work/app/app/core/src/main/scala/Server.scala"
                    " isn't formatted properly!",
                    "[error] (core / Compile / scalafmtCheck) 1 files must be formatted",
                    "[error] Total time: 12 s, completed Jan 1, 2024",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "scalafmt", "file": "core/src/main/scala/Server.scala"},
        ),
        # kotlinter-gradle before 3.0: the place behind its prefix.
        (
            [
                *run_step(
                    "./gradlew lintKotlin",
                    "> Task :lintKotlinMain",
                    'Lint error > src/main/kotlin/app/Main.kt:12:5: Missing spacing before "{"',
                    "> Task :lintKotlinMain FAILED",
                    "> Kotlin source failed lint check.",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "ktlint", "file": "src/main/kotlin/app/Main.kt", "line": "12"},
        ),
        # shfmt -d, Go's diff header.
        (
            [
                *run_step(
                    "shfmt -d -i 2 scripts/",
                    "diff scripts/deploy.sh.orig scripts/deploy.sh",
                    "--- scripts/deploy.sh.orig",
                    "+++ scripts/deploy.sh",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "shfmt", "file": "scripts/deploy.sh"},
        ),
        # run-clang-format.py's diff labels (DoozyX/clang-format-lint-action).
        (
            [
                *run_step(
                    "python run-clang-format.py -r src include",
                    "--- ./src/render/mesh.cpp\t(original)",
                    "+++ ./src/render/mesh.cpp\t(reformatted)",
                    "@@ -12,7 +12,7 @@",
                    "--- ./src/render/scene.cpp\t(original)",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "clang-format", "file": "src/render/mesh.cpp"},
        ),
        # prettier --check under pnpm -r: the task prefix, the package's folder below.
        (
            [
                *run_step(
                    "pnpm -r format:check",
                    "apps/web format:check$ prettier --check .",
                    "apps/web format:check: Checking formatting...",
                    "apps/web format:check: [warn] src/app/page.tsx",
                    "apps/web format:check: [warn] Code style issues found in the above file."
                    " Run Prettier with --write to fix.",
                    "apps/web format:check: Failed",
                    "/home/runner/work/mono/mono/apps/web:",
                    " ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  web@0.1.0 format:check: `prettier --check .`",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "prettier", "file": "apps/web/src/app/page.tsx"},
        ),
        # ... and under turbo, whose failure line names the package's folder.
        (
            [
                *run_step(
                    "npx turbo run format:check",
                    "web:format:check: > prettier --check .",
                    "web:format:check: [warn] src/app/page.tsx",
                    "web:format:check: [warn] Code style issues found in the above file."
                    " Run Prettier with --write to fix.",
                    "web:format:check: ERROR: command finished with error: command"
                    " (/home/runner/work/mono/mono/apps/web) /usr/local/bin/npm run format:check"
                    " exited (1)",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "prettier", "file": "apps/web/src/app/page.tsx"},
        ),
        # JuliaFormatter's format check.
        (
            [
                *run_step(
                    "julia -e 'out = read(`git diff --name-only`, String)'",
                    "┌ Error: Some files have not been formatted !!!",
                    "└ @ Main none:6",
                    "src/Solver.jl",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "JuliaFormatter", "file": "src/Solver.jl"},
        ),
        # pre-commit's terraform_fmt hook: the tool, the file from the diff below.
        (
            [
                *run_step(
                    "pre-commit run --all-files --show-diff-on-failure",
                    "Terraform fmt............................................................Failed",
                    "- hook id: terraform_fmt",
                    "- files were modified by this hook",
                    "",
                    "locals.tf",
                    "",
                    *_MADE_CHANGES,
                    "diff --git a/live/eu/uat/locals.tf b/live/eu/uat/locals.tf",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "terraform fmt", "file": "live/eu/uat/locals.tf"},
        ),
    ],
)
def test_formatter_sweep_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_dart_tally_without_the_flag_passes(tmp_path: Path) -> None:
    # `dart format .` without --set-exit-if-changed prints the same tally and exits 0.
    lines = [
        *run_step("dart format .", "Formatted 120 files (2 changed) in 0.84 seconds."),
        *run_step("flutter test", "00:12 +40: All tests passed!"),
    ]
    got, _ = top_finding(tmp_path, [TS + line for line in lines])
    assert got is None


def test_swift_format_warnings_do_not_fail(tmp_path: Path) -> None:
    # Without --strict swift-format warns and succeeds (wearerequired/lint-action #43).
    warning = (
        "/__w/app/app/View.swift:47:39: warning: [NeverUseImplicitlyUnwrappedOptionals]: use View?"
    )
    got, _ = top_finding(tmp_path, [warning, "swift-format found no issues (success)"])
    assert got is None


_CONFIG_HEAD = ["An error has occurred: InvalidConfigError: ", "==> File .pre-commit-config.yaml"]


def test_config_mark_below() -> None:
    # The problem's mark, not the context's (a pasted link in the first mark's line number:
    # broadinstitute/regional_missense_constraint PR #275).
    before = [*_CONFIG_HEAD, "=====> while parsing a block mapping"]
    after = [
        '  in "<unicode string>", line 1[9](https://github.com/a/b/actions/runs/1#step:6:10), column 5',
        "did not find expected key",
        '  in "<unicode string>", line 32, column 5',
    ]
    assert config_mark_below(before, after) == (".pre-commit-config.yaml", "32")
    # The hit on the problem itself: its mark is the next line (Zarad1993/dyc PR #56).
    tab = ["=====> while scanning for the next token", "found character '\\t' that cannot start"]
    mark = ['  in "<unicode string>", line 3, column 28:', "        -   id: hook"]
    assert config_mark_below([*_CONFIG_HEAD, *tab], mark) == (".pre-commit-config.yaml", "3")
    # No header naming the file: no place.
    assert config_mark_below(["did not find expected key"], after[2:]) is None


def test_precommit_config_yaml_error(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "pre-commit run --all",
            *_CONFIG_HEAD,
            "=====> while parsing a block mapping",
            '  in "<unicode string>", line 19, column 5',
            "did not find expected key",
            '  in "<unicode string>", line 32, column 5',
            "Check the log at /home/runner/.cache/pre-commit/pre-commit.log",
        ),
        FAILED,
    ]
    got, data = top_finding(tmp_path, lines)
    assert got == "yaml_syntax_error"
    assert (data.get("file"), data.get("line")) == (".pre-commit-config.yaml", "32")
