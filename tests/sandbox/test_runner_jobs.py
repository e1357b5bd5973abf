"""Whole workflows through the runner against real bare repositories: jobs, steps, contexts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smartmon.sandbox import RunResult
from tests.sandbox.runner_support import TOKEN, body, job, make_repo, make_runner, request

WF = ".github/workflows/ci.yml"


def run(
    tmp_path: Path,
    workflow: str,
    files: dict[str, str] | None = None,
    runner_kw: dict[str, Any] | None = None,
    **kw: Any,
) -> RunResult:
    bare, _, sha = make_repo(tmp_path, {WF: workflow, **(files or {})})
    runner = make_runner(tmp_path, **(runner_kw or {}))
    return runner.run(request(bare, sha, **kw))


def lines(result: RunResult, name: str) -> list[str]:
    return body(job(result.jobs, name).log)


def test_needs_outputs_and_skipping(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      version: ${{ steps.v.outputs.version }}
      notes: ${{ steps.v.outputs.notes }}
    steps:
      - id: v
        run: |
          echo "version=1.2.3" >> "$GITHUB_OUTPUT"
          { echo "notes<<EOF"; echo "line a"; echo "line b"; echo "EOF"; } >> "$GITHUB_OUTPUT"
  test:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "got ${{ needs.build.outputs.version }} (${{ needs.build.result }})"
          exit 2
  deploy:
    needs: [build, test]
    runs-on: ubuntu-latest
    steps:
      - run: echo never
  report:
    needs: test
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: echo "test was ${{ needs.test.result }}"
""",
    )
    assert result.conclusion == "failure"
    assert [(j.key, j.conclusion) for j in result.jobs] == [
        ("build", "success"),
        ("test", "failure"),
        ("deploy", "skipped"),
        ("report", "success"),
    ]
    build = job(result.jobs, "build")
    assert build.outputs == {"version": "1.2.3", "notes": "line a\nline b"}
    assert "got 1.2.3 (success)" in lines(result, "test")
    assert "##[error]Process completed with exit code 2." in lines(result, "test")
    assert "test was failure" in lines(result, "report")
    assert job(result.jobs, "deploy").steps == [] and job(result.jobs, "deploy").needs == (
        "build",
        "test",
    )
    annotation = job(result.jobs, "test").annotations[0]
    assert (annotation.level, annotation.message) == (
        "failure",
        "Process completed with exit code 2.",
    )


def test_matrix_include_exclude_and_names(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
jobs:
  build:
    runs-on: ${{ matrix.os }}
    strategy:
      fail-fast: false
      matrix:
        os: [ubuntu-latest, ubuntu-22.04]
        py: ['3.11', '3.12']
        exclude:
          - os: ubuntu-22.04
            py: '3.11'
        include:
          - py: '3.12'
            extra: yes
          - os: ubuntu-24.04
            py: '3.13'
    steps:
      - run: echo "leg ${{ matrix.os }}/${{ matrix.py }}/${{ matrix.extra }} ${{ strategy.job-index }}"
  named:
    name: Check ${{ matrix.n }}
    runs-on: ubuntu-latest
    strategy:
      matrix:
        n: [1, 2]
    steps:
      - run: test "${{ matrix.n }}" = 1
""",
    )
    names = [j.name for j in result.jobs]
    assert names == [
        "build (ubuntu-latest, 3.11)",
        "build (ubuntu-latest, 3.12, yes)",
        "build (ubuntu-22.04, 3.12, yes)",
        "build (ubuntu-24.04, 3.13)",
        "Check 1",
        "Check 2",
    ]
    assert "leg ubuntu-22.04/3.12/yes 2" in lines(result, "build (ubuntu-22.04, 3.12, yes)")
    assert job(result.jobs, "build (ubuntu-22.04, 3.12, yes)").labels == ["ubuntu-22.04"]
    assert [j.conclusion for j in result.jobs[-2:]] == ["success", "failure"]


def test_fail_fast_cancels_remaining_legs(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
jobs:
  t:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        n: [1, 2, 3]
    steps:
      - run: exit ${{ matrix.n == 1 && 1 || 0 }}
""",
    )
    assert [j.conclusion for j in result.jobs] == ["failure", "cancelled", "cancelled"]


