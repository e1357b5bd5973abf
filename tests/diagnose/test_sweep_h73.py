"""Go tests, modules and toolchains (fourth sweep): the test a Go panic names after its test returned,
and the families the sweep widened (old go vet rows without a column, the module proxy's "not found",
toolchain errors relayed by golangci-lint, cmd/go outside a module), pasted and downloaded.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/20-setup.yaml, 45-langs.yaml, 50-build.yaml), in failed_tests.py, or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, TS, assert_finding, top_finding


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # testing.(*common).Fail after the test returned (moby/buildkit #3191, on Windows).
        (
            [
                "=== RUN   TestCacheMountSharedRefs",
                "panic: Fail in goroutine after TestCacheMountLockedRefs has completed",
                "",
                "goroutine 14 [running]:",
            ],
            "TestCacheMountLockedRefs",
        ),
        # t.Log from a leaked goroutine: the message follows the name; a subtest keeps its path.
        (
            ["panic: Log in goroutine after TestWatch/dir has completed: watching /tmp/x"],
            "TestWatch/dir",
        ),
        # Not testing's panic: a program's own message that mentions a test is no test name.
        (["panic: Fail in goroutine after setup has completed"], None),
    ],
)
def test_named_failure_goroutine_after_test(lines: list[str], want: str | None) -> None:
    assert named_failure(lines) == want


_GO_TEST = ["##[group]Run go test -v ./...", "go test -v ./...", "##[endgroup]"]


def test_panic_after_test_completed_names_that_test_downloaded(tmp_path: Path) -> None:
    lines = [
        *_GO_TEST,
        "=== RUN   TestWatcher",
        "--- PASS: TestWatcher (0.01s)",
        "panic: Log in goroutine after TestWatcher has completed: watching /tmp/TestWatcher123",
        "",
        "goroutine 31 [running]:",
        "testing.(*common).logDepth(0xc000183a00, {0xc0001ba000, 0x30}, 0x3)",
        "\t/opt/hostedtoolcache/go/1.21.5/x64/src/testing/testing.go:1022 +0x6d4",
        "FAIL\tgithub.com/acme/app/watch\t0.114s",
        FAILED,
    ]
    got, data = top_finding(tmp_path, [TS + line for line in lines])
    assert (got, data.get("test")) == ("test_failure", "TestWatcher")


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # go vet before Go 1.10 (and `go tool vet`): no column, under "# pkg" headers (mosn/mosn #249).
        (
            [
                "Run go vet ./pkg/...",
                "# github.com/acme/mesh/pkg/router",
                "pkg/router/routeruleimpl.go:65: return copies lock value: "
                "router.RouteRuleImplBase contains sync.Mutex",
                "pkg/router/virtualhostimpl.go:50: literal copies lock value from "
                "routeRuleImplBase: router.RouteRuleImplBase contains sync.Mutex",
            ],
            "lint_failure",
            {"file": "pkg/router/routeruleimpl.go", "line": "65", "tool": "go vet"},
        ),
        (
            [
                "$ go vet ./...",
                "# github.com/acme/app/api",
                "api/client.go:31:3: fmt.Errorf call needs 1 arg but has 2 args",
            ],
            "lint_failure",
            {"file": "api/client.go", "line": "31"},
        ),
        # The module proxy's "not found" in Go 1.12-1.13's words (golang/go #32542).
        (
            [
                "Run go build ./...",
                "go: github.com/acme/lib@v0.0.0-20181023043359-a85b471d5412: unexpected status "
                "(https://proxy.golang.org/github.com/acme/lib/@v/"
                "v0.0.0-20181023043359-a85b471d5412.info): 410 Gone",
            ],
            "dependency_conflict",
            {"package": "github.com/acme/lib@v0.0.0-20181023043359-a85b471d5412"},
        ),
        # A toolchain that does not exist, relayed by golangci-lint (grokify/mogo #105).
        (
            [
                "Run golangci-lint run",
                'level=error msg="Running error: context loading failed: failed to load packages: '
                "failed to load with go/packages: err: exit status 1: stderr: go: downloading go1.22 "
                '(linux/amd64)\\ngo: download go1.22 for linux/amd64: toolchain not available\\n"',
            ],
            "dependency_conflict",
            {"version": "1.22"},
        ),
        # A go.work newer than the runner's Go.
        (
            ["go: go.work requires go >= 1.23.2 (running go 1.22.8; GOTOOLCHAIN=local)"],
            "dependency_conflict",
            {"version": "1.23.2"},
        ),
        # golangci-lint's version check wrapped in an issue after "golangci-lint" (openziti/identity #74).
        (
            [
                "can't load config: the Go language version (go1.24) used to build golangci-lint",
                "is lower than the targeted Go version (1.25.0)",
            ],
            "dependency_conflict",
            {"tool": "golangci-lint"},
        ),
        # cmd/go run outside the module.
        (
            [
                "Run go test ./...",
                "go: go.mod file not found in current directory or any parent directory; "
                "see 'go help modules'",
            ],
            "missing_dependency",
            {},
        ),
        (
            [
                "go: cannot find main module, but found .git/config in /home/runner/work/app/app",
                "\tto create a module there, run:",
                "\tgo mod init",
            ],
            "missing_dependency",
            {},
        ),
        (
            [
                "pattern ./...: directory prefix . does not contain main module or its selected dependencies"
            ],
            "missing_dependency",
            {},
        ),
        # A `replace` to a folder the job does not have.
        (
            [
                "Run go build ./...",
                "go: github.com/acme/lib@v0.0.0-00010101000000-000000000000: "
                "replacement directory ../lib does not exist",
            ],
            "missing_dependency",
            {"module": "github.com/acme/lib"},
        ),
    ],
)
def test_sweep_families_pasted(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    "lines",
    [
        # The toolchain download that worked, and tests named after the errors they check.
        [
            "##[group]Run go test ./...",
            "go test ./...",
            "##[endgroup]",
            "go: downloading go1.22.8 (linux/amd64)",
            "=== RUN   TestVetCompositeLiteralUsesUnkeyedFields",
            "--- PASS: TestVetCompositeLiteralUsesUnkeyedFields (0.00s)",
            "=== RUN   TestProxy410Gone",
            "    proxy_test.go:20: got 410 Gone as expected",
            "--- PASS: TestProxy410Gone (0.00s)",
            "PASS",
            "ok  \tgithub.com/acme/app/proxy\t0.012s",
        ],
    ],
)
def test_passing_go_jobs_are_no_finding(tmp_path: Path, lines: list[str]) -> None:
    got, _ = top_finding(tmp_path, [TS + line for line in lines])
    assert got is None
