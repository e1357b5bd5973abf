"""Databases and migrations in CI: mongodb-memory-server's missing builds and libSQL's refusals;
the version a Haskell set-up action was installing when its installer died.

Texts are the tools' real formats with names changed; the source of each is named in the rule
(rules/40-node.yaml, rules/20-setup.yaml) or in diagnose/fill_ins.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.program_fill_ins import archive_version_near, attempted_version_above
from tests.diagnose.joblog import FAILED, run_step, top_finding

_URL = "https://fastdl.mongodb.org/linux/mongodb-linux-x86_64-{}.tgz"


@pytest.mark.parametrize(
    ("before", "after", "version"),
    [
        # 8.x+: the DownloadError line above names the archive.
        (
            [
                f' DownloadError: Download failed for url "{_URL.format("ubuntu2404-6.0.9")}", Details:'
            ],
            [],
            "6.0.9",
        ),
        # 6.x-7.x: "Used Url:" under it.
        (
            [],
            ["    This means that …", f'      Used Url: "{_URL.format("debian10-4.0.14")}"'],
            "4.0.14",
        ),
        ([], ["This means that the requested version-platform combination doesn't exist"], None),
    ],
)
def test_the_archive_names_the_version(
    before: list[str], after: list[str], version: str | None
) -> None:
    assert archive_version_near("Status Code is 403 (MongoDB's 404)", before, after) == version
    assert archive_version_near("Status Code is 404", before, after) is None


@pytest.mark.parametrize(
    ("before", "version"),
    [
        (
            ["  Attempting to install ghc 8.10.3 using ghcup", "  /opt/ghcup install ghc 8.10.3"],
            "8.10.3",
        ),
        (["Attempting to install cabal 3.4.0.0 using ghcup"], "3.4.0.0"),
        (["Attempting to install ghc head using ghcup"], None),
        (["Attempting to install ghc 8.10.3 using ghcup", *[""] * 6], None),
    ],
)
def test_attempted_version_above(before: list[str], version: str | None) -> None:
    assert attempted_version_above("ghcup: internal error", before) == version


def test_haskell_setup_apt_first_try_then_ghcup_crash(tmp_path: Path) -> None:
    # The set-up action's apt method is a first try it falls back from (method-fallback); the
    # installer that then died is the cause, with the version it was installing.
    lines = [
        "##[group]Run haskell/actions/setup@v1",
        "with:",
        "  ghc-version: 8.10.3",
        "##[endgroup]",
        "Attempting to install ghc 8.10.3 using apt-get",
        '/usr/bin/sudo -- sh -c "apt-get -y install ghc-8.10.3"',
        "E: Unable to locate package ghc-8.10.3",
        "Attempting to install ghc 8.10.3 using ghcup",
        "/opt/hostedtoolcache/ghcup/0.1.12/x64/ghcup install ghc 8.10.3",
        "ghcup: internal error: Itimer: read(timerfd) failed with Bad file descriptor and returned -1",
        "    (GHC version 8.8.4 for x86_64_alpine_linux)",
    ]
    assert top_finding(tmp_path, lines)[0] == "missing_tool"
    assert top_finding(tmp_path, lines)[1].get("version") == "8.10.3"


def test_jest_suite_without_a_mongod_build(tmp_path: Path) -> None:
    lines = run_step(
        "npm test",
        "Starting the MongoMemoryServer Instance failed, enable debug log for more information. Error:",
        f' DownloadError: Download failed for url "{_URL.format("ubuntu2404-7.0.3")}", Details:',
        "Status Code is 403 (MongoDB's 404)",
        "This means that the requested version-platform combination doesn't exist",
        FAILED,
    )
    assert top_finding(tmp_path, lines) == (
        "missing_tool",
        {"tool": "mongodb", "version": "7.0.3", "exit_code": "1"},
    )


@pytest.mark.parametrize(
    "line",
    [
        "LibsqlError: SERVER_ERROR: Server returned HTTP status 401",
        " AUTH_JWT_MISSING: Authentication failed: Authentication is required but no JWT was specified",
    ],
)
def test_libsql_refusal_is_auth(tmp_path: Path, line: str) -> None:
    lines = run_step("npm run db:migrate", "Migration started", "Migration failed", line, FAILED)
    assert top_finding(tmp_path, lines)[0] == "auth_error"


def test_libsql_bad_request_is_not_auth(tmp_path: Path) -> None:
    line = "LibsqlError: SERVER_ERROR: Server returned HTTP status 400"
    lines = run_step("npm run db:migrate", line, FAILED)
    assert top_finding(tmp_path, lines)[0] != "auth_error"
