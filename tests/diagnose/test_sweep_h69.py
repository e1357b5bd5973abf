"""Short pasted excerpts (fourth sweep): a bare token refusal under a popular action's step gets the
scope the action's docs name; a build driver's last word, Ruby's NameError and Elixir's unloaded
module are failures in a paste that has nothing else; unresolved actions in the runner's older wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.api_requests import action_need
from smartmon.workflows import action_write_scope
from tests.diagnose.joblog import assert_finding, top_finding


@pytest.mark.parametrize(
    ("uses", "scope"),
    [
        ("svenstaro/upload-release-action@v2", "contents"),
        ("ncipollo/release-action@v1", "contents"),
        ("anothrNick/github-tag-action@1.64.0", "contents"),
        ("SoftProps/Action-GH-Release@v1", "contents"),  # GitHub's names are case-blind
        ("peter-evans/create-pull-request@v6", None),  # writes two scopes: which was refused?
        ("docker/login-action@v3", None),  # packages only as ghcr.io's login
        ("acme/unknown-action@v1", None),
    ],
)
def test_action_write_scope(uses: str, scope: str | None) -> None:
    assert action_write_scope(uses) == scope


def test_action_need_only_for_a_refusal() -> None:
    action = "svenstaro/upload-release-action"
    assert action_need(action, ["Error: Resource not accessible by integration"]) == {
        "scope": "contents",
        "access": "write",
    }
    # A bare 403 may be another host's (a release asset's storage, a mirror): no scope from it.
    assert action_need(action, ["Error: HttpError: 403 Forbidden"]) == {}
    assert (
        action_need(action, ["Error: ENOENT: no such file or directory, stat 'dist/app.zip'"]) == {}
    )


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        (  # svenstaro/upload-release-action #79: the header and the bare refusal, nothing else
            [
                "Run svenstaro/upload-release-action@v2",
                "  with:",
                "    repo_token: ***",
                "Error: Resource not accessible by integration",
            ],
            {"scope": "contents", "action": "svenstaro/upload-release-action"},
        ),
        (
            [
                "Run ncipollo/release-action@v1",
                "Error: Error 403: Resource not accessible by integration",
            ],
            {"scope": "contents"},
        ),
        (  # the request itself, when printed, still decides
            [
                "Run ncipollo/release-action@v1",
                "HTTP 403: Resource not accessible by integration (https://api.github.com/repos/o/r/issues/1/comments)",
            ],
            {"scope": "issues"},
        ),
    ],
)
def test_bare_refusal_under_a_known_action(
    tmp_path: Path, lines: list[str], facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, "permission_error", facts)


@pytest.mark.parametrize(
    "last",
    [
        "make: *** [Makefile:82: _all] Error 2",
        "make[2]: *** [src/CMakeFiles/app.dir/build.make:76: src/CMakeFiles/app.dir/main.c.o] Error 1",
        "make: *** No rule to make target 'gen/version.h', needed by 'src/main.o'.  Stop.",
        "ninja: build stopped: subcommand failed.",
        "rake aborted!",
        "** BUILD FAILED **",
        "[06:03:21]: ▸ ** BUILD FAILED **",
        "error Command failed with exit code 1.",
    ],
)
def test_a_build_drivers_last_word_is_a_failure(tmp_path: Path, last: str) -> None:
    # Pasted without the runner's trailer and with no cause the catalog knows: not a passing job.
    assert top_finding(tmp_path, ["$ ./ci/build.sh", "building...", last])[0] == "unknown"


@pytest.mark.parametrize(
    ("lines", "test"),
    [
        (["  ** TEST FAILED **"], None),
        (["[06:03:21]: ▸ ** TEST FAILED **"], None),
        (
            ["  1) test parses numbers (Widget.ParserTest)", "     test/widget/parser_test.exs:12"],
            "test parses numbers",
        ),
        (
            [
                "  1) [chromium] › tests/login.spec.ts:12:5 › login › shows error ─────────────",
                "    Error: expect(locator).toBeVisible() failed",
            ],
            "login › shows error",
        ),
    ],
)
def test_pasted_test_failure_headers(tmp_path: Path, lines: list[str], test: str | None) -> None:
    got, facts = top_finding(tmp_path, ["$ ./ci/test.sh", *lines])
    assert got == "test_failure"
    if test:
        assert facts.get("test") == test


def test_a_known_cause_outranks_the_build_drivers_last_word(tmp_path: Path) -> None:
    lines = [
        "main.c:3:10: fatal error: openssl/ssl.h: No such file or directory",
        "compilation terminated.",
        "make: *** [Makefile:12: main.o] Error 1",
    ]
    assert top_finding(tmp_path, lines)[0] == "missing_dependency"


@pytest.mark.parametrize(
    "lines",
    [
        ["make: [default] Error 2 (ignored)", "make: Leaving directory '/home/runner/work/a/a'"],
        ["** BUILD SUCCEEDED **"],
        ["ninja: no work to do."],
    ],
)
def test_build_driver_look_alikes_pass(tmp_path: Path, lines: list[str]) -> None:
    assert top_finding(tmp_path, ["$ make", *lines])[0] is None


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (["rake aborted!", "NameError: uninitialized constant DPL", "Did you mean?  Dpl"], "DPL"),
        (
            [
                "/home/runner/work/app/app/vendor/bundle/ruby/3.2.0/gems/zeitwerk-2.6.7/lib/zeitwerk/loader/"
                "helpers.rb:135:in `const_get': uninitialized constant Scanner::CoreExt::String (NameError)",
            ],
            "Scanner::CoreExt::String",
        ),
        (["rake aborted!", "uninitialized constant Rake::DSL"], "Rake::DSL"),
    ],
)
def test_ruby_uninitialized_constant(tmp_path: Path, lines: list[str], name: str) -> None:
    assert_finding(tmp_path, ["Run bundle exec rake", *lines], "import_error", {"name": name})


@pytest.mark.parametrize(
    ("line", "module"),
    [
        (
            "** (CompileError) lib/recon_alloc.ex:2: module :recon_alloc is not loaded and could not be found",
            ":recon_alloc",
        ),
        (
            "    error: module Nitro is not loaded and could not be found. This may be happening because the"
            " module you are trying to load directly or indirectly depends on the current module",
            "Nitro",
        ),
    ],
)
def test_elixir_module_not_loaded_is_no_syntax_error(
    tmp_path: Path, line: str, module: str
) -> None:
    lines = [
        "Run mix compile --warnings-as-errors",
        "== Compilation error in file lib/x.ex ==",
        line,
    ]
    assert_finding(tmp_path, lines, "missing_dependency", {"module": module})


@pytest.mark.parametrize(
    ("line", "action"),
    [
        (
            "Error: Unable to resolve actions. Repository not found: acme/package-analyzer.",
            "acme/package-analyzer",
        ),
        (
            "Error: Unable to resolve actions. Repository not found : acme/quality-gate-action.",
            "acme/quality-gate-action",
        ),
    ],
)
def test_unresolved_action_with_a_trailing_period(tmp_path: Path, line: str, action: str) -> None:
    lines = ["Prepare all required actions", "Getting action download info", line]
    assert_finding(tmp_path, lines, "deprecated_action", {"action": action})
