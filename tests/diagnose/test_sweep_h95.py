"""Verdicts the compiled-languages sample (helper h95) relies on beyond the rules' own examples: the
places D's druntime and Crystal's compiler print, Zig's and D's test runners, missing Zig modules,
Nim packages and Crystal shards, and version skew in cabal and pkg-config, pasted and downloaded.

Texts are the tools' real formats with names changed; the threads are named in the rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.locations import location
from tests.diagnose.joblog import FAILED, assert_finding, run_step, write_job


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # D's druntime puts the exception's class before the place (a failed `dub test`).
        ("core.exception.AssertError@source/app.d(10): unittest failure", ("source/app.d", "10")),
        ("object.Exception@source/config.d(12): missing key", ("source/config.d", "12")),
        # Crystal's place on a line of its own, above the code frame.
        ("In src/app.cr:12:5", ("src/app.cr", "12")),
        ("In /home/runner/work/app/app/src/main.cr:3:1", ("src/main.cr", "3")),
        # gcc's include chain and prose are no place.
        ("In file included from /usr/include/stdio.h:27,", None),
        ("In function 'main':", None),
    ],
)
def test_prefixed_places(text: str, want: tuple[str, str] | None) -> None:
    assert location(text) == want


_ZIG_BUILD_TEST = [
    "test",
    "+- run test 0 pass, 1 fail (1 total)",
    "error: 'main.test.probe' failed:",
    "       /opt/hostedtoolcache/zig/0.13.0/x64/lib/std/testing.zig:546:14: 0x1004409bf in expect (test)",
    "           if (!ok) return error.TestUnexpectedResult;",
    "                    ^",
    "       /home/runner/work/app/app/src/main.zig:12:5: 0x100440a15 in test.probe (test)",
    "           try std.testing.expect(1 == 2);",
    "           ^",
    "Build Summary: 1/3 steps succeeded (1 failed); 0/1 tests passed (1 failed)",
]


@pytest.mark.parametrize("stamped", [True, False])
@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        (
            run_step("zig build test", "thread 1862 panic: unable to find module 'zig-cli'"),
            "missing_dependency",
            {"module": "zig-cli"},
        ),
        (
            run_step(
                "zig build",
                "src/main.zig:3:21: error: no module named 'build_options' available within module 'root'",
                'const opts = @import("build_options");',
                "                     ^~~~~~~~~~~~~~~",
            ),
            "missing_dependency",
            {"module": "build_options"},
        ),
        (
            run_step("zig build test", *_ZIG_BUILD_TEST),
            "test_failure",
            {"test": "main.test.probe", "file": "src/main.zig", "line": "12"},
        ),
        (
            run_step(
                "dub test",
                "core.exception.AssertError@source/app.d(10): unittest failure",
                "----------------",
                "1/3 modules FAILED unittests",
                "Error Program exited with code 1",
            ),
            "test_failure",
            {"file": "source/app.d", "line": "10"},
        ),
        (
            run_step(
                "crystal build src/main.cr",
                "Showing last frame. Use --error-trace for full trace.",
                "",
                "In src/main.cr:12:7",
                "",
                " 12 | HTML5.parse(str)",
                "      ^----",
                "Error: undefined constant HTML5",
            ),
            "syntax_error",
            {"file": "src/main.cr", "line": "12"},
        ),
        (
            run_step(
                "crystal spec",
                "In src/tst.cr:1:1",
                "",
                ' 1 | require "cadmium"',
                "     ^",
                "Error: can't find file 'cadmium'",
                "",
                "If you're trying to require a shard:",
                "- Did you remember to run `shards install`?",
            ),
            "missing_dependency",
            {"module": "cadmium"},
        ),
        (
            run_step(
                "nimble build -Y",
                "/home/runner/work/app/app/src/app.nim(3, 8) Error: cannot open file: jester",
            ),
            "missing_dependency",
            {"module": "jester"},
        ),
        (
            run_step(
                "nimble build -Y",
                '        ... Additional info: "Could not find command: '
                "\\'/home/runner/.choosenim/toolchains/nim-1.4.8/bin/nim\\'. OS error: "
                'Permission denied")',
            ),
            "missing_tool",
            {"command": "nim"},
        ),
        (
            run_step(
                "cabal v1-sandbox init",
                "cabal: unrecognised command: v1-sandbox (try --help)",
            ),
            "dependency_conflict",
            {"tool": "cabal", "name": "v1-sandbox"},
        ),
        (
            run_step(
                "cargo build",
                '  cargo:warning=`"pkg-config" "--libs" "--cflags" "gtk+-3.0" '
                '"gtk+-3.0 >= 3.24.8"` did not exit successfully: exit status: 1',
                "  error: could not find system library 'gtk+-3.0' required by the 'gtk-sys' crate",
                "  Requested 'gtk+-3.0 >= 3.24.8' but version of GTK+ is 3.22.30",
            ),
            "dependency_conflict",
            {"package": "gtk+-3.0"},
        ),
        (
            run_step(
                "cargo build",
                "error: failed to run custom build command for `openssl-sys v0.9.75`",
                "error: could not find system library 'openssl' required by the 'openssl-sys' crate",
            ),
            "missing_dependency",
            {"package": "openssl"},
        ),
        (
            run_step(
                "zig build",
                "build.zig.zon:37:21: error: hash mismatch: manifest declares"
                " libxev-0.0.0-86vtcwIRFADbH4hk-EjROXxlrKIRPQdA41XiTSytYO-0 but the fetched package has"
                " libxev-0.0.0-86vtcwIRFADbH4hk-EjROXxlrKIRPQdA41XiTSytYO-F",
            ),
            "dependency_conflict",
            {"package": "libxev-0.0.0-86vtcwIRFADbH4hk-EjROXxlrKIRPQdA41XiTSytYO-0"},
        ),
        (
            run_step(
                "nimble install -d -y",
                "  Verifying dependencies for app@0.1.0",
                "     Error: Cannot satisfy the dependency on nimterop 0.6.11 and nimterop 0.6.13",
            ),
            "dependency_conflict",
            {"package": "nimterop"},
        ),
        # GoReleaser 2 and a version 1 configuration, under the action's process error.
        (
            run_step(
                "goreleaser release --clean",
                "  • starting release...",
                "  • only configurations files on version: 2 are supported, yours is version: 0, please"
                " update your configuration",
                "  ⨯ release failed after 0s                  error=only configurations files on version: 2"
                " are supported, yours is version: 0, please update your configuration",
                "Error: The process '/opt/hostedtoolcache/goreleaser-action/2.0.1/x64/goreleaser' failed"
                " with exit code 1",
            ),
            "dependency_conflict",
            {"tool": "goreleaser", "version": "2"},
        ),
        # golangci-lint-action v7+ with a golangci-lint v1 pin.
        (
            [
                "##[group]Run golangci/golangci-lint-action@v8.0.0",
                "with:",
                "  version: v1.61.0",
                "##[endgroup]",
                "prepare environment",
                "Error: Failed to run: Error: invalid version string 'v1.61.0', golangci-lint v1 is not"
                " supported by golangci-lint-action >= v7., Error: invalid version string 'v1.61.0',"
                " golangci-lint v1 is not supported by golangci-lint-action >= v7.",
            ],
            "dependency_conflict",
            {"tool": "golangci-lint", "version": "v1.61.0"},
        ),
        # dune echoes the command it ran in its build folder above the compiler's error.
        (
            run_step(
                "opam exec -- dune build",
                "      ocamlc bin/.main.eobjs/byte/dune__exe__Main.{cmi,cmo,cmt} (exit 2)",
                "(cd _build/default && /home/runner/.opam/4.14.1/bin/ocamlc.opt -g -bin-annot"
                " -I bin/.main.eobjs/byte -o bin/.main.eobjs/byte/dune__exe__Main.cmo -c -impl bin/main.ml)",
                'File "bin/main.ml", line 3, characters 4-7:',
                "3 |     foo ()",
                "        ^^^",
                "Error: Unbound value foo",
            ),
            "syntax_error",
            {"file": "bin/main.ml", "line": "3"},
        ),
        # Hspec's failure list under Stack: the example is named below its place.
        (
            run_step(
                "stack test",
                "Failures:",
                "",
                "  test/LibSpec.hs:12:5: ",
                "  1) Lib.add adds numbers",
                "       expected: 3",
                "        but got: 4",
                "",
                '  To rerun use: --match "/Lib/add/adds numbers/"',
                "",
                "3 examples, 1 failure",
                "",
                "app> Test suite app-test failed",
                "Test suite failure for package app-0.1.0.0",
                "    app-test:  exited with: ExitFailure 1",
            ),
            "test_failure",
            {"test": "Lib.add adds numbers", "file": "test/LibSpec.hs", "line": "12"},
        ),
        (
            run_step(
                "stack build --no-install-ghc",
                "No compiler found, expected minor version match with ghc-9.2.8 (x86_64-tinfo6) (based on"
                " resolver setting in /home/runner/work/app/app/stack.yaml).",
                'To install the correct GHC into /home/runner/.stack/programs/x86_64-linux/, try running "stack'
                ' setup" or use the "--install-ghc" flag.',
            ),
            "missing_tool",
            {"command": "ghc", "version": "9.2.8"},
        ),
        (
            run_step(
                "cabal build",
                "Error: [Cabal-7620]",
                "The program 'ghc' version >=7.0.1 is required but it could not be found.",
            ),
            "missing_tool",
            {"command": "ghc"},
        ),
        (
            run_step(
                "opam install . --deps-only --with-test",
                "[ERROR] Package conflict!",
                "  * Missing dependency:",
                "    - llama_midi >= 0.0.1",
                "    no matching version",
                "",
                "No solution found, exiting",
            ),
            "dependency_conflict",
            {},
        ),
        (
            run_step(
                "cabal test",
                "Test suite doctest: FAIL",
                "0 of 1 test suites (0 of 1 test cases) passed.",
                "Error: cabal: Tests failed for test:doctest from app-0.1.0.0.",
            ),
            "test_failure",
            {},
        ),
    ],
)
def test_compiled_language_failures(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str], stamped: bool
) -> None:
    log = write_job(tmp_path, [*lines, FAILED] if stamped else lines, stamped=stamped)
    findings = analyze_paths([log]).findings
    assert findings, "no finding"
    assert findings[0].type.value == want
    assert {k: findings[0].data.get(k) for k in facts} == facts


@pytest.mark.parametrize(
    "lines",
    [
        # A passing Zig run's tally and a passing D run's.
        run_step("zig build test --summary all", "All 12 tests passed."),
        run_step("dub test", "5 modules passed unittests"),
        # A cabal suite that passed.
        run_step(
            "cabal test", "Test suite spec: PASS", "1 of 1 test suites (1 of 1 test cases) passed."
        ),
    ],
)
def test_passing_runs_stay_quiet(tmp_path: Path, lines: list[str]) -> None:
    assert_finding(tmp_path, [*lines, "Cleaning up orphan processes"], None, {})
