"""JavaScript monorepos and app builds: what the sweep changed outside single rules.

Monorepo runners put the task in front of every line a task prints: turbo "web:build: " (package:task;
oven-sh/bun #17099, baptisteArno/typebot.io #9) and pnpm -r "apps/web build: " (folder, script).
Rules and the location reader see past it, as they see past a timestamp or Docker BuildKit's
"#14 533.9 ". A tool run in a package folder prints paths relative to it; when no line before says
where it ran, the failure's own report after it does: npm 7+ "npm ERR! path /…/client" (elastic/
opbeans-frontend #119), turbo "command (/…/apps/web) … exited (1)" (oven-sh/bun #6142), pnpm's
"/…/apps/web:" above ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import classify
from smartmon.diagnose.locations import location
from smartmon.diagnose.repo_paths import project_dir


def _top(tmp_path: Path, *lines: str) -> tuple[str, dict[str, str]]:
    path = tmp_path / "paste.txt"
    path.write_text("\n".join(lines) + "\n")
    [top, *_] = classify.analyze_paths([path]).findings
    return top.type.value, dict(top.data)


def test_turbo_prefixed_next_type_error(tmp_path: Path) -> None:
    kind, data = _top(
        tmp_path,
        "web:build: Failed to compile.",
        "web:build: ",
        "web:build: ./src/app/page.tsx:12:5",
        "web:build: Type error: Cannot find name 'foo'.",
        "web:build: ERROR: command finished with error: command "
        "(/home/runner/work/mono/mono/apps/web) npm run build exited (1)",
        "Error: Process completed with exit code 1.",
    )
    assert kind == "lint_failure"
    assert (data.get("file"), data.get("line")) == ("apps/web/src/app/page.tsx", "12")


def test_turbo_prefixed_bundler_error(tmp_path: Path) -> None:
    kind, data = _top(
        tmp_path,
        '@backend/auth:build: error: Could not resolve: "hono". Maybe you need to "bun install"?',
        '@backend/auth:build: error: script "build" exited with code 1',
    )
    assert (kind, data.get("module")) == ("missing_dependency", "hono")


def test_pnpm_recursive_prefix_and_folder(tmp_path: Path) -> None:
    kind, data = _top(
        tmp_path,
        "apps/web build$ next build",
        "apps/web build: Failed to compile.",
        "apps/web build: ./src/app/layout.tsx:8:3",
        "apps/web build: Type error: Property 'title' does not exist on type 'Props'.",
        "apps/web build: Failed",
        "/home/runner/work/mono/mono/apps/web:",
        " ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  web@0.1.0 build: `next build`",
    )
    assert kind == "lint_failure"
    assert (data.get("file"), data.get("line")) == ("apps/web/src/app/layout.tsx", "8")


def test_pnpm_prefixed_windows_esbuild_mark(tmp_path: Path) -> None:
    # esbuild's "X" mark (no "✘" on the terminal) under pnpm -r's prefix, as a public build note has it.
    kind, data = _top(
        tmp_path,
        'packages/core build: X [ERROR] Could not resolve "minimatch"',
        "packages/core build:     src/utils/file-filter.ts:30:26:",
        "/home/runner/work/tool/tool/packages/core:",
        " ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  @tool/core@1.0.0 build: `tsup`",
    )
    assert (kind, data.get("module")) == ("missing_dependency", "minimatch")


@pytest.mark.parametrize(
    "text",
    [
        "web:build: ./src/app/page.tsx:12:5",
        "@acme/ui:build: ./src/app/page.tsx:12:5",
        "apps/web build: ./src/app/page.tsx:12:5",
    ],
)
def test_location_sees_past_task_prefix(text: str) -> None:
    assert location(text) == ("src/app/page.tsx", "12")


@pytest.mark.parametrize(
    ("after", "want"),
    [
        (["npm ERR! code 1", "npm ERR! path /home/runner/work/shop/shop/client"], "client"),
        (["npm error path D:\\a\\shop\\shop\\client"], "client"),
        (
            [
                "ERROR: command finished with error: command "
                "(/home/runner/work/mono/mono/apps/web) bun run build exited (1)"
            ],
            "apps/web",
        ),
        (["/home/runner/work/mono/mono/apps/web:"], "apps/web"),
        (["npm ERR! path /home/runner/work/shop/shop"], ""),
        (["npm ERR! path /home/runner/.npm/_logs"], ""),
    ],
)
def test_project_dir_from_the_report_after(after: list[str], want: str) -> None:
    assert project_dir([], after) == want


def test_project_dir_before_wins() -> None:
    before = ["> client@1.0.0 build /home/runner/work/shop/shop/client"]
    after = ["npm ERR! path /home/runner/work/shop/shop/other"]
    assert project_dir(before, after) == "client"


def test_a_path_with_line_is_not_a_task_prefix() -> None:
    # "main.go:12: " (a digit after the colon) and "src/a.ts:3: " (a slash, no scope) stay locations.
    assert location("main.go:12: undefined: foo") == ("main.go", "12")
    assert location("src/a.ts:3: error") == ("src/a.ts", "3")


def test_cra_eslint_header_in_subfolder(tmp_path: Path) -> None:
    kind, data = _top(
        tmp_path,
        "Treating warnings as errors because process.env.CI = true.",
        "Most CI servers set it automatically.",
        "",
        "Failed to compile.",
        "",
        "[eslint] ",
        "src/App.js",
        "  Line 3:8:  'logo' is defined but never used  no-unused-vars",
        "",
        "npm ERR! code 1",
        "npm ERR! path /home/runner/work/shop/shop/client",
        "npm ERR! command failed",
    )
    assert kind == "lint_failure"
    assert (data.get("file"), data.get("line")) == ("client/src/App.js", "3")