def test_env_levels_defaults_and_file_commands(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
env:
  LEVEL: workflow
  WF_ONLY: w
defaults:
  run:
    working-directory: sub
jobs:
  a:
    runs-on: ubuntu-latest
    env:
      LEVEL: job
    steps:
      - uses: actions/checkout@v4
      - run: |
          echo "pwd=$(basename "$PWD")"
          echo "FROM_FILE=yes" >> "$GITHUB_ENV"
          mkdir -p "$RUNNER_TEMP/tools" && printf '#!/bin/sh\\necho tool-ran\\n' > "$RUNNER_TEMP/tools/mytool"
          chmod +x "$RUNNER_TEMP/tools/mytool" && echo "$RUNNER_TEMP/tools" >> "$GITHUB_PATH"
          echo "## Summary" >> "$GITHUB_STEP_SUMMARY"
      - env:
          LEVEL: step
        run: |
          echo "level=$LEVEL wf=$WF_ONLY file=$FROM_FILE ctx=${{ env.LEVEL }}"
          mytool
          echo "ci=$CI actions=$GITHUB_ACTIONS repo=$GITHUB_REPOSITORY sha=$GITHUB_SHA ref=$GITHUB_REF"
          echo "attempt=$GITHUB_RUN_ATTEMPT id=$GITHUB_RUN_ID os=$RUNNER_OS job=$GITHUB_JOB"
          python3 -c "import json,os; print('event', json.load(open(os.environ['GITHUB_EVENT_PATH']))['ref'])"
          test "$GITHUB_WORKSPACE" = "$(dirname "$PWD")"
      - shell: python
        working-directory: .
        run: |
          import os
          print("python sees", os.environ["LEVEL"], os.path.isdir("sub"))
      - shell: sh
        run: echo "sh ok"
""",
        files={"sub/keep.txt": "x"},
        run_attempt=3,
    )
    out = lines(result, "a")
    assert result.conclusion == "success", "\n".join(out)
    assert "pwd=sub" in out
    assert "level=step wf=w file=yes ctx=step" in out
    assert "tool-ran" in out
    assert any(line.startswith("ci=true actions=true repo=octo/demo sha=") for line in out)
    assert "attempt=3 id=101 os=Linux job=a" in out
    assert "event refs/heads/main" in out
    assert "python sees job True" in out
    assert "sh ok" in out
    assert "shell: /usr/bin/bash -e {0}" in out
    assert any(line.startswith("shell: ") and line.endswith("python {0}") for line in out)
    assert any(line.endswith("sh -e {0}") for line in out)


def test_if_conditions_continue_on_error_and_step_contexts(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - id: flaky
        continue-on-error: true
        run: exit 3
      - run: echo "outcome=${{ steps.flaky.outcome }} conclusion=${{ steps.flaky.conclusion }}"
      - if: github.ref == 'refs/heads/other'
        run: echo skipped-by-if
      - id: boom
        run: exit 1
      - run: echo not-after-failure
      - if: failure()
        run: echo "cleanup after ${{ steps.boom.outcome }} job=${{ job.status }}"
      - if: always()
        run: echo always-runs
""",
    )
    out = lines(result, "a")
    assert "outcome=failure conclusion=success" in out
    assert "skipped-by-if" not in "\n".join(out)
    assert "not-after-failure" not in "\n".join(out)
    assert "cleanup after failure job=failure" in out
    assert "always-runs" in out
    steps = {s.number: s.conclusion for s in result.jobs[0].steps}
    assert steps == {
        1: "success",
        2: "success",
        3: "success",
        4: "skipped",
        5: "failure",
        6: "skipped",
        7: "success",
        8: "success",
        9: "success",
    }


