"""Places of parse, type-check and lint errors the third sweep of their families relies on.

Each shape is a tool's real output with names changed (the thread or source is named beside the code
that reads it): where a command ran (`cd dir && …`, `yarn --cwd`, `npm --prefix`, a Gradle module's task,
a Go package header), a run-page annotation's "Error: " in front of another tool's prefix, and the
report blocks that put the file and the line on different lines (Spotless, PHP_CodeSniffer, oxlint's
frames, Deno's `at file://`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.locations import location
from smartmon.diagnose.repo_paths import go_package_path, project_dir
from tests.diagnose.joblog import assert_finding

DONE = "Error: Process completed with exit code 1."


@pytest.mark.parametrize(
    ("before", "want"),
    [
        (["cd src/nni_manager && yarn && yarn build", "$ tsc"], "src/nni_manager"),
        (["##[group]Run cd frontend && npx tsc"], "frontend"),
        (["+ cd web", "npm run build"], "web"),
        (["(cd web && npm test)"], "web"),
        (["cd web", "npm ci", "cd ..", "npm test"], ""),
        # a cd the path cannot follow ends the search at the root, not at an older `cd web`
        (["cd web", "npm ci", "cd $GITHUB_WORKSPACE", "npm test"], ""),
        (["cd $GITHUB_WORKSPACE/web"], "web"),
        (['cd "${GITHUB_WORKSPACE}/apps/api" && go vet ./...'], "apps/api"),
        (["cd /home/runner/work/r/r/web && npm test"], "web"),
        (["cd /tmp/build", "make"], ""),
        (["> Task :app:spotlessKotlin FAILED"], "app"),
        (["> Task :lib:core:compileKotlin"], "lib/core"),
        (["> Task :spotlessKotlin FAILED"], ""),
        (["Run yarn --cwd web build"], "web"),
        (["Run npm run lint --prefix client"], "client"),
        (["Run npm ci --prefix=client"], "client"),
        (["Run pnpm -C apps/web build"], "apps/web"),
        (["+ pnpm --dir web lint"], "web"),
        # after `--` the flags are the script's own
        (["Run npm run build -- --dir dist"], ""),
        (["Run yarn install --frozen-lockfile"], ""),
    ],
)
def test_project_dir_from_the_command(before: list[str], want: str) -> None:
    assert project_dir(before) == want


@pytest.mark.parametrize(
    ("path", "header", "want"),
    [
        # built from cmd/modern (microsoft/go-sqlcmd PR #418)
        (
            "root/open/ads_darwin.go",
            "# github.com/acme/sqltool/cmd/modern/root/open",
            "cmd/modern/root/open/ads_darwin.go",
        ),
        (
            "internal/db/conn.go",
            "# github.com/acme/app/backend/internal/db",
            "backend/internal/db/conn.go",
        ),
        (
            "backend/internal/db/conn.go",
            "# github.com/acme/app/backend/internal/db",
            "backend/internal/db/conn.go",
        ),
        # a major-version suffix is no folder
        ("internal/db/conn.go", "# github.com/acme/app/v2/internal/db", "internal/db/conn.go"),
        ("main.go", "# github.com/acme/app/cmd/tool", "cmd/tool/main.go"),
        # a test build names the test binary after the package
        (
            "internal/db/conn_test.go",
            "# github.com/acme/app/backend/internal/db [github.com/acme/app/backend/internal/db.test]",
            "backend/internal/db/conn_test.go",
        ),
        # a file of another package, or a module path of no known forge, stays as printed
        ("other/x.go", "# github.com/acme/app/cmd/tool", "other/x.go"),
        ("internal/cart/cart.go", "# example.com/shop/internal/cart", "internal/cart/cart.go"),
    ],
)
def test_go_package_path(path: str, header: str, want: str) -> None:
    assert go_package_path(path, [header]) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # ts-loader through ncc, copied from the run page (Bullrich/Status-Page #14)
        (
            "Error: [tsl] ERROR in /home/runner/work/Pulse/Pulse/log/src/index.ts(10,28)",
            ("log/src/index.ts", "10"),
        ),
        (
            "Error: e: file:///home/runner/work/app/app/app/src/Main.kt:3:5 Unresolved reference: foo",
            ("app/src/Main.kt", "3"),
        ),
        (
            "Error:  /home/runner/work/popsim/popsim/src/main/java/popsim/Parameters.java:[2519,21] cannot find symbol",
            ("src/main/java/popsim/Parameters.java", "2519"),
        ),
    ],
)
def test_annotation_prefix_before_a_tool_prefix(text: str, want: tuple[str, str]) -> None:
    assert location(text) == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Spotless names the file, then the place, under the module's failed task (android/nowinandroid #519)
        (
            [
                "> Task :app:spotlessKotlin FAILED",
                "Step 'ktlint' found problem in 'src\\main\\java\\com\\example\\ui\\NewsApp.kt':",
                "Error on line: 174, column: 1",
                "rule: max-line-length",
                "Exceeded max line length (100)",
                "java.lang.AssertionError: Error on line: 174, column: 1",
                "FAILURE: Build failed with an exception.",
                "* What went wrong:",
                "Execution failed for task ':app:spotlessKotlin'.",
            ],
            "lint_failure",
            {"file": "app/src/main/java/com/example/ui/NewsApp.kt", "line": "174"},
        ),
        # PHP_CodeSniffer's full report: the file above the tally, the first ERROR row below it
        (
            [
                "FILE: /home/runner/work/site/site/src/Controller/Home.php",
                "-" * 70,
                "FOUND 1 ERROR AND 1 WARNING AFFECTING 2 LINES",
                "-" * 70,
                "  3 | WARNING | Line exceeds 120 characters",
                " 12 | ERROR   | [x] Expected 1 space after closing brace; newline found",
                "-" * 70,
                DONE,
            ],
            "lint_failure",
            {"tool": "phpcs", "file": "src/Controller/Home.php", "line": "12"},
        ),
        # oxlint: the first error's frame, not the warning's above it (oxc apps/oxlint)
        (
            [
                "  ! eslint(no-unused-vars): Identifier 'config' is imported but never used.",
                "   ,-[src/server.ts:1:8]",
                ' 1 | import config from "./config";',
                "  x eslint(no-debugger): `debugger` statement is not allowed",
                "   ,-[src/routes/users.ts:14:5]",
                " 14 |     debugger;",
                "Found 1 warning and 1 error.",
                DONE,
            ],
            "lint_failure",
            {"tool": "oxlint", "file": "src/routes/users.ts", "line": "14"},
        ),
        # deno check: the place is under the excerpt (denoland/setup-deno #53)
        (
            [
                "Check file:///home/runner/work/mod/mod/main.ts",
                "error: TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.",
                'const n: number = "x";',
                "      ^",
                "    at file:///home/runner/work/mod/mod/src/util.ts:4:7",
                DONE,
            ],
            "lint_failure",
            {"tool": "deno check", "file": "src/util.ts", "line": "4"},
        ),
        # ty's report: the rule in brackets, the place under it; the step names the tool
        (
            [
                "##[group]Run uvx ty check",
                "##[endgroup]",
                "error[unresolved-attribute]: Type `<module 'tool.net'>` has no attribute `fetch`",
                "  --> src/tool/cli.py:12:8",
                "   |",
                "12 |     tool.net.fetch(url)",
                "",
                "Found 1 diagnostic",
                "##[error]Process completed with exit code 1.",
            ],
            "lint_failure",
            {"tool": "ty", "file": "src/tool/cli.py", "line": "12"},
        ),
        # @rollup/plugin-typescript fails the build; rollup names the place under it
        (
            [
                "src/index.ts → dist/index.js...",
                "[!] (plugin typescript) RollupError: @rollup/plugin-typescript TS2322: Type 'string' is"
                " not assignable to type 'number'.",
                "src/index.ts (12:7)",
                "",
                DONE,
            ],
            "lint_failure",
            {"tool": "tsc", "file": "src/index.ts", "line": "12"},
        ),
        # rollup-plugin-typescript2 through tsdx (jaredpalmer/tsdx #1185)
        (
            [
                "(typescript) Error: /home/runner/work/dls/dls/src/ui/button.tsx(3,20): syntax error"
                " TS1005: ',' expected.",
                DONE,
            ],
            "syntax_error",
            {"file": "src/ui/button.tsx", "line": "3"},
        ),
        # a make recipe that cd's before tsc (microsoft/nni #1046)
        (
            [
                "cd src/manager && yarn && yarn build",
                "$ tsc",
                "training_service/k8s/trainingService.ts:429:34 - error TS1005: ',' expected.",
                "make: *** [Makefile:88: build] Error 1",
            ],
            "syntax_error",
            {"file": "src/manager/training_service/k8s/trainingService.ts", "line": "429"},
        ),
        # Psalm's github format as the run page shows it (nextcloud/deck #7495)
        (
            [
                "Error: lib/Service/FilesAppService.php:315:48: InvalidArgument: Argument 1 of"
                " A::b expects string, but int provided (see https://psalm.dev/004)",
                "2 errors found",
                DONE,
            ],
            "lint_failure",
            {"tool": "psalm", "file": "lib/Service/FilesAppService.php", "line": "315"},
        ),
        # cpplint's row (category and confidence at the end)
        (
            [
                "src/engine.cpp:12:  Missing space before {  [whitespace/braces] [5]",
                "Total errors found: 1",
                DONE,
            ],
            "lint_failure",
            {"tool": "cpplint", "file": "src/engine.cpp", "line": "12"},
        ),
        # luacheck's rows above its total
        (
            [
                "Checking src/main.lua                             1 error",
                "",
                "    src/main.lua:12:5: (E011) expected ')' near 'x'",
                "",
                "Total: 0 warnings / 1 error in 12 files",
                DONE,
            ],
            "lint_failure",
            {"tool": "luacheck", "file": "src/main.lua", "line": "12"},
        ),
        # SQLFluff: the file in the head, the line in the first row under it
        (
            [
                "== [models/orders.sql] FAIL",
                "L:  12 | P:   5 | LT01 | Expected only single space before 'AS' keyword.",
                "All Finished!",
                DONE,
            ],
            "lint_failure",
            {"tool": "sqlfluff", "file": "models/orders.sql", "line": "12"},
        ),
        # javac on a Windows runner names the drive
        (
            [
                "> Task :compileJava FAILED",
                "D:\\a\\shop\\shop\\src\\main\\java\\shop\\Cart.java:12: error: ';' expected",
                "1 error",
                DONE,
            ],
            "syntax_error",
            {"file": "src/main/java/shop/Cart.java", "line": "12"},
        ),
        # SwiftFormat's lint finding is no compile error
        (
            [
                "/Users/runner/work/kit/kit/Sources/Kit/Parser.swift:12:1: error: (indent) Indent code in"
                " accordance with the scope level.",
                DONE,
            ],
            "lint_failure",
            {"tool": "swiftformat", "file": "Sources/Kit/Parser.swift", "line": "12"},
        ),
        # Ruby 3.4's prism message under RSpec's load error
        (
            [
                "An error occurred while loading ./spec/models/user_spec.rb.",
                "SyntaxError:",
                "  /home/runner/work/shop/shop/app/models/user.rb:18: syntax errors found",
                "No examples found.",
                DONE,
            ],
            "syntax_error",
            {"file": "app/models/user.rb", "line": "18"},
        ),
    ],
)
def test_sweep_places(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    assert_finding(tmp_path, lines, want, facts)
