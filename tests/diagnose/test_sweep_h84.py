"""File and line in unusual location shapes: a local clone's absolute path made repository-relative
(diagnose/repo_paths.py) and Julia's place under a loader's stack trace (diagnose/locations_below.py).

Texts are the tools' real formats with names changed; the thread each comes from is named in the
module's comments, the rule (rules/45-langs.yaml, rules/50-build.yaml) or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.locations import location
from smartmon.diagnose.locations_below import arrow_below
from smartmon.diagnose.repo_paths import repo_path
from tests.diagnose.joblog import FAILED, assert_finding, run_step


@pytest.mark.parametrize(
    ("path", "want"),
    [
        # swiftc on a Mac, the clone on another disk and on the desktop (paradiseduo/resymbol #2,
        # fzlzjerry/wechat-antirecall #64).
        (
            "/Volumes/Data/github/resymbol/Sources/resymbol/Enum/Type.swift",
            "Sources/resymbol/Enum/Type.swift",
        ),
        (
            "/Users/logan/Desktop/wechat-antirecall/Sources/GUI/Views/CloneView.swift",
            "Sources/GUI/Views/CloneView.swift",
        ),
        # A host's folder one level deeper, and GitHub Desktop's layout as before.
        ("/Users/me/Developer/GitHub/app/Package.swift", "Package.swift"),
        ("/Users/me/Documents/GitHub/app/src/main.c", "src/main.c"),
        (r"C:\Users\bob\Projects\app\src\Program.cs", "src/Program.cs"),
        ("/home/dev/code/app/lib/app.ex", "lib/app.ex"),
        # A clone directly in the home folder keeps working.
        ("/home/dev/app/src/x.c", "src/x.c"),
    ],
)
def test_a_clone_in_a_folder_of_clones_is_the_repository(path: str, want: str) -> None:
    assert repo_path(path) == want


@pytest.mark.parametrize(
    "path",
    [
        # The runner's own home and the machine's build products are never the repository.
        "/Users/runner/hostedtoolcache/Python/3.12.1/x64/lib/python3.12/ast.py",
        r"C:\Users\runneradmin\Desktop\tool\x.c",
        "/Users/me/Library/Developer/Xcode/DerivedData/App-abc/Build/x.swift",
        "/Users/me/Desktop/app/node_modules/left-pad/index.js",
        "/Volumes/Data/somewhere/app/x.swift",
    ],
)
def test_not_a_clone(path: str) -> None:
    assert repo_path(path) is None


def test_julia_place_under_a_loader_stack_trace() -> None:
    # boathit/t2vec #8: the innermost file's "in expression starting at", after the stack trace.
    after = [
        "Stacktrace:",
        " [1] top-level scope at /home/runner/work/t2/t2/preprocessing/porto2h5.jl:3",
        " [2] eval at ./boot.jl:330 [inlined]",
        "in expression starting at /home/runner/work/t2/t2/preprocessing/porto2h5.jl:3",
        "in expression starting at /home/runner/work/t2/t2/src/T2.jl:1",
    ]
    assert arrow_below(after) == ("preprocessing/porto2h5.jl", "3")


def test_julia_premature_end_of_input_names_the_file(tmp_path: Path) -> None:
    lines = run_step(
        "julia --project preprocessing/porto2h5.jl",
        "ERROR: LoadError: syntax: incomplete: premature end of input",
        "Stacktrace:",
        " [1] top-level scope at /home/runner/work/t2/t2/preprocessing/porto2h5.jl:3",
        "in expression starting at /home/runner/work/t2/t2/preprocessing/porto2h5.jl:3",
        FAILED,
    )
    assert_finding(
        tmp_path, lines, "syntax_error", {"file": "preprocessing/porto2h5.jl", "line": "3"}
    )


def test_swift_error_from_a_local_clone_on_another_disk(tmp_path: Path) -> None:
    lines = run_step(
        "./build-macOS_x86.sh",
        "/Volumes/Data/github/resymbol/Sources/resymbol/Enum/Type.swift:21:13: error: cannot find"
        " 'ConsoleIO' in scope",
        FAILED,
    )
    assert_finding(
        tmp_path,
        lines,
        "syntax_error",
        {"file": "Sources/resymbol/Enum/Type.swift", "line": "21"},
    )


def test_ocaml_span_over_several_lines(tmp_path: Path) -> None:
    # OCaml prints "lines 12-14" for a span; Python's frames say "line" (garrigue/lablgtk #196).
    lines = run_step(
        "dune build",
        'File "bin/main.ml", lines 12-14, characters 2-10:',
        "Error: Syntax error",
        FAILED,
    )
    assert_finding(tmp_path, lines, "syntax_error", {"file": "bin/main.ml", "line": "12"})


def test_ghc_error_row_is_the_cause_when_the_build_stops_there(tmp_path: Path) -> None:
    # agda/agda #8087, as copied from the run page: the message line shows as an error annotation.
    lines = [
        "Run stack build --system-ghc",
        "[ 84 of 458] Compiling Agda.Utils.HashTable",
        "/home/runner/work/agda-ci/agda-ci/src/full/Agda/Utils/HashTable.hs:129:35: error:",
        "Error:     Variable not in scope: fastRem :: Int -> t0 -> Int",
        "Error: [S-7282]",
        "       Stack failed to execute the build plan.",
        "Error: Process completed with exit code 1.",
    ]
    assert_finding(
        tmp_path,
        lines,
        "syntax_error",
        {"file": "src/full/Agda/Utils/HashTable.hs", "line": "129"},
    )


def test_ghc_error_row_in_a_step_that_passed_is_no_failure(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "cabal test",
            "Test suite doctests: RUNNING...",
            "src/Lib.hs:12:5: error:",
            "    Variable not in scope: foo",
            "Test suite doctests: PASS",
        ),
        *run_step("echo done", "done"),
    ]
    assert_finding(tmp_path, lines, None, {})


@pytest.mark.parametrize(
    ("line", "place"),
    [
        # Jest indents Babel's message under "● Test suite failed to run" (jestjs/jest #9721).
        (
            "    SyntaxError: /home/runner/work/app/app/src/App.test.js: Unexpected token (7:18)",
            ("src/App.test.js", "7"),
        ),
        (
            r"    SyntaxError: D:\a\app\app\src\Grid.test.js: Unexpected token (26:22)",
            ("src/Grid.test.js", "26"),
        ),
        # babel itself, unindented, as before.
        (
            'SyntaxError: /home/runner/work/app/app/src/App.js: Unexpected token, expected "," (3:5)',
            ("src/App.js", "3"),
        ),
    ],
)
def test_babel_place_last_indented_by_jest(line: str, place: tuple[str, str]) -> None:
    assert location(line) == place


def test_free_pascal_bare_name_from_the_compiling_line(tmp_path: Path) -> None:
    # MarieEckert/pasfetch #3: FPC names the unit's errors by its bare name.
    lines = run_step(
        "fpc src/PasFetch.pas",
        "Compiling src/PasFetch.pas",
        "Compiling src/Logos.pas",
        "Logos.pas(115,1) Warning: Function result variable does not seem to initialized",
        'PasFetch.pas(29,28) Error: Identifier not found "SplitString"',
        "PasFetch.pas(251) Fatal: There were 1 errors compiling module, stopping",
        FAILED,
    )
    assert_finding(tmp_path, lines, "syntax_error", {"file": "src/PasFetch.pas", "line": "29"})


def test_nix_parse_error_place_under_it_in_the_flake_source(tmp_path: Path) -> None:
    # nwg-piotr/nwg-displays PR #11: Nix 2.4+ puts the place under the message, in the store copy.
    lines = run_step(
        "nix build",
        "error: syntax error, unexpected '=', expecting ';'",
        "",
        "       at /nix/store/cx2p7mqzx7jl4r33g4ywgqnny1b142m9-source/flake.nix:3:10:",
        "",
        '            2|   description = "An output management utility"',
        "            3|   inputs = {",
        FAILED,
    )
    assert_finding(tmp_path, lines, "syntax_error", {"file": "flake.nix", "line": "3"})


def test_nix_store_paths_other_than_a_source_copy_are_not_the_repository() -> None:
    assert repo_path("/nix/store/cx2p7mqzx7jl4r33g4ywgqnny1b142m9-source/lib/a.nix") == "lib/a.nix"
    assert repo_path("/nix/store/cx2p7mqzx7jl4r33g4ywgqnny1b142m9-glibc-2.38/include/a.h") is None
