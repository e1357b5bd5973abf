"""Facts and verdicts the Go/Rust/JVM/.NET/Ruby/PHP/C/Terraform/Kubernetes message-family sweep relies on.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
or the case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.facts import enrich
from smartmon.diagnose.locations import location


def _facts(issue_type: str, text: str, after: tuple[str, ...] = ()) -> dict[str, str]:
    return enrich(issue_type, {}, text, (), "Run make", after)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # dotnet prints the file relative to the project it names last (actions/setup-dotnet#37)
        (
            "##[error]Tightening/Messages.cs(17,19): error CS0103: The name 'Mid0064' does not exist"
            " in the current context [/home/runner/work/kit/kit/src/Kit/Kit.csproj]",
            ("src/Kit/Tightening/Messages.cs", "17"),
        ),
        (
            "D:\\a\\kit\\kit\\src\\Kit\\Program.cs(12,5): error CS1002: ; expected"
            " [D:\\a\\kit\\kit\\src\\Kit\\Kit.csproj]",
            ("src/Kit/Program.cs", "12"),
        ),
        # an absolute path is not re-rooted under the project
        (
            "/home/runner/work/kit/kit/tests/A.cs(3,1): error CS0246: x"
            " [/home/runner/work/kit/kit/src/Kit/Kit.csproj]",
            ("tests/A.cs", "3"),
        ),
        # Maven 3.9 on a runner prints "Error:  " for "[ERROR] " (objectionary/eo#1508)
        (
            "Error:  /home/runner/work/app/app/src/main/java/com/acme/App.java:[12,5] cannot find"
            " symbol",
            ("src/main/java/com/acme/App.java", "12"),
        ),
        # a gcc problem-matcher annotation as the run page shows it
        ("Error: src/a.c:12:5: error: 'x' undeclared", ("src/a.c", "12")),
        # Terraform's place under "Error: …", boxed (≥ 0.15) and bare (0.12-0.14)
        ('│   on main.tf line 12, in resource "aws_s3_bucket" "b":', ("main.tf", "12")),
        ('  on modules/net/vpc.tf line 4, in module "vpc":', ("modules/net/vpc.tf", "4")),
    ],
)
def test_location_shapes(text: str, want: tuple[str, str]) -> None:
    assert location(text) == want


def test_terraform_error_takes_the_place_printed_below() -> None:
    after = ("│ ", '│   on network.tf line 31, in resource "aws_subnet" "a":', "│   31:   cidr = x")
    data = _facts("syntax_error", "│ Error: Unsupported argument", after)
    assert (data.get("file"), data.get("line")) == ("network.tf", "31")


def test_terraform_prose_on_line_is_not_a_location() -> None:
    assert location("Turn this on in the settings line 3 of the guide") is None


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # kubectl with no kubeconfig dials localhost:8080: a missing secret, never a network retry
        (
            [
                "Run kubectl apply -f k8s/",
                "The connection to the server localhost:8080 was refused - did you specify the"
                " right host or port?",
                "Error: Process completed with exit code 1.",
            ],
            "missing_env_vars",
        ),
        # clang-tidy's and cppcheck's findings print like gcc's errors but are lints
        (
            [
                "Run run-clang-tidy -p build",
                "/home/runner/work/app/app/src/a.cpp:12:12: error: use nullptr"
                " [modernize-use-nullptr,-warnings-as-errors]",
                "Error: Process completed with exit code 1.",
            ],
            "lint_failure",
        ),
        # a gcc error with -Werror stays a compile error
        (
            [
                "Run make",
                "src/util.c:12:9: error: unused variable 'x' [-Werror=unused-variable]",
                "make: *** [Makefile:20: src/util.o] Error 1",
                "Error: Process completed with exit code 2.",
            ],
            "syntax_error",
        ),
        # XCTest's assertion lines are test failures, not compile errors
        (
            [
                "Run xcodebuild test -scheme App",
                "/Users/runner/work/app/app/AppTests/CalcTests.swift:12: error: -[AppTests.CalcTests"
                ' testAdd] : XCTAssertEqual failed: ("3") is not equal to ("4")',
                "** TEST FAILED **",
                "Error: Process completed with exit code 65.",
            ],
            "test_failure",
        ),
        # a passing build with analyzer warnings and "0 Error(s)"
        (
            [
                "##[group]Run dotnet build",
                "##[endgroup]",
                "/home/runner/work/app/app/src/A.cs(3,1): warning IDE0055: Fix formatting"
                " [/home/runner/work/app/app/src/A.csproj]",
                "Build succeeded.",
                "    1 Warning(s)",
                "    0 Error(s)",
            ],
            None,
        ),
        # helm lint with nothing failed
        (
            [
                "##[group]Run helm lint charts/web",
                "##[endgroup]",
                "==> Linting charts/web",
                "[INFO] Chart.yaml: icon is recommended",
                "",
                "1 chart(s) linted, 0 chart(s) failed",
            ],
            None,
        ),
    ],
)
def test_verdict(tmp_path: Path, lines: list[str], want: str | None) -> None:
    log = tmp_path / "job.txt"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    findings = analyze_paths([log]).findings
    assert (findings[0].type.value if findings else None) == want
