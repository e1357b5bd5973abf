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
