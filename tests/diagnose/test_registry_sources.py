"""rustc's E0463 located in a crate cargo downloaded names that crate's own dependency, which cargo
resolved from its manifest: no missing dependency of the project (registry_sources, rule
rust-downloaded-crate-dependency-not-found). The error block is rustc's format as dtolnay/thiserror
#432 quotes it; paths and the rest are ours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import run_step, write_job

_TAIL = [
    "    |",
    "278 | pub use thiserror_impl::*;",
    "    |         ^^^^^^^^^^^^^^ can't find crate",
    "",
    "For more information about this error, try `rustc --explain E0463`.",
    "error: could not compile `thiserror` (lib) due to 1 previous error",
    "##[error]Process completed with exit code 101.",
]


def _top(tmp_path: Path, name: str, where: str) -> tuple[str, str]:
    lines = run_step(
        "cargo build --locked",
        f"   Compiling {name.replace('_', '-')} v1.0.69",
        f"error[E0463]: can't find crate for `{name}`",
        f"   --> {where}:278:9",
        *_TAIL,
    )
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    return top.type.value, top.rule


@pytest.mark.parametrize(
    "where",
    [
        "/cargo/registry/src/index.crates.io-1949cf8c6b5b557f/thiserror-1.0.69/src/lib.rs",
        "/home/runner/.cargo/git/checkouts/thiserror-3a1c/5f8b2e1/src/lib.rs",
        r"C:\Users\runneradmin\.cargo\registry\src\index.crates.io-6f17d22bba15001f\thiserror-1.0.69\src\lib.rs",
    ],
)
def test_in_a_downloaded_crate_it_is_no_missing_dependency(tmp_path: Path, where: str) -> None:
    assert _top(tmp_path, "thiserror_impl", where) == (
        "unknown",
        "rust-downloaded-crate-dependency-not-found",
    )


def test_in_the_projects_own_file_it_is_a_missing_dependency(tmp_path: Path) -> None:
    assert _top(tmp_path, "serde_derive", "src/main.rs") == (
        "missing_dependency",
        "rust-crate-not-found",
    )


def test_std_in_a_downloaded_crate_is_left_to_the_crate_rule(tmp_path: Path) -> None:
    where = (
        "/home/runner/.cargo/registry/src/index.crates.io-6f17d22bba15001f/log-0.4.22/src/lib.rs"
    )
    assert _top(tmp_path, "std", where)[1] != "rust-downloaded-crate-dependency-not-found"


def test_without_a_location_it_is_a_missing_dependency(tmp_path: Path) -> None:
    lines = run_step("cargo build", "error[E0463]: can't find crate for `serde`", *_TAIL[-2:])
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    assert (top.type.value, top.rule) == ("missing_dependency", "rust-crate-not-found")
