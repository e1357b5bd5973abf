"""Facts the Rust-beyond-compile-errors sweep relies on beyond its rules: doctests without an item
and with Windows paths, nextest's padded counter, cargo's newer rust-version list, cargo-deny's
bracketed codes over the generic bracketed-rule reader.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule,
the extractor's comment or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.fill_ins import package_below
from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import top_finding


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # rust-lang/rust #140289: a crate-level doctest names no item.
        (["---- src/lib.rs - (line 1) stdout ----", ""], "src/lib.rs - (line 1)"),
        (
            ["---- src/unix.rs - unix::getpid (line 7) stdout ----", "error: the crate"],
            "src/unix.rs - unix::getpid (line 7)",
        ),
        # rustdoc on Windows keeps the path's backslashes.
        (
            ["---- src\\parser.rs - parser::Parser::new (line 12) stdout ----", ""],
            "src\\parser.rs - parser::Parser::new (line 12)",
        ),
        # nextest pads its counter: "(  2/12)".
        (["        FAIL [   0.006s] (  2/12) widget tests::parses_header"], "tests::parses_header"),
        (
            ["        FAIL [   0.006s] (102/115) widget tests::parses_header"],
            "tests::parses_header",
        ),
    ],
)
def test_rust_test_names(lines: list[str], want: str) -> None:
    assert named_failure(lines) == want


def test_cargo_rust_version_rows_name_the_first_crate() -> None:
    # ast-grep/ast-grep #2836
    rows = [
        "  libloading@0.9.0 requires rustc 1.88.0",
        "  napi@3.10.5 requires rustc 1.88",
    ]
    assert package_below(rows) == "libloading"
    # canboat/canboat PR #855: rows pasted in columns, the first name padded.
    padded = [
        "  vergen@10.0.2       requires rustc 1.96.0",
        "  vergen-gitcl@10.0.2 requires rustc 1.96.0",
    ]
    assert package_below(padded) == "vergen"
    assert (
        package_below(["Either upgrade rustc or select compatible dependency versions with"])
        is None
    )


def test_msrv_list_gives_the_package(tmp_path: Path) -> None:
    got = top_finding(
        tmp_path,
        [
            "Run cargo +1.85.1 check --workspace",
            "error: rustc 1.85.1 is not supported by the following packages:",
            "  libloading@0.9.0 requires rustc 1.88.0",
            "  napi@3.10.5 requires rustc 1.88",
            "Either upgrade rustc or select compatible dependency versions with",
            "`cargo update <name>@<current-ver> --precise <compatible-ver>`",
            "where `<compatible-ver>` is the latest version supporting rustc 1.85.1",
            "Error: Process completed with exit code 101.",
        ],
    )
    assert got[0] == "dependency_conflict"
    assert got[1].get("package") == "libloading"


@pytest.mark.parametrize(
    "error",
    [
        "error[unmaintained]: Bincode is unmaintained",
        "error[vulnerability]: Use-after-free in `Ref::map`",
        "error[rejected]: failed to satisfy license requirements",
    ],
)
def test_cargo_deny_codes_name_the_tool(tmp_path: Path, error: str) -> None:
    got = top_finding(
        tmp_path,
        [
            "Run cargo deny --all-features check",
            "warning[advisory-not-detected]: advisory was not encountered",
            "   ┌─ deny.toml:12:6",
            "",
            error,
            "    ├ ID: RUSTSEC-2025-0141",
            "",
            "advisories FAILED, bans ok, licenses ok, sources ok",
            "Error: Process completed with exit code 1.",
        ],
    )
    assert got[0] == "lint_failure"
    assert got[1].get("tool") == "cargo deny"


def test_nextest_timeout_names_the_test_not_the_binary(tmp_path: Path) -> None:
    got = top_finding(
        tmp_path,
        [
            "Run cargo nextest run --profile ci",
            "     TIMEOUT [  60.004s] widget::integration net::connects_to_peer",
            "     Summary [  61.230s] 40 tests run: 39 passed, 1 timed out, 0 skipped",
            "error: test run failed",
            "Error: Process completed with exit code 100.",
        ],
    )
    assert got[1].get("test") == "net::connects_to_peer"


def test_clippy_error_place_skips_a_warning_above(tmp_path: Path) -> None:
    # A warn-level lint printed before a deny-by-default clippy lint: the place is the error's.
    got = top_finding(
        tmp_path,
        [
            "Run cargo clippy --all-targets",
            "warning: unused import: `std::fs`",
            " --> src/lib.rs:1:5",
            "  |",
            "1 | use std::fs;",
            "  |     ^^^^^^^",
            "  |",
            "  = note: `#[warn(unused_imports)]` on by default",
            "",
            "error: this comparison involving the minimum or maximum element for this type contains a"
            " case that is always true or always false",
            "  --> src/math.rs:14:8",
            "   |",
            "14 |     if x >= u32::MIN {",
            "   |        ^^^^^^^^^^^^^",
            "   |",
            "   = note: `#[deny(clippy::absurd_extreme_comparisons)]` on by default",
            "",
            "warning: `widget` (lib) generated 1 warning",
            "error: could not compile `widget` (lib) due to 1 previous error; 1 warning emitted",
            "Error: Process completed with exit code 101.",
        ],
    )
    assert got[0] == "lint_failure"
    assert (got[1].get("file"), got[1].get("line")) == ("src/math.rs", "14")
