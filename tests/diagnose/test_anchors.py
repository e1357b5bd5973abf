"""Each `^` of a rule outside a character class also matches after a timestamp and the prefixes."""

from __future__ import annotations

import pytest
import re2

from smartmon.diagnose.anchors import anchor_timestamps, compile_exact


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
