"""The job log is GitHub's downloaded format, line for line where the runner's text is fixed."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from smartmon.sandbox import JobResult
from tests.sandbox.runner_support import LINE_RE, body, make_repo, make_runner, request

WORKFLOW = """\
name: CI
on: push
permissions:
  contents: read
  pull-requests: write
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Greet
        env:
          WHO: sandbox
        run: |
          echo "hello $WHO"
          printf 'a\\nb\\n'
      - run: exit 7
      - run: echo never
"""


def run_build(tmp_path: Path) -> JobResult:
    bare, _, sha = make_repo(tmp_path, {".github/workflows/ci.yml": WORKFLOW})
    result = make_runner(tmp_path).run(request(bare, sha))
    assert result.conclusion == "failure"
    (job,) = result.jobs
    return job


def test_every_line_timestamped_and_groups_balanced(tmp_path: Path) -> None:
    job = run_build(tmp_path)
    raw = job.log.splitlines()
    assert raw and all(LINE_RE.match(line) for line in raw)
    assert job.log.endswith("\n") and not job.log.startswith("\ufeff")
    open_group = False
    for line in body(job.log):
        if line.startswith("##[group]"):
            assert not open_group, "nested group"
            open_group = True
        elif line == "##[endgroup]":
            assert open_group, "endgroup without group"
            open_group = False
    assert not open_group
    assert "".join(step.log for step in job.steps) == job.log


def test_set_up_job_boilerplate(tmp_path: Path) -> None:
    setup = body(run_build(tmp_path).steps[0].log)
    assert re.fullmatch(r"Current runner version: '2\.\d{3}\.\d+'", setup[0])
    assert setup[setup.index("##[group]Operating System") + 1] == "Ubuntu"
    runner_image = setup.index("##[group]Runner Image")
    assert setup[runner_image + 1] == "Image: ubuntu-24.04"
    perms = setup.index("##[group]GITHUB_TOKEN Permissions")
    assert setup[perms + 1 : perms + 5] == [
        "Contents: read",
        "Metadata: read",
        "PullRequests: write",
        "##[endgroup]",
    ]
    tail = setup[perms + 5 :]
    assert tail[:5] == [
        "Secret source: Actions",
        "Prepare workflow directory",
        "Prepare all required actions",
        "Getting action download info",
        tail[4],
    ]
    assert re.fullmatch(
        r"Download action repository 'actions/checkout@v4' \(SHA:[0-9a-f]{40}\)", tail[4]
    )
    assert tail[5:] == ["Complete job name: build"]


def test_run_step_header_output_and_trailer(tmp_path: Path) -> None:
    job = run_build(tmp_path)
    steps = [(s.number, s.name, s.conclusion) for s in job.steps]
    assert steps == [
        (1, "Set up job", "success"),
        (2, "Run actions/checkout@v4", "success"),
        (3, "Greet", "success"),
        (4, "Run exit 7", "failure"),
        (5, "Run echo never", "skipped"),
        (6, "Post Run actions/checkout@v4", "success"),
        (7, "Complete job", "success"),
    ]
    assert body(job.steps[2].log) == [
        '##[group]Run echo "hello $WHO"',
        '\x1b[36;1mecho "hello $WHO"\x1b[0m',
        "\x1b[36;1mprintf 'a\\nb\\n'\x1b[0m",
        "shell: /usr/bin/bash -e {0}",
        "env:",
        "  WHO: sandbox",
        "##[endgroup]",
        "hello sandbox",
        "a",
        "b",
    ]
    assert body(job.steps[3].log) == [
        "##[group]Run exit 7",
        "\x1b[36;1mexit 7\x1b[0m",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        "##[error]Process completed with exit code 7.",
    ]
    assert job.steps[4].log == ""
    post = body(job.steps[5].log)
    assert post[0] == "Post job cleanup." and post[1].endswith("git version")
    assert body(job.steps[6].log) == ["Cleaning up orphan processes"]
    checkout = body(job.steps[1].log)
    assert checkout[0] == "##[group]Run actions/checkout@v4"
    assert checkout[1:4] == ["with:", "  repository: octo/demo", "  token: ***"]
    assert "Syncing repository: octo/demo" in checkout
    assert any(re.fullmatch(r"[0-9a-f]{40}", line) for line in checkout)


def test_step_times_are_ordered(tmp_path: Path) -> None:
    job = run_build(tmp_path)
    times = [(s.started_at, s.completed_at) for s in job.steps]
    assert job.started_at <= times[0][0]
    for (start, end), (next_start, _) in itertools.pairwise(times):
        assert start <= end <= next_start
    assert times[-1][1] <= job.completed_at


def test_annotations_without_a_file_point_at_their_log_line(tmp_path: Path) -> None:
    job = run_build(tmp_path)
    (annotation,) = job.annotations
    assert annotation.message == "Process completed with exit code 7."
    assert annotation.path == ".github"
    assert (
        body(job.log)[annotation.start_line - 1] == "##[error]Process completed with exit code 7."
    )
    assert annotation.end_line == annotation.start_line
