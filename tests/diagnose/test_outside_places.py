"""A rule's own file that is an absolute path outside the checkout (a header MSYS2's makepkg unpacked
under `D:/a/_temp/msys64/tmp/<pkg>-<ver>/`, /usr/include, a macOS SDK, a toolchain's folder) is no
finding's `file`, nor is the line captured with it; a path under the checkout on any runner is made
repository-relative as before, and a compile error still names the translation unit the failed
compile built (location_search.fill_location, failed_objects.py). Names are ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import assert_job_finding, run_step

ERROR = ":12:5: error: unknown type name 'size_tt'"
MAKE = "make: *** [Makefile:20: main.o] Error 1"


@pytest.mark.parametrize(
    "path",
    [
        "D:/a/_temp/msys64/tmp/libfoo-1.2.3/src/x.h",  # MSYS2 on Windows, forward slashes
        "D:\\a\\_temp\\msys64\\tmp\\libfoo-1.2.3\\src\\x.h",  # and backslashes
        "C:/msys64/mingw64/include/x.h",
        "/usr/include/x.h",  # Linux
        "/tmp/build/libfoo-1.2/src/x.h",
        "/Applications/Xcode_15.4.app/Contents/Developer/Platforms/MacOSX.platform/Developer/SDKs"
        "/MacOSX.sdk/usr/include/x.h",  # macOS
        "/opt/toolchain/include/x.h",  # a container's toolchain
    ],
)
def test_a_path_outside_the_checkout_is_no_file(tmp_path: Path, path: str) -> None:
    lines = run_step("make", path + ERROR, MAKE)
    assert_job_finding(tmp_path, lines, "syntax_error", {"file": None, "line": None})


@pytest.mark.parametrize(
    "path",
    [
        "/home/runner/work/app/app/src/x.h",  # Linux
        "D:\\a\\app\\app\\src\\x.h",  # Windows, both slash styles
        "D:/a/app/app/src/x.h",
        "/Users/runner/work/app/app/src/x.h",  # macOS
        "/__w/app/app/src/x.h",  # a job container
        "/github/workspace/src/x.h",  # a Docker action
        "src/x.h",
    ],
)
def test_a_path_under_the_checkout_keeps_its_place(tmp_path: Path, path: str) -> None:
    lines = run_step("make", path + ERROR, MAKE)
    assert_job_finding(tmp_path, lines, "syntax_error", {"file": "src/x.h", "line": "12"})


@pytest.mark.parametrize(
    "path",
    [
        "/go/src/github.com/acme/tool/src/x.h",  # a GOPATH layout in a container (review rev58)
        "/build/source/src/x.h",  # Nix's sandbox
        "/srv/ci/app/src/x.h",  # a self-hosted folder no checkout pattern knows
    ],
)
def test_an_unknown_absolute_place_keeps_its_raw_path(tmp_path: Path, path: str) -> None:
    # Not known to be outside a checkout: the raw place beats none.
    lines = run_step("make", path + ERROR, MAKE)
    assert_job_finding(tmp_path, lines, "syntax_error", {"file": path, "line": "12"})


def test_a_header_outside_still_names_the_compiled_source(tmp_path: Path) -> None:
    lines = run_step(
        "make",
        "gcc -O2 -c src/main.c -o main.o",
        "In file included from src/main.c:4:",
        "/usr/include/x.h" + ERROR,
        MAKE,
    )
    assert_job_finding(tmp_path, lines, "syntax_error", {"file": "src/main.c", "line": None})