def test_secrets_are_masked_everywhere(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - env:
          API_KEY: ${{ secrets.API_KEY }}
          TOKEN_COPY: ${{ github.token }}
        run: |
          echo "key is $API_KEY and ${{ secrets.API_KEY }}"
          echo "token $TOKEN_COPY"
          echo "::error title=uses $API_KEY::failed with $API_KEY"
""",
        secrets={"API_KEY": "sk-live-0123456789"},
    )
    log = result.jobs[0].log
    assert "sk-live-0123456789" not in log and TOKEN not in log
    out = body(log)
    assert "  API_KEY: ***" in out and "key is *** and ***" in out and "token ***" in out
    annotation = result.jobs[0].annotations[0]
    assert annotation.message == "failed with ***" and annotation.title == "uses ***"


def test_dispatch_inputs_and_vars(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on:
  workflow_dispatch:
    inputs:
      level:
        default: low
      dry:
        type: boolean
        default: false
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "level=${{ inputs.level }} dry=${{ inputs.dry }} region=${{ vars.REGION }} ev=${{ github.event_name }}"
""",
        event="workflow_dispatch",
        payload={"inputs": {"dry": "true"}},
        variables={"REGION": "eu"},
    )
    assert "level=low dry=true region=eu ev=workflow_dispatch" in lines(result, "a")


def test_step_timeout_and_job_timeout(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
jobs:
  step:
    runs-on: ubuntu-latest
    steps:
      - name: Wait
        timeout-minutes: 0.01
        run: sleep 30
  whole:
    runs-on: ubuntu-latest
    timeout-minutes: 0.01
    steps:
      - run: sleep 30
""",
    )
    step = job(result.jobs, "step")
    assert step.conclusion == "failure"
    assert "##[error]The action 'Wait' has timed out after 0.01 minutes." in body(step.log)
    whole = job(result.jobs, "whole")
    assert whole.conclusion == "cancelled"
    assert (
        "##[error]The job running on runner GitHub Actions 1 has exceeded the maximum "
        "execution time of 0.01 minutes." in body(whole.log)
    )
    assert "##[error]The operation was canceled." in body(whole.log)


def test_unsupported_features_fail_clearly(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
jobs:
  reuse:
    uses: octo/other/.github/workflows/x.yml@main
  box:
    runs-on: ubuntu-latest
    container: python:3.12
    steps:
      - run: echo hi
  mac:
    runs-on: macos-15
    steps:
      - run: echo hi
  js:
    runs-on: ubuntu-latest
    steps:
      - uses: octo/js-action@v1
      - uses: docker://alpine:3
        if: always()
      - run: Write-Host hi
        shell: pwsh
        if: always()
""",
    )
    messages = {j.key: [a.message for a in j.annotations] for j in result.jobs}
    assert messages["reuse"] == [
        "smartmon sandbox cannot run reusable workflows "
        "(jobs.reuse.uses: octo/other/.github/workflows/x.yml@main)"
    ]
    assert messages["box"] == ["smartmon sandbox cannot run jobs.box.container"]
    assert messages["mac"] == [
        "smartmon sandbox runs Linux jobs only; runs-on: macos-15 is not supported"
    ]
    assert messages["js"][0].startswith("smartmon sandbox cannot run action octo/js-action@v1")
    assert (
        messages["js"][1]
        == "smartmon sandbox cannot run Docker container actions (docker://alpine:3)"
    )
    assert messages["js"][2] == "smartmon sandbox cannot run shell 'pwsh' (Linux runner, no pwsh)"
    assert all(j.conclusion == "failure" for j in result.jobs)


def test_composite_actions_local_and_mapped(tmp_path: Path) -> None:
    mapped = tmp_path / "mapped-action"
    mapped.mkdir()
    (mapped / "action.yml").write_text(
        """
name: Greeter
inputs:
  who:
    description: whom
    default: world
  token:
    description: tok
    default: ${{ github.token }}
outputs:
  greeting:
    description: the greeting
    value: ${{ steps.g.outputs.text }}
runs:
  using: composite
  steps:
    - id: g
      shell: bash
      env:
        WHO: ${{ inputs.who }}
      run: |
        echo "hello $WHO from $(basename "$GITHUB_ACTION_PATH") token=${{ inputs.token }}"
        echo "text=hello $WHO" >> "$GITHUB_OUTPUT"
    - shell: bash
      run: ls "${{ github.action_path }}/action.yml"
""",
        encoding="utf-8",
    )
    node = tmp_path / "node-action"
    node.mkdir()
    (node / "action.yml").write_text("name: n\nruns:\n  using: node20\n  main: index.js\n")
    result = run(
        tmp_path,
        """
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: local
        uses: ./.github/actions/local
        with:
          n: "7"
      - id: mapped
        uses: octo/greeter@v1
        with:
          who: sandbox
      - run: echo "local=${{ steps.local.outputs.doubled }} mapped=${{ steps.mapped.outputs.greeting }}"
      - uses: octo/node-thing@v2
""",
        files={
            ".github/actions/local/action.yml": (
                "name: local\ninputs:\n  n:\n    description: n\noutputs:\n  doubled:\n"
                "    description: d\n    value: ${{ steps.calc.outputs.v }}\nruns:\n  using: composite\n"
                "  steps:\n    - id: calc\n      shell: bash\n"
                '      run: echo "v=$(( ${{ inputs.n }} * 2 ))" >> "$GITHUB_OUTPUT"\n'
            )
        },
        runner_kw={"action_map": {"octo/greeter@v1": mapped, "octo/node-thing": node}},
    )
    out = lines(result, "a")
    assert "hello sandbox from mapped-action token=***" in out
    assert "local=14 mapped=hello sandbox" in out
    assert "##[error]smartmon sandbox cannot run node20 action octo/node-thing@v2" in out
    assert "Download action repository 'octo/greeter@v1'" in "\n".join(out)
    assert result.conclusion == "failure"


