"""Lines that end a command only where the script stopped there (diagnose/exit_next.py's
`exit-or-paste-end` and `git-lines-to-exit`), the classic builder's platform error only under a build
(diagnose/docker_builds.py), git's 408 only off a push (diagnose/later_lines.py)."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, write_job

RM = "rm: cannot remove 'coverage.xml': No such file or directory"
AWS = (
    "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id "
    "app-prod does not exist"
)
PUSH = "error: failed to push some refs to 'https://github.com/acme/app'"
PLATFORM = (
    'Error response from daemon: "amd64,linux" is an invalid component of "linux/amd64,linux/arm64": '
    'platform specifier component must match "^[A-Za-z0-9_-]+$": invalid argument'
)


def _rules(tmp_path: Path, lines: list[str], *, stamped: bool = True) -> list[str]:
    return [f.rule for f in analyze_paths([write_job(tmp_path, lines, stamped=stamped)]).findings]


def test_rm_right_over_the_exit_line(tmp_path: Path) -> None:
    assert _rules(tmp_path, [*run_step("./ci.sh", RM), FAILED])[:1] == ["rm-target-missing"]


def test_rm_the_script_went_past(tmp_path: Path) -> None:
    lines = [*run_step("./ci.sh", RM, "running tests", "3 of 40 checks did not pass"), FAILED]
    assert "rm-target-missing" not in _rules(tmp_path, lines)


def test_rm_a_paste_that_stops_there(tmp_path: Path) -> None:
    lines = ["Run docker/build-push-action@v6", "  with:", "    context: .", RM]
    assert _rules(tmp_path, lines, stamped=False)[:1] == ["rm-target-missing"]


def test_rm_under_docker_s_own_failure_lines(tmp_path: Path) -> None:
    # BuildKit's box around the RUN's output follows it (its own ERROR line is a rule's of its own).
    lines = run_step("docker build .", RM, "------")
    assert _rules(tmp_path, [*lines, FAILED])[:1] == ["rm-target-missing"]


def test_aws_probe_the_script_went_past(tmp_path: Path) -> None:
    lines = [*run_step("./ci.sh", AWS, "Creating stack app-prod", "3 of 40 checks did not pass")]
    assert "aws-cli-call-refused" not in _rules(tmp_path, [*lines, FAILED])


def test_aws_refusal_that_ended_the_step(tmp_path: Path) -> None:
    assert _rules(tmp_path, [*run_step("./ci.sh", AWS), FAILED])[:1] == ["aws-cli-call-refused"]


def test_aws_throttle_then_a_retried_deploy(tmp_path: Path) -> None:
    throttled = (
        "An error occurred (ThrottlingException) when calling the DescribeStacks operation "
        "(reached max retries: 4): Rate exceeded"
    )
    lines = run_step("./deploy.sh", throttled, "deploy ok", "3 of 40 checks did not pass")
    assert "aws-call-throttled" not in _rules(tmp_path, [*lines, FAILED])


def test_push_with_only_git_s_lines_to_the_exit(tmp_path: Path) -> None:
    lines = run_step(
        "git push",
        "To https://github.com/acme/app",
        " ! [rejected]        v1.2.0 -> v1.2.0 (already exists)",
        PUSH,
        "hint: Updates were rejected because the tag already exists in the remote.",
        "",
    )
    assert _rules(tmp_path, [*lines, FAILED])[:1] == ["git-push-refs-failed"]


def test_push_under_a_wrapper_s_exit_report(tmp_path: Path) -> None:
    lines = run_step(
        "./release.sh",
        PUSH,
        "hint: Updates were rejected because a pushed branch tip is behind its remote",
        "Error: Invalid status code: 1",
    )
    assert _rules(tmp_path, lines)[:1] == ["git-push-refs-failed"]


def test_push_the_script_retried(tmp_path: Path) -> None:
    lines = run_step(
        "./ci.sh",
        PUSH,
        "push failed, will retry",
        "To https://github.com/acme/app",
        "   abc..def  main -> main",
        "3 of 40 checks did not pass",
    )
    assert "git-push-refs-failed" not in _rules(tmp_path, [*lines, FAILED])


def test_platform_list_under_a_classic_build(tmp_path: Path) -> None:
    lines = run_step(
        "docker build --platform linux/amd64,linux/arm64 -t app .",
        "Sending build context to Docker daemon  2.048kB",
        PLATFORM,
    )
    assert _rules(tmp_path, [*lines, FAILED])[:1] == ["docker-classic-builder-platform-unparsed"]


def test_platform_list_under_docker_pull_or_run(tmp_path: Path) -> None:
    for command in ("docker pull", "docker run"):
        lines = run_step(f"{command} --platform linux/amd64,linux/arm64 alpine:3", PLATFORM)
        assert "docker-classic-builder-platform-unparsed" not in _rules(tmp_path, [*lines, FAILED])


def test_git_408_on_a_fetch_and_on_a_push(tmp_path: Path) -> None:
    rpc = "error: RPC failed; HTTP 408 curl 18 HTTP/2 stream 7 was reset"
    fetch = run_step("git fetch origin", rpc, "fatal: expected flush after ref listing")
    assert _rules(tmp_path, [*fetch, FAILED])[:1] == ["git-transfer-failed"]
    push = run_step(
        "git push origin main",
        rpc,
        "send-pack: unexpected disconnect while reading sideband packet",
        "Everything up-to-date",
    )
    assert "git-transfer-failed" not in _rules(tmp_path, [*push, FAILED])


# Review rev54's look-alikes.
def test_a_scripts_error_tally_after_rm_is_no_docker_line(tmp_path: Path) -> None:
    body = [RM, "ERROR: 3 integration tests failed, see report.xml"]
    assert "rm-target-missing" not in _rules(tmp_path, [*run_step("./release.sh", *body), FAILED])


def test_github_push_actions_own_exit_report(tmp_path: Path) -> None:
    # ad-m/github-push-action (a Node action, no runner exit line) throws "Invalid exit code: N".
    lines = [
        "##[group]Run ad-m/github-push-action@master",
        "with:",
        "  branch: main",
        "##[endgroup]",
    ]
    lines += [
        "To https://github.com/acme/app.git",
        " ! [rejected]        main -> main (fetch first)",
    ]
    lines += [PUSH, "hint: Updates were rejected because the remote contains work that you do"]
    lines += ["##[error]Invalid exit code: 1"]
    assert _rules(tmp_path, lines)[:1] == ["git-push-refs-failed"]


def test_the_legacy_builders_banner_shows_a_build(tmp_path: Path) -> None:
    banner = "DEPRECATED: The legacy builder is deprecated and will be removed in a future release."
    lines = [*run_step("./build.sh", banner, PLATFORM), FAILED]
    assert _rules(tmp_path, lines)[:1] == ["docker-classic-builder-platform-unparsed"]


def test_a_fetch_timeout_in_a_script_that_pushes_later(tmp_path: Path) -> None:
    script = ["git fetch --unshallow origin", "git push origin HEAD:main"]
    lines = ["##[group]Run git fetch --unshallow origin", *script, "shell: /usr/bin/bash -e {0}"]
    lines += [
        "##[endgroup]",
        "error: RPC failed; HTTP 408 curl 22 The requested URL returned error: 408",
    ]
    lines += ["fatal: expected flush after ref listing", FAILED]
    assert _rules(tmp_path, lines)[:1] == ["git-transfer-failed"]
