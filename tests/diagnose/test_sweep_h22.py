"""Verdicts the Go services sweep (helper h22) relies on beyond the rules' own examples: the test a Go
panic or data race names only in its stack, golangci-lint's config errors against go-yaml's, the module
an inconsistent vendor directory names, cgo switched off.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule,
diagnose/failed_tests.py or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.locations import location
from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, top_finding


@pytest.mark.parametrize(
    ("lines", "test"),
    [
        # A panic in a goroutine the test started: Go ≥ 1.21 names the creator "in goroutine N".
        (
            [
                "panic: assignment to entry in nil map",
                "goroutine 23 [running]:",
                "github.com/acme/app/store.(*Store).Put(...)",
                "\t/home/runner/work/app/app/store/store.go:40",
                "created by github.com/acme/app/store.TestPut in goroutine 22",
                "\t/home/runner/work/app/app/store/store_test.go:20 +0x9d",
            ],
            "TestPut",
        ),
        # Before Go 1.21 the creator stands alone.
        (["created by github.com/acme/app.TestPool", "\t/x/pool_test.go:11 +0x8f"], "TestPool"),
        # The test's own frame, with register-ABI arguments or none (a race report), a closure.
        (["github.com/acme/probe/x_test.TestMeasure(0xc000404000)"], "TestMeasure"),
        (["  github.com/acme/app/cache.TestCache.func1()"], "TestCache"),
        (["main.FuzzParse.func1({0x1437fee, 0xe})"], "FuzzParse"),
    ],
)
def test_go_stack_frame_names_the_test(lines: list[str], test: str) -> None:
    assert named_failure(lines) == test


@pytest.mark.parametrize(
    "line",
    [
        "testing.tRunner(0xc000404000, 0x16e1598)",
        "github.com/acme/app.Testify()",
        "github.com/acme/app.(*Tester).Run(0xc0000a6000)",
        "created by testing.(*T).Run in goroutine 1",
    ],
)
def test_go_frames_outside_a_test_name_none(line: str) -> None:
    assert named_failure([line]) is None


def test_go_panic_without_fail_line_names_test(tmp_path: Path) -> None:
    got = top_finding(
        tmp_path,
        [
            "##[group]Run go test ./...",
            "##[endgroup]",
            "panic: assignment to entry in nil map",
            "",
            "goroutine 23 [running]:",
            "github.com/acme/app/store.(*Store).Put(...)",
            "\t/home/runner/work/app/app/store/store.go:40",
            "created by github.com/acme/app/store.TestPut in goroutine 22",
            "\t/home/runner/work/app/app/store/store_test.go:20 +0x9d",
            "FAIL\tgithub.com/acme/app/store\t0.012s",
            "FAIL",
            FAILED,
        ],
    )
    assert got[0] == "test_failure"
    assert got[1]["test"] == "TestPut"


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # A YAML error inside golangci-lint's config is the file's, with go-yaml's line.
        (
            [
                "##[group]Run golangci/golangci-lint-action@v8",
                "##[endgroup]",
                "##[error]can't load config: can't read viper config: While parsing config: yaml:"
                " unmarshal errors:",
                '  line 75: mapping key "run" already defined at line 62',
                "##[error]golangci-lint exit with code 3",
            ],
            "yaml_syntax_error",
            {"line": "75"},
        ),
        # Any other config refusal is golangci-lint's.
        (
            [
                "Running [/home/runner/golangci-lint-2.1.0-linux-amd64/golangci-lint run] in [/x] ...",
                "  Error: can't load config: gofmt is a formatter",
                "  Failed executing command with error: can't load config: gofmt is a formatter",
                "  Error: golangci-lint exit with code 3",
            ],
            "lint_failure",
            {"tool": "golangci-lint"},
        ),
        # The module the vendor directory is out of step with, not only the header.
        (
            [
                "go: inconsistent vendoring in /home/runner/work/app/app:",
                "\tgithub.com/spf13/cobra@v1.6.1: is explicitly required in go.mod, but not marked as"
                " explicit in vendor/modules.txt",
                "",
                "\tTo ignore the vendor directory, use -mod=readonly or -mod=mod.",
                "\tTo sync the vendor directory, run:",
                "\t\tgo mod vendor",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "github.com/spf13/cobra@v1.6.1"},
        ),
        (
            ["go: -race requires cgo; enable cgo by setting CGO_ENABLED=1", FAILED],
            "missing_env_vars",
            {"var": "CGO_ENABLED"},
        ),
        (
            [
                "Error: error creating publisher: KO_DOCKER_REPO environment variable is unset",
                FAILED,
            ],
            "missing_env_vars",
            {"var": "KO_DOCKER_REPO"},
        ),
    ],
)
def test_go_family_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    got_type, got_data = top_finding(tmp_path, lines)
    assert got_type == want
    for key, value in facts.items():
        assert got_data.get(key) == value


@pytest.mark.parametrize(
    "line",
    [
        "    testing.go:1490: race detected during execution of test",
        "        testing.go:1485: panic: runtime error: index out of range [4] with length 4",
        "    testing.go:1152: test executed panic(nil) or runtime.Goexit",
    ],
)
def test_go_testing_package_reports_are_no_location(line: str) -> None:
    assert location(line) is None


def test_go_test_log_line_keeps_its_location() -> None:
    assert location("        main_test.go:55: round trip transformation isn't byte equal") == (
        "main_test.go",
        "55",
    )