def test_artifacts_and_cache_round_trip(tmp_path: Path) -> None:
    workflow = """
on: push
jobs:
  make:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: cache
        uses: actions/cache@v4
        with:
          path: ~/.cache/thing
          key: thing-${{ hashFiles('**/lock.txt') }}
      - run: |
          echo "hit=${{ steps.cache.outputs.cache-hit }}"
          mkdir -p ~/.cache/thing out && echo cached > ~/.cache/thing/v && echo data > out/a.txt
      - uses: actions/upload-artifact@v4
        with:
          name: bundle
          path: out/
      - uses: actions/upload-artifact@v4
        with:
          name: bundle
          path: out/a.txt
        continue-on-error: true
  use:
    needs: make
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: bundle
          path: got
      - run: cat got/a.txt
      - uses: actions/download-artifact@v4
        with:
          name: nope
"""
    bare, _, sha = make_repo(tmp_path, {WF: workflow, "lock.txt": "1"})
    runner = make_runner(tmp_path)
    first = runner.run(request(bare, sha))
    make_log = body(job(first.jobs, "make").log)
    assert "hit=false" in make_log
    assert any(line.startswith("Cache not found for input keys: thing-") for line in make_log)
    assert any(line.startswith("Cache saved with key: thing-") for line in make_log)
    assert any(
        "Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict"
        in line
        for line in make_log
    )
    use_log = body(job(first.jobs, "use").log)
    assert "data" in use_log
    assert "##[error]Unable to download artifact(s): Artifact not found for name: nope" in use_log
    second = runner.run(request(bare, sha, run_id=102))
    again = body(job(second.jobs, "make").log)
    assert "hit=true" in again
    assert any(line.startswith("Cache restored from key: thing-") for line in again)


