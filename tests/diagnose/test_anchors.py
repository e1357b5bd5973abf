"""Each `^` of a rule outside a character class also matches after a timestamp and the prefixes."""

from __future__ import annotations

import pytest
import re2

from smartmon.diagnose.anchors import TASK_LINE, anchor_timestamps, compile_exact


@pytest.mark.parametrize(
    ("pattern", "want"),
    [
        ("^a", "@a"),
        ("(?:^a|b^)", "(?:@a|b@)"),
        (r"\^a^b", r"\^a@b"),  # an escaped caret is a character
        ("[^]]^x", "[^]]@x"),  # a negated class whose first member is `]`
        ("[]^]x^", "[]^]x@"),  # `]` first, then a caret, inside one class
        (r"[\]^]^", r"[\]^]@"),  # an escaped `]` does not end the class
        (r"(?:^a|[\^]b|c)", r"(?:@a|[\^]b|c)"),
        ("no anchor", "no anchor"),
    ],
)
def test_only_anchors_outside_classes_are_widened(pattern: str, want: str) -> None:
    assert anchor_timestamps(pattern, "@") == want


@pytest.mark.parametrize(
    "line",
    [
        b"ModuleNotFoundError: x",
        b"2025-03-04T10:11:12.3456789Z ModuleNotFoundError: x",
        b"#12 0.512 ModuleNotFoundError: x",  # Docker BuildKit
        b"web:build: ModuleNotFoundError: x",  # turbo
        b"apps/web build: ModuleNotFoundError: x",  # pnpm -r
        b"       > ModuleNotFoundError: x",  # a Nix builder's quoted line
    ],
)
def test_a_widened_anchor_sees_past_each_prefix(line: bytes) -> None:
    assert re2.search(compile_exact("^ModuleNotFoundError: "), line)


@pytest.mark.parametrize(
    "line",
    [
        b"see ModuleNotFoundError: x",  # a word and a space is no prefix
        b"Error TS2307: ModuleNotFoundError: x",  # nor a tool's code
    ],
)
def test_other_text_before_an_anchor_is_not_a_prefix(line: bytes) -> None:
    assert not re2.search(compile_exact("^ModuleNotFoundError: "), line)


@pytest.mark.parametrize(
    ("line", "prefixed"),
    [
        ("web:build: src/app.ts(3,5): error TS2322: Type 'x'", True),  # turbo
        ("@acme/web:test: FAIL src/app.test.ts", True),
        ("apps/web build: Error: Cannot find module 'x'", True),  # pnpm -r
        ("2025-05-02T00:19:58.1268944Z web:lint: error  'x' is unused", True),
        ("::    ::         error: subprocess-exited-with-error", True),  # charmcraft pack
        (" :: Collecting ops==2.17.0", True),
        ("::error file=src/a.py,line=3::bad", False),  # a workflow command
        ("src/app.ts(3,5): error TS2322: Type 'x'", False),
        ("Error: Cannot find module 'x'", False),
        ("ModuleNotFoundError: No module named 'yaml'", False),
    ],
)
def test_task_line_finds_a_monorepo_task_s_prefix(line: str, prefixed: bool) -> None:
    # The set looks for TASK_LINE once; only blocks where it matches are scanned with every
    # anchor seeing past the prefix (compile_exact's default).
    assert bool(re2.search(TASK_LINE, line.encode())) is prefixed


@pytest.mark.parametrize(
    ("line", "pattern"),
    [
        ("web:build: src/app.ts(3,5): error TS2322: Type 'x'", r"^\S+\(\d+,\d+\): error TS\d+"),
        ("@acme/web:test: FAIL src/app.test.ts", r"^FAIL "),
        ("apps/web build: Error: Cannot find module 'x'", r"^Error: Cannot find module "),
        ("::    ::     error: can't find Rust compiler", r"^\s*error: can't find Rust compiler"),
    ],
)
def test_only_the_tasked_patterns_see_past_the_prefix(line: str, pattern: str) -> None:
    assert re2.search(compile_exact(pattern), line.encode())
    assert not re2.search(compile_exact(pattern, tasks=False), line.encode())
