"""Node's relative require that failed in a file under node_modules/ is a dependency not fully
installed; in the project's own file it is the project's import (package_requires, rules
node-installed-package-file-missing and node-relative-import-unresolved). The error and frame lines
are as nodejs/help #309 and verdaccio/ui #46 quote them; paths and the rest are ours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import run_step, write_job


def _top(tmp_path: Path, *body: str) -> tuple[str, str]:
    lines = run_step("node scripts/build.js", *body, "##[error]Process completed with exit code 1.")
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    return top.type.value, top.rule


@pytest.mark.parametrize(
    "below",
    [
        # Node 10's frames under its loader line, as pasted (the loader's own frames trimmed).
        ["    at Object.<anonymous> (/github/workspace/node_modules/request/request.js:23:11)"],
        # Node's loader frames first, then the package's file (a pasted "Object." without <anonymous>).
        [
            "    at Function.Module._resolveFilename (module.js:455:15)",
            "    at require (internal/module.js:20:19)",
            "    at Object. (/home/bot/node_modules/steam/resources/steam_language_parser/index.js:2:22)",
        ],
        # Node 12+'s require stack.
        [
            "Require stack:",
            "- /home/runner/work/app/app/node_modules/.pnpm/request@2.88.2/node_modules/request/request.js",
            "- /home/runner/work/app/app/node_modules/node-sass/scripts/install.js",
        ],
        [r"    at Object.<anonymous> (D:\a\app\app\node_modules\request\request.js:23:11)"],
    ],
)
def test_in_an_installed_package_it_is_a_missing_dependency(
    tmp_path: Path, below: list[str]
) -> None:
    assert _top(tmp_path, "Error: Cannot find module './lib/har'", *below) == (
        "missing_dependency",
        "node-installed-package-file-missing",
    )


@pytest.mark.parametrize(
    "below",
    [
        [
            "Require stack:",
            "- /home/runner/work/app/app/src/server.js",
            "- /home/runner/work/app/app/node_modules/mocha/lib/mocha.js",
        ],
        [
            "    at Function.Module._resolveFilename (node:internal/modules/cjs/loader:1075:15)",
            "    at Object.<anonymous> (/home/runner/work/app/app/scripts/build.js:3:16)",
        ],
        # no frame shown: whose file required it is not known
        [],
    ],
)
def test_in_the_projects_own_file_it_is_an_import_error(tmp_path: Path, below: list[str]) -> None:
    assert _top(tmp_path, "Error: Cannot find module './config'", *below) == (
        "import_error",
        "node-relative-import-unresolved",
    )


def test_the_installed_package_is_named(tmp_path: Path) -> None:
    lines = run_step(
        "npm test",
        "Error: Cannot find module './lib/har'",
        "Require stack:",
        "- /home/runner/work/app/app/node_modules/.pnpm/request@2.88.2/node_modules/request/request.js",
        "- /home/runner/work/app/app/src/index.js",
        "##[error]Process completed with exit code 1.",
    )
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    assert top.rule == "node-installed-package-file-missing"
    assert top.data.get("package") == "request"
    assert top.data.get("name") == "./lib/har"


_MOCHA_STACK = [
    "Require stack:",
    "- /home/runner/work/app/app/node_modules/mocha/lib/cli/run-helpers.js",
    "- /home/runner/work/app/app/node_modules/mocha/lib/cli/run.js",
    "- /home/runner/work/app/app/node_modules/mocha/bin/mocha",
    "    at Module._resolveFilename (node:internal/modules/cjs/loader:1039:15)",
]


@pytest.mark.parametrize(
    "lines",
    [
        # rev55 n1: mocha's `--require` of the project's own setup file (a run page copy).
        [
            "Run npx mocha --require ./test/setup.js 'test/**/*.spec.js'",
            "  npx mocha --require ./test/setup.js 'test/**/*.spec.js'",
            "  shell: /usr/bin/bash -e {0}",
            "Error: Cannot find module './test/setup.js'",
            *_MOCHA_STACK,
            "Error: Process completed with exit code 1.",
        ],
        # The same in a downloaded log, the name on the command line only (another loader frame).
        [
            "##[group]Run npx mocha --require ./test/setup.js",
            "npx mocha --require ./test/setup.js",
            "shell: /usr/bin/bash -e {0}",
            "##[endgroup]",
            "Error: Cannot find module './test/setup.js'",
            "Require stack:",
            "- /home/runner/work/app/app/node_modules/acme-runner/lib/load.js",
            "##[error]Process completed with exit code 1.",
        ],
        # mocha's loader with the name not on the command line (a .mocharc's `require:`).
        [
            "Run npm test",
            "Error: Cannot find module './test/helpers/setup'",
            *_MOCHA_STACK,
            "Error: Process completed with exit code 1.",
        ],
        # nyc's own `--require`.
        [
            "Run npm run coverage",
            "Error: Cannot find module './test/register'",
            "Require stack:",
            "- /home/runner/work/app/app/node_modules/nyc/lib/wrap.js",
            "Error: Process completed with exit code 1.",
        ],
        # rev55 n10: an action's bundled node_modules are the action's, not the project's install.
        [
            "Run acme/deploy-action@v2",
            "  with:",
            "    token: ***",
            "Error: Cannot find module './lib/request'",
            "Require stack:",
            "- /home/runner/work/_actions/acme/deploy-action/v2/node_modules/got/dist/source/index.js",
            "- /home/runner/work/_actions/acme/deploy-action/v2/index.js",
            "    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)",
        ],
    ],
)
def test_a_user_given_path_or_an_actions_bundle_is_no_installed_package(
    tmp_path: Path, lines: list[str]
) -> None:
    path = tmp_path / "job.txt"
    path.write_text("\n".join(lines) + "\n")
    top = analyze_paths([path]).findings[0]
    assert top.rule != "node-installed-package-file-missing"
    assert top.type.value != "missing_dependency"
