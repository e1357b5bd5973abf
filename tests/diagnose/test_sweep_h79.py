"""Scripts that fail with little text: a process killed by a crash signal (unknown, as the catalog
labels a native crash; the test that was running when a test process died), CR line endings quoted by
bash, bash syntax under dash, a shebang's missing interpreter, zsh's refusal of a script without its
run bit.

Texts are the tools' real formats with names changed; the thread or source each comes from is named
in the rule or the code comment that reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.failed_tests import crashed_test
from tests.diagnose.joblog import assert_finding, run_step, top_finding

_CRASH = "/home/runner/work/_temp/23a3.sh: line 1:  4121 Segmentation fault      (core dumped) "
_SEGV = "##[error]Process completed with exit code 139."


@pytest.mark.parametrize(
    ("before", "after", "want"),
    [
        # pytest -v: the node id is printed before the test runs, its outcome after.
        (
            ["tests/test_io.py::test_read PASSED", "tests/test_io.py::test_mmap "],
            [],
            "tests/test_io.py::test_mmap",
        ),
        # flushed below the shell's crash line
        (
            ["tests/test_io.py::test_read PASSED"],
            ["tests/test_io.py::test_mmap[big] "],
            "tests/test_io.py::test_mmap[big]",
        ),
        # googletest's RUN line without its OK
        (
            ["[ RUN      ] Cache.Put", "[       OK ] Cache.Put (2 ms)", "[ RUN      ] Cache.Evict"],
            [],
            "Cache.Evict",
        ),
        # Gradle's test logging: "Class > method STARTED" without PASSED after it
        (
            [
                "a.b.CacheTest > put() STARTED",
                "a.b.CacheTest > put() PASSED",
                "a.b.CacheTest > evict() STARTED",
            ],
            [],
            "a.b.CacheTest > evict()",
        ),
        # every test named had its outcome: no test to name
        (["[ RUN      ] Cache.Put", "[       OK ] Cache.Put (2 ms)"], [], None),
        (["tests/test_io.py::test_read PASSED                 [ 50%]"], [], None),
    ],
)
def test_crashed_test_is_the_last_one_named_without_an_outcome(
    before: list[str], after: list[str], want: str | None
) -> None:
    assert crashed_test(_CRASH + "pytest -v", before, after) == want


def test_gradle_test_executor_exit_names_the_running_test() -> None:
    text = "Process 'Gradle Test Executor 28' finished with non-zero exit value 255"
    before = [
        "a.b.ConfTest > reassign STARTED",
        "a.b.ConfTest > reassign PASSED",
        "a.b.ConfTest > fake STARTED",
    ]
    assert crashed_test(text, before, []) == "a.b.ConfTest > fake"


def test_crashed_test_needs_a_crash_line() -> None:
    assert crashed_test("Error: tests failed", ["tests/test_io.py::test_mmap "], []) is None


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # A native crash is the catalog's unknown (tests/data/logs/unknown-segfault), whatever ran.
        (
            run_step(
                "coverage run -m pytest -v",
                "tests/test_io.py::test_read PASSED                 [ 50%]",
                "tests/test_io.py::test_mmap ",
                _CRASH + "coverage run -m pytest -v",
                _SEGV,
            ),
            "unknown",
            {},
        ),
        (
            run_step(
                'deno -A _builder/main.ts ""',
                '/home/runner/work/_temp/e0.sh: line 1:  1968 Segmentation fault      (core dumped) deno -A _builder/main.ts ""',
                _SEGV,
            ),
            "unknown",
            {},
        ),
        # A System.exit in the forked test JVM, not a signal: the test that was running.
        (
            run_step(
                "./gradlew test",
                "a.b.ConfTest > reassign STARTED",
                "a.b.ConfTest > reassign PASSED",
                "a.b.ConfTest > fake STARTED",
                "Process 'Gradle Test Executor 28' finished with non-zero exit value 255",
                "##[error]Process completed with exit code 1.",
            ),
            "test_failure",
            {"test": "a.b.ConfTest > fake"},
        ),
        (
            run_step(
                "./scripts/ci.sh",
                "./scripts/ci.sh: line 4: cd: $'build\\r': No such file or directory",
                "##[error]Process completed with exit code 1.",
            ),
            "syntax_error",
            {},
        ),
        (
            run_step(
                "./tools/gen.py",
                "/home/runner/work/_temp/a1.sh: line 1: ./tools/gen.py: /usr/bin/python: bad interpreter: No such file or directory",
                "##[error]Process completed with exit code 126.",
            ),
            "missing_tool",
            {"command": "python"},
        ),
        (
            run_step(
                "./scripts/build.sh",
                "zsh:1: permission denied: ./scripts/build.sh",
                "##[error]Process completed with exit code 126.",
            ),
            "permission_error",
            {"file": "scripts/build.sh"},
        ),
        (
            run_step(
                "./ci.sh",
                "/__w/_temp/3f1a.sh: 1: set: Illegal option -o pipefail",
                "##[error]Process completed with exit code 2.",
            ),
            "syntax_error",
            {},
        ),
    ],
)
def test_little_text_failures(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_pasted_crash_without_trailer_is_a_failure(tmp_path: Path) -> None:
    """A paste of the crash line alone was read as a passing job."""
    lines = [
        "Run ./Tests --verbosity high --success",
        "/home/runner/work/_temp/940d.sh: line 1:  3452 Segmentation fault      (core dumped) ./Tests --verbosity high --success",
    ]
    assert top_finding(tmp_path, lines) == ("unknown", {})
