"""Verdicts the containers and self-hosted runners sweep (helper h81) relies on beyond the rules' own
examples: a step that ends on the runner's Node failing to start in the job container, with no failure
marker after it; the runner's own `_temp` and `_tool` folders beside the checkouts are no repository
files; programs built for another architecture name the command.

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.repo_paths import repo_path
from tests.diagnose.joblog import FAILED, TS, run_step, top_finding

_CHECKOUT = [
    "##[group]Run actions/checkout@v4",
    "with:",
    "  repository: acme/widgets",
    "##[endgroup]",
    '##[command]/usr/bin/docker exec  55707bba464e sh -c "cat /etc/*release | grep ^ID"',
]
_POST = ["Post job cleanup.", "Cleaning up orphan processes"]


def _stamped(lines: list[str]) -> list[str]:
    return [TS + line for line in lines]


@pytest.mark.parametrize(
    "line",
    [
        # actions/checkout #1590: an image older than the runner's node20 needs.
        "/__e/node20/bin/node: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.28' not found "
        "(required by /__e/node20/bin/node)",
        # dawidd6/action-download-artifact #261: a self-hosted runner's own externals.
        "/home/agent/actions-runner/externals/node20/bin/node: /lib64/libm.so.6: version "
        "`GLIBC_2.27' not found (required by /home/agent/actions-runner/externals/node20/bin/node)",
        # CloudSnorkel/cdk-github-runners #342: the externals are not mounted into the container.
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "/__e/node16/'
        'bin/node": stat /__e/node16/bin/node: no such file or directory: unknown',
        # actions/upload-artifact #361: an Alpine container on ARM.
        "exec /__e/node16_alpine/bin/node: no such file or directory",
    ],
)
def test_container_node_line_ends_the_job_without_a_marker(tmp_path: Path, line: str) -> None:
    got, _ = top_finding(tmp_path, _stamped([*_CHECKOUT, line, *_POST]))
    assert got == "runner_failure"


def test_container_node_line_then_a_step_that_ran_is_no_failure(tmp_path: Path) -> None:
    # `continue-on-error: true` on the checkout: the job went on and passed.
    line = (
        "/__e/node20/bin/node: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.28' not found "
        "(required by /__e/node20/bin/node)"
    )
    steps = [*_CHECKOUT, line, *run_step("make test", "ok  all 12 tests passed"), *_POST]
    got, _ = top_finding(tmp_path, _stamped(steps))
    assert got is None


@pytest.mark.parametrize(
    ("path", "want"),
    [
        # actions/runner #2278: the runner's file commands inside a job container.
        ("/__w/_temp/_runner_file_commands/save_state_e8510c3c", None),
        ("/__w/_tool/go/1.22.1/x64/src/net/http/server.go", None),
        ("/home/runner/_work/_tool/Python/3.12.1/x64/lib/python3.12/json/decoder.py", None),
        ("C:\\actions-runner\\_work\\_temp\\4d150768.ps1", None),
        ("D:\\a\\_temp\\4d150768.ps1", None),
        ("/d/a/_temp/4d150768.sh", None),
        # the checkouts themselves, and a folder of the repository that happens to be called _temp
        ("/__w/widgets/widgets/src/main.c", "src/main.c"),
        ("/home/ubuntu/actions-runner/_work/widgets/widgets/pkg/util.py", "pkg/util.py"),
        ("C:\\actions-runner\\_work\\widgets\\widgets\\src\\Program.cs", "src/Program.cs"),
        ("/home/runner/work/widgets/widgets/_temp/fixture.json", "_temp/fixture.json"),
    ],
)
def test_runner_folders_beside_the_checkouts_are_not_the_repository(
    path: str, want: str | None
) -> None:
    assert repo_path(path) == want


@pytest.mark.parametrize(
    ("line", "command"),
    [
        # actions/partner-runner-images #106: an amd64 ~/.cargo restored on ubuntu-22.04-arm.
        (
            "/home/runner/work/_temp/d3268bd4.sh: line 1: /home/runner/.cargo/bin/rustup: cannot "
            "execute binary file: Exec format error",
            "rustup",
        ),
        # github/git-sizer #63: an i386 build on macOS.
        ("-bash: /usr/local/bin/git-sizer: Bad CPU type in executable", "git-sizer"),
        # pguyot/arm-runner-action #132: the runner cannot start the step's shell.
        (
            "Error: An error occurred trying to start process '/usr/bin/bash' with working directory "
            "'/home/pi/actions-runner/_work/iiab/iiab'. Exec format error",
            "bash",
        ),
    ],
)
def test_binary_for_another_architecture_names_the_command(
    tmp_path: Path, line: str, command: str
) -> None:
    got, data = top_finding(tmp_path, _stamped([*run_step("./build.sh", line), FAILED]))
    assert (got, data.get("command")) == ("missing_tool", command)


def test_wsl_bash_on_a_windows_runner_is_git_bash_missing(tmp_path: Path) -> None:
    # actions/runner #1328: the pasted step, without the runner's trailer.
    lines = [
        "Run ls",
        "  ls",
        "  shell: C:\\Windows\\system32\\bash.EXE --noprofile --norc -e -o pipefail {0}",
        "/bin/bash: C:actions-runner_work_temp9928f894-24aa-42cc-b75c-7cc78ff93ccc.sh: No such file "
        "or directory",
    ]
    assert top_finding(tmp_path, lines) == ("missing_tool", {"command": "bash"})


def test_container_action_notice_in_a_passing_macos_job_is_no_failure(tmp_path: Path) -> None:
    # The runner's Set up job notice on macOS; the Docker action's step never ran (its `if:`).
    lines = [
        "Download action repository 'acme/lint-action@v1' (SHA:1111111111111111111111111111111111111111)",
        "Container action is only supported on Linux, skip pull and build docker images.",
        *run_step("swift build", "Build complete! (29.12s)"),
        *_POST,
    ]
    assert top_finding(tmp_path, _stamped(lines)) == (None, {})


def test_container_hook_message_after_a_failing_step_is_not_the_cause(tmp_path: Path) -> None:
    # actions/runner #3178: in Kubernetes mode the hooks print their message after every failing
    # step; the step's own error (here ruff's) is the cause.
    lines = [
        "Run ruff check .",
        "pkg/util.py:3:8: F401 [*] `os` imported but unused",
        "Found 1 error.",
        "Error: Error: failed to run script step: command terminated with non-zero exit code: error "
        "executing command [sh -e /__w/_temp/ccaaadc0-d72a-11ee-8141-5bd0b7d29442.sh], exit code 1",
        "Error: Process completed with exit code 1.",
        "Error: Executing the custom container implementation failed. Please contact your self hosted "
        "runner administrator.",
    ]
    got, data = top_finding(tmp_path, lines)
    assert (got, data.get("file"), data.get("tool")) == ("lint_failure", "pkg/util.py", "ruff")