def test_deprecated_action_and_retired_runner(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
jobs:
  old-artifact:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/upload-artifact@v3
        with: {name: x, path: x}
  old-cache:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/cache@v2
        with: {path: x, key: k}
  old-image:
    runs-on: ubuntu-20.04
    steps:
      - run: echo hi
""",
    )
    artifact = job(result.jobs, "old-artifact")
    expected = (
        "This request has been automatically failed because it uses a deprecated version of "
        "`actions/upload-artifact: v3`. Learn more: "
        "https://github.blog/changelog/2024-04-16-deprecation-notice-v3-of-the-artifact-actions/"
    )
    assert [a.message for a in artifact.annotations] == [expected]
    assert [(s.number, s.name, s.conclusion) for s in artifact.steps] == [
        (1, "Set up job", "failure")
    ]
    assert body(artifact.log)[-1] == f"##[error]{expected}"
    assert "Download action repository 'actions/checkout@v4'" in "\n".join(body(artifact.log))
    cache = job(result.jobs, "old-cache").annotations[0].message
    assert "`actions/cache: v2`. Please update your workflow to use v3/v4" in cache
    image = job(result.jobs, "old-image")
    assert image.steps == [] and image.conclusion == "failure"
    assert image.annotations[0].message.startswith("This is a scheduled Ubuntu 20.04 retirement.")


def test_startup_failures(tmp_path: Path) -> None:
    result = run(tmp_path, "on: push\njobs:\n  a:\n    runs-on: x\n\tsteps: []\n")
    assert result.conclusion == "startup_failure" and result.jobs == []
    assert result.annotations[0].message == "You have an error in your yaml syntax on line 5"
    cycle = "on: push\njobs:\n  a: {runs-on: x, needs: b, steps: [{run: x}]}\n  b: {runs-on: x, needs: a, steps: [{run: x}]}\n"
    (tmp_path / "2").mkdir()
    result = run(tmp_path / "2", cycle)
    assert result.conclusion == "startup_failure"
    assert "which creates a cycle in the dependency graph" in result.annotations[0].message


def test_partial_rerun_uses_previous_jobs(tmp_path: Path) -> None:
    workflow = """
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      v: ${{ steps.s.outputs.v }}
    steps:
      - id: s
        run: echo "v=$GITHUB_RUN_ATTEMPT" >> "$GITHUB_OUTPUT"
  test:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "build said ${{ needs.build.outputs.v }}"
          test "$GITHUB_RUN_ATTEMPT" != 1
"""
    bare, _, sha = make_repo(tmp_path, {WF: workflow})
    runner = make_runner(tmp_path)
    first = runner.run(request(bare, sha))
    assert first.conclusion == "failure"
    previous = {"build": [job(first.jobs, "build")], "test": [job(first.jobs, "test")]}
    second = runner.run(
        request(bare, sha, run_attempt=2, jobs_to_run={"test"}, previous_jobs=previous)
    )
    assert [j.key for j in second.jobs] == ["test"]
    assert second.conclusion == "success"
    assert "build said 1" in body(second.jobs[0].log)


def test_working_directory_expressions_and_composite_defaults(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
defaults:
  run:
    working-directory: sub
jobs:
  a:
    runs-on: ubuntu-latest
    env:
      DIR: sub/deeper
    steps:
      - uses: actions/checkout@v4
      - working-directory: ${{ env.DIR }}
        run: echo "in $(basename "$PWD")"
      - uses: ./.github/actions/where
""",
        files={
            "sub/deeper/x": "x",
            ".github/actions/where/action.yml": (
                "name: where\nruns:\n  using: composite\n  steps:\n"
                '    - shell: bash\n      run: echo "composite in $(basename "$PWD")"\n'
            ),
        },
    )
    out = lines(result, "a")
    assert "in deeper" in out
    assert "composite in demo" in out  # composite steps ignore the workflow's run defaults


def test_background_processes_do_not_hold_the_step_and_are_cleaned_up(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          sleep 300 &
          echo started
      - run: echo next
""",
    )
    out = lines(result, "a")
    assert result.conclusion == "success"
    assert "started" in out and "next" in out
    assert out[-2] == "Cleaning up orphan processes"
    assert out[-1].startswith("Terminate orphan process: pid (") and out[-1].endswith(") (sleep)")


def test_job_continue_on_error_keeps_the_run_green(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
jobs:
  t:
    runs-on: ubuntu-latest
    continue-on-error: ${{ matrix.experimental }}
    strategy:
      matrix:
        experimental: [true, false]
    steps:
      - run: exit ${{ matrix.experimental && 1 || 0 }}
""",
    )
    assert [j.conclusion for j in result.jobs] == ["failure", "success"]
    assert result.conclusion == "success"


def test_a_missing_interpreter_fails_the_run_with_a_reason(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n",
        runner_kw={"python": str(tmp_path / "no-such-python")},
    )
    assert result.conclusion == "failure" and result.jobs == []
    assert result.annotations[0].message.startswith("smartmon sandbox cannot start jobs: ")


def test_step_debug_logging_from_a_variable(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "::debug::details here"
          echo "runner debug=$RUNNER_DEBUG"
""",
        variables={"ACTIONS_STEP_DEBUG": "true"},  # a secret "true" would mask every "true"
    )
    out = lines(result, "a")
    assert out[out.index("Complete job name: a") + 1 :][:3] == [
        "##[debug]Evaluating condition for step: 'Run echo \"::debug::details here\"'",
        "##[debug]Evaluating: success()",
        "##[debug]Result: true",
    ]
    assert "##[debug]details here" in out and "runner debug=1" in out
