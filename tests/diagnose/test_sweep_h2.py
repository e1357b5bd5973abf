"""Facts the JavaScript/TypeScript message-family sweep (issue 12, helper h2) adds outside the rules:
the package npm's EBADENGINE block and bun's resolver name below the failing line, node:test's
failed-test marks, and mocha titles a paste lost its indentation on.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
or the module that reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.fill_ins import package_below
from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, assert_finding, top_finding


def test_package_below_npm_engine_block() -> None:
    lines = [
        "npm ERR! engine Unsupported engine",
        "npm ERR! engine Not compatible with your version of node/npm: npm@10.2.5",
        "npm ERR! notsup Not compatible with your version of node/npm: npm@10.2.5",
    ]
    assert package_below(lines) == "npm@10.2.5"


def test_package_below_bun_resolver() -> None:
    assert package_below(["error: tailwindcss@^3.4.1 failed to resolve"]) == "tailwindcss@^3.4.1"
    assert package_below(["npm WARN EBADENGINE   package: 'acme@1.0.0',"]) is None


def test_node_test_spec_reporter_leaf_before_suite() -> None:
    lines = [
        "▶ math",
        "  ✔ adds numbers (0.61ms)",
        "  ✖ subtracts numbers (1.02ms)",
        "✖ math (3.1ms)",
        "✖ failing tests:",
    ]
    assert named_failure(lines) == "subtracts numbers"


def test_mocha_title_without_the_group_indent() -> None:
    # A paste from the run page drops the two spaces the group added: "1) Login" at column 0.
    lines = [
        "  1) logs in with valid credentials",
        "",
        "0 passing (6s)",
        "1 failing",
        "",
        "1) Login",
        "     logs in with valid credentials:",
        "   AssertionError: Timed out retrying after 4000ms",
    ]
    assert named_failure(lines) == "Login logs in with valid credentials"


def test_minitest_failure_header_is_not_a_title() -> None:
    assert named_failure(["1) Failure:", "   expected 1, got 2"]) is None


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # npm 7+ engine-strict: the package comes from the block below the code line.
        (
            [
                "##[group]Run npm install -g npm",
                "##[endgroup]",
                "npm ERR! code EBADENGINE",
                "npm ERR! engine Unsupported engine",
                "npm ERR! engine Not compatible with your version of node/npm: npm@10.2.5",
                'npm ERR! notsup Required: {"node":"^18.17.0 || >=20.5.0"}',
                FAILED,
            ],
            "dependency_conflict",
            {"package": "npm@10.2.5"},
        ),
        # yarn's engine check keeps the version it printed.
        (
            [
                "##[group]Run yarn install --frozen-lockfile",
                "##[endgroup]",
                "[1/5] Validating package.json...",
                'error @acme/nx@0.2.9: The engine "node" is incompatible with this module.'
                ' Expected version ">=20". Got "18.19.1"',
                "error Found incompatible module.",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "@acme/nx@0.2.9"},
        ),
        # bun: the range line first, the descriptor under it.
        (
            [
                "##[group]Run bun install",
                "##[endgroup]",
                "bun install v1.1.24 (85a32991)",
                'error: No version matching "^3.4.1" found for specifier "tailwindcss" (but package exists)',
                "error: tailwindcss@^3.4.1 failed to resolve",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "tailwindcss@^3.4.1"},
        ),
        # Node 12-14's wording of require() of an ES module, pasted without a trailer.
        (
            [
                "Run acme/greeter@v1.1.0",
                "internal/modules/cjs/loader.js:1216",
                "      throw new ERR_REQUIRE_ESM(filename, parentPath, packageJsonPath);",
                "      ^",
                "",
                "Error [ERR_REQUIRE_ESM]: Must use import to load ES Module:"
                " /node_modules/@octokit/graphql/index.js",
            ],
            "import_error",
            {},
        ),
        # tsc's TS2307 for a capitalised name: a wrong import, a type error, not a package to add.
        (
            [
                "Run npm run compile",
                "> tsc",
                "Error: src/common/validation.ts(1,34): error TS2307: Cannot find module 'Ajv' or its"
                " corresponding type declarations.",
                "Error: Process completed with exit code 2.",
            ],
            "lint_failure",
            {"tool": "tsc", "file": "src/common/validation.ts", "line": "1"},
        ),
        # Biome's "Found N errors." is ruff's tally too; the diagnostic header names biome.
        (
            [
                "##[group]Run npx @biomejs/biome ci .",
                "##[endgroup]",
                "src/index.ts:3:7 lint/correctness/noUnusedVariables  FIXABLE  ━━━━━━━━━━━━━━━━━━━━",
                "",
                "  ✖ This variable is unused.",
                "",
                "Checked 24 files in 12ms. No fixes applied.",
                "Found 1 error.",
                "ci ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━",
                "",
                "  ✖ Some errors were emitted while running checks.",
                FAILED,
            ],
            "lint_failure",
            {"tool": "biome", "file": "src/index.ts", "line": "3"},
        ),
    ],
)
def test_js_family_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_require_esm_warning_alone_is_not_a_failure(tmp_path: Path) -> None:
    # Node 12's warning when a run still succeeds (hasura/hasura-cloud-preview-apps #62).
    got, _ = top_finding(
        tmp_path,
        [
            "##[group]Run acme/cloud-preview-apps@v0.1.4",
            "##[endgroup]",
            "(node:1523) Warning: require() of ES modules is not supported.",
            "Preview app is ready: https://preview-pr-6.example.app/v1/graphql",
            "Cleaning up orphan processes",
        ],
    )
    assert got is None


def test_webpack_module_not_found_under_warnings_header_is_no_cause(tmp_path: Path) -> None:
    # Next.js prints node-fetch's optional 'encoding' as a warning and builds (supabase/supabase-js
    # #612); a paste of that block is no failure.
    got, _ = top_finding(
        tmp_path,
        [
            "Run npm run build",
            "> next build",
            " ⚠ Compiled with warnings",
            "",
            "./node_modules/node-fetch/lib/index.js",
            "Module not found: Can't resolve 'encoding' in"
            " '/home/runner/work/web/web/node_modules/node-fetch/lib'",
            "",
            "Import trace for requested module:",
            "./node_modules/node-fetch/lib/index.js",
        ],
    )
    assert got is None


def test_webpack_module_not_found_under_failed_to_compile_is_the_cause(tmp_path: Path) -> None:
    got, data = top_finding(
        tmp_path,
        [
            "Run npm run build",
            "> next build",
            " ⚠ Compiled with warnings",
            "",
            "./node_modules/node-fetch/lib/index.js",
            "Module not found: Can't resolve 'encoding' in"
            " '/home/runner/work/web/web/node_modules/node-fetch/lib'",
            "",
            "Failed to compile.",
            "",
            "./app/page.tsx",
            "Module not found: Can't resolve 'zustand'",
            "Error: Process completed with exit code 1.",
        ],
    )
    assert (got, data.get("module")) == ("missing_dependency", "zustand")


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        (
            [
                " ❯ src/projection/simulate.test.ts (9 tests | 1 failed) 56ms",
                "   ❯ year-end employer match (1)",
                "     × caps the raw match at the room left 6ms",
            ],
            "caps the raw match at the room left",
        ),
        ([" × src/cart.test.ts > Cart > adds an item 5ms"], "Cart > adds an item"),
        (
            ["✓ Cart > starts empty [0.11ms]", "(fail) Cart > adds an item [0.42ms]"],
            "Cart > adds an item",
        ),
        (
            [
                "Chrome Headless 120.0.6099.71 (Linux x86_64) AppComponent should render title FAILED",
                "Chrome Headless 120.0.6099.71 (Linux x86_64): Executed 3 of 3 (1 FAILED)",
            ],
            "AppComponent should render title",
        ),
    ],
)
def test_js_runner_failed_test_lines(lines: list[str], want: str) -> None:
    assert named_failure(lines) == want


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        # Next.js's ESLint formatter: the file alone, then "57:25  Error: …" (shadcn-ui/ui #5214).
        (
            [
                "Failed to compile.",
                "",
                "./pages/_app.js",
                "58:7  Warning: Unexpected console statement.  no-console",
                "",
                "./src/components/ui/calendar.tsx",
                "57:25  Error: 'props' is defined but never used.  @typescript-eslint/no-unused-vars",
                "",
                "info  - Need to disable some ESLint rules? Learn more here:"
                " https://nextjs.org/docs/basic-features/eslint#disabling-rules",
                "Error: Process completed with exit code 1.",
            ],
            {"tool": "eslint", "file": "src/components/ui/calendar.tsx", "line": "57"},
        ),
        # tsc on windows-latest prints the drive-letter path.
        (
            [
                "Run npx tsc --noEmit",
                "Error: D:\\a\\app\\app\\src\\index.ts(3,5): error TS2322: Type 'string' is not"
                " assignable to type 'number'.",
                "Error: Process completed with exit code 2.",
            ],
            {"tool": "tsc", "file": "src/index.ts", "line": "3"},
        ),
    ],
)
def test_lint_rows_with_their_file(tmp_path: Path, lines: list[str], facts: dict[str, str]) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == "lint_failure"
    assert {k: data.get(k) for k in facts} == facts
