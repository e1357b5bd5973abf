"""Facts the Go and Rust builds sweep (helper h50) relies on beyond the rules' own examples: Go's
module cache and cargo's git checkouts as code outside the checkout (Windows runners too), a Go
package header that does not move an absolute or backslashed path, and the go.mod / toolchain
wordings older Go prints, end to end in a job log.

Texts are the tools' real formats with names changed; the sources are named in the rules' comments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.repo_paths import go_package_path, repo_path
from tests.diagnose.joblog import FAILED, TS, assert_finding, run_step

_HEADER = ["# github.com/acme/kit/v2/types"]


@pytest.mark.parametrize(
    "path",
    [
        "/home/runner/go/pkg/mod/github.com/acme/kit/v2@v2.1.4/types/flags.go",
        r"C:\Users\runneradmin\go\pkg\mod\github.com\acme\kit\v2@v2.1.4\types\flags.go",
        "/home/runner/.cargo/git/checkouts/acme-3f1c2a/5d0e9b1/src/lib.rs",
        r"C:\Users\runneradmin\.cargo\registry\src\index.crates.io-6f17d22bba15001f\cc-1.0.83\src\lib.rs",
    ],
)
def test_dependency_caches_are_outside_the_checkout(path: str) -> None:
    assert repo_path(path) is None


def test_a_repository_folder_named_like_a_cache_stays_inside() -> None:
    assert repo_path("/home/runner/work/app/app/internal/gopkg/mod.go") == "internal/gopkg/mod.go"


@pytest.mark.parametrize(
    ("path", "want"),
    [
        (
            r"C:\Users\runneradmin\go\pkg\mod\github.com\acme\kit\v2@v2.1.4\types\flags.go",
            r"C:\Users\runneradmin\go\pkg\mod\github.com\acme\kit\v2@v2.1.4\types\flags.go",
        ),
        (
            "/home/runner/go/pkg/mod/github.com/acme/kit/v2@v2.1.4/types/flags.go",
            "/home/runner/go/pkg/mod/github.com/acme/kit/v2@v2.1.4/types/flags.go",
        ),
        ("flags.go", "types/flags.go"),
        (r"types\flags.go", "types/flags.go"),
    ],
)
def test_go_package_header_moves_only_relative_paths(path: str, want: str) -> None:
    assert go_package_path(path, _HEADER) == want


def test_windows_go_error_under_a_package_header_keeps_the_repository_path(tmp_path: Path) -> None:
    lines = run_step(
        "go build ./...",
        "# github.com/acme/app/internal/store",
        r"internal\store\db.go:88:3: undefined: openPool",
        FAILED,
    )
    assert_finding(
        tmp_path,
        [TS + line for line in lines],
        "syntax_error",
        {"file": "internal/store/db.go", "line": "88"},
    )


def test_first_go_type_error_is_the_location_not_the_first_known_wording(tmp_path: Path) -> None:
    lines = run_step(
        "go test ./...",
        "# github.com/acme/flagparse [github.com/acme/flagparse.test]",
        "./argp_test.go:437:12: ExampleCustom is not a type",
        "./argp_test.go:461:6: Custom redeclared in this block",
        "FAIL\tgithub.com/acme/flagparse [build failed]",
        FAILED,
    )
    assert_finding(
        tmp_path,
        [TS + line for line in lines],
        "syntax_error",
        {"file": "argp_test.go", "line": "437"},
    )


def test_old_go_compile_errors_with_module_note_are_the_toolchain(tmp_path: Path) -> None:
    lines = run_step(
        "go build ./...",
        "# github.com/acme/kit/v2/types",
        "/home/runner/go/pkg/mod/github.com/acme/kit/v2@v2.1.4/types/code_location.go:30:19: "
        "undefined: os.ReadFile",
        "note: module requires Go 1.18",
        FAILED,
    )
    assert_finding(
        tmp_path, [TS + line for line in lines], "dependency_conflict", {"version": "1.18"}
    )


def test_sysroot_crate_under_the_target_note_is_the_missing_target(tmp_path: Path) -> None:
    lines = run_step(
        "cargo build --target wasm32-unknown-unknown",
        "error[E0463]: can't find crate for `core`",
        "  |",
        "  = note: the `wasm32-unknown-unknown` target may not be installed",
        "error: could not compile `cfg-if` (lib) due to 1 previous error",
        FAILED,
    )
    assert_finding(tmp_path, [TS + line for line in lines], "missing_tool", {})
