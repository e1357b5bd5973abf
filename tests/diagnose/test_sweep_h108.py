"""Pastes and catch-alls the h108 sampled wave (Ruby, docs sites, infrastructure, release jobs) relies on.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
or in the comment of the shape (diagnose/pastes.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.pastes import paste_cleaned
from tests.diagnose.joblog import text_finding


@pytest.mark.parametrize(
    ("text", "want", "facts"),
    [
        # yamllint's standard format pasted from its start: the file alone, then its rows.
        (
            ".github/workflows/ci.yml\n"
            "  12:1      error    wrong indentation: expected 2 but found 0  (indentation)\n"
            "  14:3      error    too many spaces after colon  (colons)\n",
            "lint_failure",
            {"tool": "yamllint", "file": ".github/workflows/ci.yml", "line": "12"},
        ),
        # ESLint's stylish report, the same shape.
        (
            "src/app.js\n  12:5  error  'foo' is defined but never used  no-unused-vars\n",
            "lint_failure",
            {"tool": "eslint", "file": "src/app.js", "line": "12"},
        ),
        # The same pasted inside a block that indents everything by two more.
        (
            "  src/app.js\n    12:5  error  'foo' is defined but never used  no-unused-vars\n",
            "lint_failure",
            {"file": "src/app.js", "line": "12"},
        ),
        # Terraform's boxed diagnostic with no rule of its own: still the cause, not a passing job.
        (
            "╷\n│ Error: Error acquiring the state lock\n│ \n"
            "│ Error message: state blob is already locked\n╵\n",
            "unknown",
            {"name": "Error acquiring the state lock"},
        ),
        # BuildKit's own stop from a bare `docker build` in a run step.
        (
            "ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref"
            ' 4c1f::kq3x: "/app/requirements.txt": not found\n',
            "unknown",
            {},
        ),
        # A gem missing, raised out of Bundler as Ruby prints an uncaught exception.
        (
            "/opt/hostedtoolcache/Ruby/3.2.2/x64/lib/ruby/3.2.0/bundler/definition.rb:524:in"
            " `materialize': Could not find json-2.6.3 in locally installed gems"
            " (Bundler::GemNotFound)\n",
            "missing_dependency",
            {"package": "json"},
        ),
        # Lua's busted: the failed test's name is the line under its place.
        (
            "1 success / 1 failure / 0 errors / 0 pending : 0.0012 seconds\n\n"
            "Failure → spec/grammar_spec.lua @ 8\n"
            "grammar parses a number\n"
            "spec/grammar_spec.lua:10: Expected objects to be the same.\n",
            "test_failure",
            {"test": "grammar parses a number", "file": "spec/grammar_spec.lua", "line": "8"},
        ),
        (
            "Error -> spec/parser_spec.lua @ 12\nparser parses nested lists\n",
            "test_failure",
            {"test": "parser parses nested lists"},
        ),
        # Nix names the derivation whose builder failed.
        (
            "error: builder for '/nix/store/73d58ybnyjql9ddy6lr7fprxijbgb78n-nix-unit-tests.drv'"
            " failed with exit code 1;\n       last 10 log lines:\n",
            "unknown",
            {"name": "nix-unit-tests"},
        ),
        # A push to a namespace the workflow's installation cannot reach.
        (
            "The push refers to repository [ghcr.io/octo-org/website]\n"
            "denied: permission_denied: The requested installation does not exist.\n",
            "permission_error",
            {"scope": "packages"},
        ),
    ],
)
def test_sampled_wave_pastes(tmp_path: Path, text: str, want: str, facts: dict[str, str]) -> None:
    got, data = text_finding(tmp_path, text)
    assert got == want
    assert {k: data.get(k) for k in facts} == facts


def test_indented_block_under_a_first_line_is_still_dedented() -> None:
    # Not a file header: the first line is a command, the rest its indented output.
    cleaned = paste_cleaned(b"Run make test\n  Error: boom\n  make: *** [test] Error 1\n")
    assert b"\nError: boom\n" in cleaned


def test_stylish_rows_keep_their_indentation_under_a_file_header() -> None:
    cleaned = paste_cleaned(b"src/app.js\n  12:5  error  'foo' is not defined  no-undef\n")
    assert b"\n  12:5  error" in cleaned
