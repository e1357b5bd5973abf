"""Import errors and missing modules across languages (third sweep): the shared Mix extractor and the
families the sweep widened, in the forms a job log has them (downloaded with timestamps, pasted).

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/30-python.yaml, 40-node.yaml, 45-langs.yaml) or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.facts import enrich
from smartmon.diagnose.fill_ins import dependency_above
from tests.diagnose.joblog import FAILED, TS, text_finding, top_finding

_NOT_AVAILABLE = '  the dependency is not available, run "mix deps.get"'


@pytest.mark.parametrize(
    ("before", "text", "want"),
    [
        # One Hex package, the status under it.
        (
            ["Unchecked dependencies for environment test:", "* jason (Hex package)"],
            _NOT_AVAILABLE,
            "jason",
        ),
        # A git dependency; older Mix quoted the command with backticks.
        (
            [
                "Unchecked dependencies for environment dev:",
                "* duxedo (https://github.com/acme/duxedo.git - main)",
            ],
            "  the dependency is not available, run `mix deps.get`",
            "duxedo",
        ),
        # Several missing: the first listed is named, not the one whose status matched last.
        (
            [
                "Unchecked dependencies for environment test:",
                "* plug (Hex package)",
                _NOT_AVAILABLE,
                "* telemetry_metrics (Hex package)",
                _NOT_AVAILABLE,
                "* nerves_system_rpi4 (Hex package)",
            ],
            _NOT_AVAILABLE,
            "plug",
        ),
        # A diverged path dependency listed first is not a missing one.
        (
            [
                "Unchecked dependencies for environment dev:",
                "* foo (../foo)",
                "  the dependency foo is diverged",
                "* bar (Hex package)",
            ],
            _NOT_AVAILABLE,
            "bar",
        ),
        # A paste that lost the indentation.
        (
            ["Unchecked dependencies for environment test:", "* ecto_sql (Hex package)"],
            'the dependency is not available, run "mix deps.get"',
            "ecto_sql",
        ),
        # Nothing listed above: no name.
        (["Compiling 12 files (.ex)"], _NOT_AVAILABLE, None),
        ([], _NOT_AVAILABLE, None),
    ],
)
def test_dependency_above(before: list[str], text: str, want: str | None) -> None:
    assert dependency_above(text, before) == want


def test_enrich_names_the_mix_dependency_only_when_the_rule_did_not() -> None:
    before = ["Unchecked dependencies for environment test:", "* plug (Hex package)"]
    assert (
        enrich("missing_dependency", {}, _NOT_AVAILABLE, before, "Run mix test")["module"] == "plug"
    )
    kept = enrich("missing_dependency", {"module": "jason"}, _NOT_AVAILABLE, before, "Run mix test")
    assert kept["module"] == "jason"
    assert "module" not in enrich("import_error", {}, _NOT_AVAILABLE, before, "Run mix test")


def test_mix_unchecked_dependencies_downloaded(tmp_path: Path) -> None:
    lines = [
        "##[group]Run mix test",
        "mix test",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        "Unchecked dependencies for environment test:",
        "* plug (Hex package)",
        _NOT_AVAILABLE,
        "* jason (Hex package)",
        _NOT_AVAILABLE,
        "** (Mix) Can't continue due to errors on dependencies",
        FAILED,
    ]
    text = "".join(TS + line + "\n" for line in lines)
    assert text_finding(tmp_path, text) == (
        "missing_dependency",
        {"module": "plug", "exit_code": "1"},
    )


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Python's DLL failure names the extension module (pytest "E" line, nose's parenthesis).
        (
            [
                "E   ImportError: DLL load failed while importing _sqlite3: The specified module could not be found."
            ],
            "import_error",
            {"name": "_sqlite3"},
        ),
        (
            [
                "ERROR: Failure: ImportError (DLL load failed while importing _openmm: The specified module could not be found.)"
            ],
            "import_error",
            {"name": "_openmm"},
        ),
        # A JavaScript action relaying perl's @INC message as an annotation.
        (
            [
                "##[error]Can't locate ExtUtils/PL2Bat.pm in @INC (you may need to install the ExtUtils::PL2Bat"
                " module) (@INC contains: C:/hostedtoolcache/windows/perl/5.30.2/x64/lib) at d:\\cpm line 599."
            ],
            "missing_dependency",
            {"module": "ExtUtils::PL2Bat"},
        ),
        # dlopen's text after Ruby's LoadError (rake) and after `require'.
        (
            [
                "rake aborted!",
                "LoadError: libffi.so.6: cannot open shared object file: No such file or directory -"
                " /home/runner/work/app/app/vendor/bundle/ruby/2.7.0/gems/ffi-1.14.2/lib/ffi_c.so",
            ],
            "missing_dependency",
            {"module": "libffi.so.6"},
        ),
        # Go's import path is the module, with or without go.mod.
        (
            [
                "Error: golang/main.go:26:8: no required module provides package github.com/acme/app/golang/cmd:"
                " go.mod file not found in current directory or any parent directory; see 'go help modules'"
            ],
            "missing_dependency",
            {"module": "github.com/acme/app/golang/cmd"},
        ),
        # An exports map without the subpath, on Windows.
        (
            [
                "Error [ERR_PACKAGE_PATH_NOT_EXPORTED]: Package subpath './package.json' is not defined by"
                ' "exports" in D:\\a\\app\\app\\node_modules\\socket.io\\package.json'
            ],
            "import_error",
            {"name": "./package.json", "from": "socket.io"},
        ),
        # PHP 7's single quotes, with the stack trace PHP prints under it.
        (
            [
                "PHP Fatal error:  Uncaught Error: Class 'Google\\Auth\\ApplicationDefaultCredentials' not found"
                " in /home/runner/work/app/app/call.php:15",
                "Stack trace:",
                "#0 {main}",
                "  thrown in /home/runner/work/app/app/call.php on line 15",
            ],
            "missing_dependency",
            {"module": "Google\\Auth\\ApplicationDefaultCredentials"},
        ),
        # Deno in colour, Elixir inside an ExUnit failure, ctypes on Windows.
        (
            [
                '\x1b[0m\x1b[1m\x1b[31merror\x1b[0m: Relative import path "@std/assert" not prefixed with / or'
                " ./ or ../",
                "    at file:///home/runner/work/app/app/main_test.ts:1:24",
            ],
            "missing_dependency",
            {"module": "@std/assert"},
        ),
        (
            [
                "  1) test API token validation (Acme.APITest)",
                "     test/acme/api_test.exs:49",
                "     ** (UndefinedFunctionError) function Jason.encode!/1 is undefined (module Jason is not"
                " available)",
                "",
                "12 tests, 1 failure",
            ],
            "missing_dependency",
            {"module": "Jason"},
        ),
        (
            [
                "FileNotFoundError: Could not find module 'C:\\hostedtoolcache\\windows\\Python\\3.9.13\\x64\\lib"
                "\\site-packages\\pyzbar\\libzbar-64.dll' (or one of its dependencies). Try using the full path"
                " with constructor syntax."
            ],
            "missing_dependency",
            {"module": "libzbar-64.dll"},
        ),
        # pytest's words for a plugin it could not import.
        (
            [
                "ImportError: Error importing plugin \"pytest_asyncio\": No module named 'pytest_asyncio'"
            ],
            "missing_dependency",
            {"module": "pytest_asyncio"},
        ),
    ],
)
def test_sweep_families_pasted(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    got, data = top_finding(tmp_path, [*lines, "Error: Process completed with exit code 1."])
    assert got == want
    assert {key: data.get(key) for key in facts} == facts


@pytest.mark.parametrize(
    "lines",
    [
        # The Elixir compiler's warning and webpack's warning for an optional module do not fail a build.
        [
            "==> tenantex",
            "Compiling 5 files (.ex)",
            "warning: function Mariaex.Error.message/1 is undefined (module Mariaex.Error is not available)",
            "  lib/tenantex/tenant_actions.ex:73",
            "",
            "Generated tenantex app",
        ],
        [
            "WARNING in ./node_modules/node-fetch/lib/index.mjs 156:11-38",
            "Module not found: Error: Can't resolve 'encoding' in 'D:\\a\\app\\app\\node_modules\\node-fetch\\lib'",
            "",
            "webpack 5.24.4 compiled with 1 warning in 18342 ms",
        ],
    ],
)
def test_warnings_of_the_same_families_are_no_finding(tmp_path: Path, lines: list[str]) -> None:
    assert top_finding(tmp_path, lines)[0] is None
