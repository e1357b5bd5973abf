"""Rule hits their own step explains away (diagnose/later_lines): Flutter's own retry of its tool's
solve, helm lint's passing tally, a Zig step's placeless link error, a bare "(errcheck)" away from
golangci-lint, a circular import's wrapped message; and GCC's -Wno- refusal, printed only beside
another diagnostic. The look-alike logs are review rev46's; names are ours."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, assert_job_finding, run_step, write_job

_PIN = "Because flutter_tools depends on test 1.15.3 which doesn't match any versions, version solving failed."
_RETRY = "Error: Unable to 'pub upgrade' flutter tool. Retrying in five seconds... (9 tries left)"
_SDK = "Because myapp requires SDK version >=2.12.0 <3.0.0, version solving failed."


def _top(tmp_path: Path, lines: list[str]) -> tuple[str | None, str | None, int | None]:
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    if not findings:
        return None, None, None
    return findings[0].type.value, findings[0].rule, findings[0].line


def test_flutter_tools_pin_alone_is_named(tmp_path: Path) -> None:
    lines = [*run_step("flutter pub get", 'Running "flutter pub get" in flutter_tools...', _PIN)]
    assert _top(tmp_path, [*lines, FAILED])[:2] == ("unknown", "flutter-tools-pin-not-listed")


def test_the_projects_own_solve_below_the_pin_is_the_cause(tmp_path: Path) -> None:
    lines = [*run_step("flutter pub get", _PIN, "Resolving dependencies...", _SDK), FAILED]
    assert _top(tmp_path, lines)[:2] == ("dependency_conflict", "resolver-no-solution")


def test_flutters_retry_of_its_tool_clears_the_pin(tmp_path: Path) -> None:
    lines = [*run_step("flutter pub get", _PIN, _RETRY, "Running pub upgrade...", _SDK), FAILED]
    assert _top(tmp_path, lines)[:2] == ("dependency_conflict", "resolver-no-solution")


_DEPS = "[WARNING] /home/runner/work/app/app/charts/app: chart directory is missing these dependencies: postgresql"


def test_helm_lint_that_failed_on_missing_dependencies(tmp_path: Path) -> None:
    lines = [*run_step("helm lint --strict charts/app", _DEPS), FAILED]
    assert_job_finding(tmp_path, lines, "missing_dependency", {"package": "postgresql"})


def test_a_passing_helm_lint_leaves_the_next_steps_failure(tmp_path: Path) -> None:
    lines = [*run_step("helm lint charts/app", _DEPS, "1 chart(s) linted, 0 chart(s) failed")]
    lines += [*run_step("./validate.sh", "validate: containerPort is not an integer"), FAILED]
    got = _top(tmp_path, lines)
    assert got[1] != "helm-lint-chart-dependencies-missing"


_TREE = ("install", "+- install app", "   +- compile exe app Debug native 1 errors")


def test_zig_tree_over_a_placed_error_is_a_compile_error(tmp_path: Path) -> None:
    lines = [*run_step("zig build", *_TREE, "src/main.zig:12:5: error: expected ';', found '}'")]
    assert_job_finding(tmp_path, [*lines, FAILED], "syntax_error", {"file": "src/main.zig"})


def test_zig_tree_over_a_placeless_link_error_is_no_compile_error(tmp_path: Path) -> None:
    for error in (
        "error: unable to find dynamic system library 'ssl' using strategy 'paths_first'. searched paths:",
        "error: ld.lld: undefined symbol: curl_easy_init",
    ):
        lines = [
            *run_step("zig build", *_TREE, error, "Build Summary: 0/3 steps succeeded; 1 failed")
        ]
        assert _top(tmp_path, [*lines, FAILED])[0] != "syntax_error", error


def test_a_bare_linter_name_outside_golangci_is_no_lint(tmp_path: Path) -> None:
    release = "release.sh: upload of dist/app.tar.gz rejected: checksum mismatch"
    subject = "a1b2c3d fix: handle unchecked error returns (errcheck)"
    lines = [*run_step("git log --oneline && ./scripts/release.sh", subject, release), FAILED]
    assert _top(tmp_path, lines)[0] == "unknown"
    log = "2024/05/01 10:00:00 loaded 12 analyzers (staticcheck)"
    lines = [*run_step("./bin/server --selftest", log, "selftest: connection refused"), FAILED]
    assert _top(tmp_path, lines)[1] != "golangci-lint-annotation-bare"


def test_a_bare_row_with_its_file_below_is_golangcis(tmp_path: Path) -> None:
    row = "printf: non-constant format string in call to log.Printf (govet)"
    lines = [*run_step("make lint", row, "internal/x_test.go:519"), FAILED]
    assert _top(tmp_path, lines)[:2] == ("lint_failure", "golangci-lint-annotation-bare")


def test_a_wrapped_circular_import_is_one(tmp_path: Path) -> None:
    lines = run_step(
        "python app.py",
        "Traceback (most recent call last):",
        '  File "/home/runner/work/app/app/app.py", line 1, in <module>',
        "    from app.models import User",
        "ImportError: cannot import name 'User' from",
        "partially initialized module 'app.models' (most likely due to a circular import)"
        " (/home/runner/work/app/app/app/models.py)",
    )
    assert_job_finding(
        tmp_path, [*lines, FAILED], "import_error", {"name": "User", "from": "app.models"}
    )
    assert _top(tmp_path, [*lines, FAILED])[1] == "python-circular-import-wrapped"


def test_a_wrapped_module_name_gives_from(tmp_path: Path) -> None:
    lines = run_step(
        "python -m piptools sync",
        "ImportError: cannot import name 'stdlib_pkgs' from",
        "'pip._internal.utils.compat' (/opt/venv/lib/python3.13/site-packages/pip/_internal/utils/compat.py)",
    )
    facts = {"name": "stdlib_pkgs", "from": "pip._internal.utils.compat"}
    assert_job_finding(tmp_path, [*lines, FAILED], "import_error", facts)


def test_gcc_names_an_unknown_wno_only_beside_another_diagnostic(tmp_path: Path) -> None:
    lines = run_step(
        "make",
        "gcc -Wall -Werror -Wno-unknown-warning-option -c src/parser.c -o parser.o",
        "src/parser.c:42:13: error: expected ';' before '}' token",
        "cc1: error: unrecognized command-line option '-Wno-unknown-warning-option' [-Werror]",
        "make: *** [Makefile:4: parser.o] Error 1",
    )
    assert_job_finding(
        tmp_path, [*lines, FAILED], "syntax_error", {"file": "src/parser.c", "line": "42"}
    )
