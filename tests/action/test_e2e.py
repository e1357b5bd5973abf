"""Acceptance of issue 6, end to end: scenario repositories in the sandbox with
examples/on-failure.yml installed and `uses: owner/smartmon-action@v1` mapped to this checkout.
A failing CI run triggers the healer workflow, whose composite action installs smartmon
(hash-checked), heals, delivers, and the next run passes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.action import e2e_support as es

pytestmark = pytest.mark.slow


def _by_name(runs: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [r for r in runs if r["name"] == name]


def _healer_for(runs: list[dict[str, Any]], ci_run: dict[str, Any]) -> dict[str, Any]:
    """The healer run whose event was `ci_run` (the sandbox numbers runs in creation order)."""
    healers = sorted(
        (r for r in _by_name(runs, "smartmon") if r["id"] > ci_run["id"]), key=lambda r: r["id"]
    )
    assert healers, f"no healer run after CI run {ci_run['id']}"
    return healers[0]


def _assert_no_token(sb: es.Sandbox, repo: str, jobs: list[es.HealerJob]) -> None:
    tokens = sb.tokens()
    assert tokens
    texts = [text for job in jobs for text in (job.summary, *job.outputs.values())]
    texts += [text for job in jobs for text in job.files.values()]
    for run in sb.runs(repo):
        texts.append(sb.job_log(repo, run["id"]))
    for token in tokens:
        for text in texts:
            assert token not in text


def test_github_token_pull_requests_reruns_patches_and_forks(sb: es.Sandbox) -> None:
    dep = sb.create("missing-dependency")
    chmod = sb.create("permission-denied")
    env_var = sb.create("missing-env-var")
    flaky = sb.create("network-flaky")
    fork = sb.create("permission-denied", name="from-a-fork", trigger=False)
    sb.admin.configure(fork, next_head_repository="stranger/from-a-fork")
    sb.client(fork).dispatch("ci.yml", "main")
    sb.admin.wait_idle(240)

    # A dependency addition on the default branch: a pull request, and the dispatched run passes.
    for repo, fixed_file in ((dep, "requirements.txt"), (chmod, "scripts/build.sh")):
        runs = sb.runs(repo)
        ci = _by_name(runs, "CI")
        failed = min(ci, key=lambda r: r["id"])
        assert failed["conclusion"] == "failure"
        healer = _healer_for(runs, failed)
        assert healer["conclusion"] == "success"
        job = sb.healer_job(healer["id"])
        assert job.outputs["pull-request-url"], job.summary
        assert job.outputs["fixed"] == "1" and int(job.outputs["findings"]) >= 1
        assert job.outputs["commit-sha"]
        branch = f"smartmon/fix-{failed['id']}"
        after = [r for r in ci if r["head_branch"] == branch]
        assert [r["conclusion"] for r in after] == ["success"], (repo, after)
        assert after[0]["head_sha"] == job.outputs["commit-sha"]
        pulls = sb.client(repo).list_pulls()
        assert [p["head"]["ref"] for p in pulls] == [branch]
        # The summary: the table with a link to the log line, the diff, the delivery, the verdict.
        assert f"/actions/runs/{failed['id']}/job/" in job.summary and "#step:" in job.summary
        assert "```diff" in job.summary and fixed_file in job.summary
        assert job.outputs["pull-request-url"] in job.summary
        assert "Verification: dispatched" in job.summary
        assert job.report is not None and job.report["results"][0]["delivery"] == "pull-request"
        assert Path(job.outputs["report-path"]).name.startswith("smartmon-report-")
        _assert_no_token(sb, repo, [job])

    # A workflow edit with GITHUB_TOKEN: a patch, saying why; nothing pushed.
    runs = sb.runs(env_var)
    job = sb.healer_job(_healer_for(runs, _by_name(runs, "CI")[0])["id"])
    assert job.outputs["pull-request-url"] == "" and job.outputs["commit-sha"] == ""
    assert "workflows permission" in job.summary and "secrets.API_KEY" in job.summary
    assert any(name.endswith(".patch") for name in job.files)
    assert sb.client(env_var).list_pulls() == []
    assert [r["head_branch"] for r in _by_name(runs, "CI")] == ["main"]

    # A transient failure: the failed jobs are re-run, and the second attempt passes.
    ci = _by_name(sb.runs(flaky), "CI")
    assert len(ci) == 1 and ci[0]["run_attempt"] == 2 and ci[0]["conclusion"] == "success"
    job = sb.healer_job(_healer_for(sb.runs(flaky), ci[0])["id"])
    assert "re-run" in job.summary

    # A fork's run: report and patch only.
    runs = sb.runs(fork)
    failed = _by_name(runs, "CI")[0]
    assert failed["head_repository"]["full_name"] == "stranger/from-a-fork"
    job = sb.healer_job(_healer_for(runs, failed)["id"])
    assert "fork" in job.summary and job.outputs["commit-sha"] == ""
    assert sb.client(fork).list_pulls() == []
    assert len(_by_name(runs, "CI")) == 1
    _assert_no_token(sb, fork, [job])


def test_pat_fixes_workflow_files_and_commits_on_a_branch(sb: es.Sandbox) -> None:
    healer = es.with_token(es.EXAMPLE.read_text(encoding="utf-8"))
    runner_repo = sb.create("retired-runner", healer=healer, pat_secret=True)
    branch_repo = sb.create("permission-denied", healer=healer, pat_secret=True, trigger=False)
    manual = {".github/workflows/manual.yml": es.MANUAL.read_text(encoding="utf-8")}
    yaml_repo = sb.create("yaml-syntax", extra=manual)
    secret_healer = es.with_token(es.EXAMPLE.read_text(encoding="utf-8"), create_secrets=True)
    secret_repo = sb.create("missing-env-var", healer=secret_healer, pat_secret=True, secrets={})
    client = sb.client(branch_repo)
    main_sha = client.get_ref("main")["object"]["sha"]
    client.create_ref("feature", main_sha)
    client.dispatch("ci.yml", "feature")
    sb.admin.wait_idle(240)
    # A startup failure (invalid workflow file) starts no workflow_run for `workflows: [CI]`:
    # its run is named by its path. Heal it by hand with examples/manual.yml.
    broken = sb.runs(yaml_repo)[0]
    assert broken["conclusion"] == "startup_failure"
    sb.client(yaml_repo).dispatch(
        "manual.yml", "main", {"run-id": str(broken["id"]), "mode": "auto"}
    )
    sb.admin.wait_idle(240)

    # A workflow edit with a PAT: a pull request that changes runs-on, and its run passes.
    runs = sb.runs(runner_repo)
    failed = min(_by_name(runs, "CI"), key=lambda r: r["id"])
    job = sb.healer_job(_healer_for(runs, failed)["id"])
    assert job.outputs["pull-request-url"], job.summary
    assert "retired_runner" in job.summary and "ubuntu-20.04" in job.summary
    after = [r for r in _by_name(runs, "CI") if r["head_branch"] == f"smartmon/fix-{failed['id']}"]
    assert [r["conclusion"] for r in after] == ["success"], job.summary

    # A working branch: a commit with the trailer, pushed on the failing commit (lease).
    runs = sb.runs(branch_repo)
    failed = min(
        (r for r in _by_name(runs, "CI") if r["head_branch"] == "feature"), key=lambda r: r["id"]
    )
    job = sb.healer_job(_healer_for(runs, failed)["id"])
    tip = client.get_ref("feature")["object"]["sha"]
    assert job.outputs["commit-sha"] == tip, job.summary
    assert job.outputs["pull-request-url"] == ""
    commit = client.get_commit(tip)
    assert commit["parents"][0]["sha"] == main_sha
    assert f"Smartmon-Fix: run {failed['id']}" in commit["commit"]["message"]
    verified = [r for r in _by_name(sb.runs(branch_repo), "CI") if r["head_sha"] == tip]
    assert [r["conclusion"] for r in verified] == ["success"], job.summary
    _assert_no_token(sb, branch_repo, [job])

    # An unwired variable whose secret does not exist: wired by PR, the secret created (random).
    runs = sb.runs(secret_repo)
    failed = min(_by_name(runs, "CI"), key=lambda r: r["id"])
    job = sb.healer_job(_healer_for(runs, failed)["id"])
    assert job.outputs["pull-request-url"], job.summary
    assert "created the secret(s) API\\_KEY with a random value" in job.summary, job.summary
    stored = sb.admin.call("GET", f"repos/{secret_repo}/secrets")
    assert len(stored["API_KEY"]) >= 32 and stored["API_KEY"] not in job.summary
    after = [r for r in _by_name(runs, "CI") if r["head_branch"] == f"smartmon/fix-{failed['id']}"]
    assert [r["conclusion"] for r in after] == ["success"], job.summary
    _assert_no_token(sb, secret_repo, [job])

    # The startup failure, diagnosed from its annotations (its run has no job and no log).
    manual_run = _by_name(sb.runs(yaml_repo), "smartmon (manual)")[0]
    job = sb.healer_job(manual_run["id"])
    assert "| yaml_syntax_error | critical |" in job.summary, job.summary
    assert "Invalid workflow file: .github/workflows/ci.yml#L17" in job.summary
    assert "### Next steps" in job.summary
    assert job.report is not None and job.report["results"][0]["run_id"] == broken["id"]
    _assert_no_token(sb, yaml_repo, [job])


ALWAYS_FLAKY = """\
name: CI
on:
  push:
    branches: [main]
  workflow_dispatch:
jobs:
  fetch:
    runs-on: ubuntu-latest
    steps:
      - run: python3 -c "raise ConnectionResetError(104, 'Connection reset by peer')"
"""


EVENTS = 4


def test_loops_stop_at_max_attempts(sb: es.Sandbox) -> None:
    unfixable = sb.create("unfixable", trigger=False)
    flaky = sb.create("passing", name="always-flaky", trigger=False)
    client = sb.client(flaky)
    sha = client.get_ref("main")["object"]["sha"]
    client.put_contents(".github/workflows/ci.yml", ALWAYS_FLAKY, "flaky", "main",
                        client.get_contents(".github/workflows/ci.yml")[1])  # fmt: skip
    # Four failure events for a failure nothing can fix, twice max-attempts: each starts the action,
    # none commits or re-runs (tests/reliability/test_bot_loop.py sends a hundred to the pipeline).
    for _ in range(EVENTS):
        sb.client(unfixable).dispatch("ci.yml", "main")
    sb.admin.wait_idle(240)

    runs = sb.runs(unfixable)
    assert len(_by_name(runs, "CI")) == EVENTS
    assert all(r["conclusion"] == "failure" and r["run_attempt"] == 1 for r in _by_name(runs, "CI"))
    assert len(_by_name(runs, "smartmon")) == EVENTS
    assert sb.client(unfixable).list_pulls() == []
    assert [c["sha"] for c in sb.client(unfixable).list_commits()] == [
        sb.client(unfixable).get_ref("main")["object"]["sha"]
    ]

    # Transient every time: one re-run by the healer (attempt 2), then the cap holds.
    ci = _by_name(sb.runs(flaky), "CI")
    assert len(ci) == 1 and ci[0]["run_attempt"] == 2 and ci[0]["conclusion"] == "failure"
    client.rerun_failed_jobs(ci[0]["id"])  # a person re-runs it: attempt 3 fails too
    sb.admin.wait_idle(240)
    again = client.get_run(ci[0]["id"])
    assert again["run_attempt"] == 3
    last = max(_by_name(sb.runs(flaky), "smartmon"), key=lambda r: r["id"])
    assert "past max-attempts 2" in sb.healer_job(last["id"]).summary
    assert client.get_ref("main")["object"]["sha"] != sha  # only our own put_contents commit
    assert len(client.list_commits()) == 2


def _first_failure(runs: list[dict[str, Any]], branch: str = "main") -> dict[str, Any]:
    failed = min(
        (r for r in _by_name(runs, "CI") if r["head_branch"] == branch), key=lambda r: r["id"]
    )
    assert failed["conclusion"] == "failure", failed
    return failed


def _runs_on(runs: list[dict[str, Any]], branch: str) -> list[dict[str, Any]]:
    return [r for r in _by_name(runs, "CI") if r["head_branch"] == branch]


def _heals(sb: es.Sandbox, repo: str) -> list[dict[str, Any]]:
    """Healer runs whose heal job ran: a passing CI run also starts one, its heal job skipped by
    `if:` (its `passing-again` job runs instead, healing nothing)."""
    client = sb.client(repo)
    return [
        r
        for r in _by_name(sb.runs(repo), "smartmon")
        if any(
            j["conclusion"] != "skipped" and j["name"] == "Heal the failed run"
            for j in client.list_jobs(r["id"])
        )
    ]


def test_import_error_pull_request_on_main_and_commit_on_a_branch(sb: es.Sandbox) -> None:
    main_repo = sb.create("import-error")
    branch_repo = sb.create("import-error", name="import-error-branch", trigger=False)
    client = sb.client(branch_repo)
    main_sha = client.get_ref("main")["object"]["sha"]
    client.create_ref("feature", main_sha)
    client.dispatch("ci.yml", "feature")
    sb.admin.wait_idle(240)
    moved = "+from inventory.items import DEFAULT_STOCK, Item"

    # The default branch: one pull request moves both names, and the dispatched run passes.
    runs = sb.runs(main_repo)
    failed = _first_failure(runs)
    log = sb.job_log(main_repo, failed["id"])
    assert "cannot import name 'DEFAULT_STOCK' from 'inventory.models'" in log
    job = sb.healer_job(_healer_for(runs, failed)["id"])
    assert job.outputs["pull-request-url"], job.summary
    assert job.outputs["fixed"] == "1" and "| import_error |" in job.summary
    assert "```diff" in job.summary and moved in job.summary
    branch = f"smartmon/fix-{failed['id']}"
    after = _runs_on(runs, branch)
    assert [r["conclusion"] for r in after] == ["success"], job.summary
    assert after[0]["head_sha"] == job.outputs["commit-sha"]
    fixed, _ = sb.client(main_repo).get_contents("inventory/report.py", ref=branch)
    assert fixed.decode().splitlines()[4] == moved[1:]
    assert [p["head"]["ref"] for p in sb.client(main_repo).list_pulls()] == [branch]
    assert len(_heals(sb, main_repo)) == 1  # the fix held: no second heal
    assert job.report is not None and job.report["results"][0]["delivery"] == "pull-request"
    _assert_no_token(sb, main_repo, [job])

    # A working branch: a commit with the trailer on the failing commit, and the next run passes.
    runs = sb.runs(branch_repo)
    failed = _first_failure(runs, "feature")
    job = sb.healer_job(_healer_for(runs, failed)["id"])
    tip = client.get_ref("feature")["object"]["sha"]
    assert job.outputs["commit-sha"] == tip and tip != main_sha, job.summary
    assert job.outputs["pull-request-url"] == "" and client.list_pulls() == []
    commit = client.get_commit(tip)
    assert commit["parents"][0]["sha"] == main_sha
    assert f"Smartmon-Fix: run {failed['id']}" in commit["commit"]["message"]
    assert [f["filename"] for f in commit["files"]] == ["inventory/report.py"]
    verified = [r for r in _runs_on(runs, "feature") if r["head_sha"] == tip]
    assert [r["conclusion"] for r in verified] == ["success"], job.summary
    assert client.get_ref("main")["object"]["sha"] == main_sha
    _assert_no_token(sb, branch_repo, [job])


@pytest.mark.parametrize(
    ("scenario", "stale", "fixed"),
    [
        (
            "deprecated-action",
            r"actions/upload-artifact@v3\b",
            r"actions/upload-artifact@v([4-9]|\d\d)",
        ),
        # The run fails on the disabled ::set-env; ::set-output only warns, and is left alone.
        ("set-output", r"::set-env ", r'echo "APP_VERSION=\$VERSION" >> "\$GITHUB_ENV"'),
    ],
    ids=["deprecated-action", "set-output"],
)
def test_workflow_edits_pull_request_with_a_pat_patch_with_github_token(
    sb: es.Sandbox, scenario: str, stale: str, fixed: str
) -> None:
    plain = es.as_on_github_com(es.EXAMPLE.read_text(encoding="utf-8"))
    healer = es.with_token(plain)
    pat_repo = sb.create(scenario, name=f"{scenario}-pat", healer=healer, pat_secret=True)
    plain_repo = sb.create(scenario, healer=plain)
    sb.admin.wait_idle(240)

    # A token that may push workflows: a pull request edits ci.yml, and its run passes.
    runs = sb.runs(pat_repo)
    failed = _first_failure(runs)
    job = sb.healer_job(_healer_for(runs, failed)["id"])
    assert job.outputs["pull-request-url"], job.summary
    assert job.outputs["fixed"] == "1" and "```diff" in job.summary
    assert re.search(rf"(?m)^-.*{stale}", job.summary), job.summary
    branch = f"smartmon/fix-{failed['id']}"
    text = sb.client(pat_repo).get_contents(".github/workflows/ci.yml", ref=branch)[0].decode()
    assert not re.search(stale, text) and re.search(fixed, text), text
    verified = _runs_on(runs, branch)
    assert [r["conclusion"] for r in verified] == ["success"], job.summary
    assert verified[0]["head_sha"] == job.outputs["commit-sha"]
    assert [p["head"]["ref"] for p in sb.client(pat_repo).list_pulls()] == [branch]
    assert len(_heals(sb, pat_repo)) == 1
    _assert_no_token(sb, pat_repo, [job])

    # GITHUB_TOKEN can never push workflow files: a patch, saying why; nothing pushed.
    runs = sb.runs(plain_repo)
    job = sb.healer_job(_healer_for(runs, _first_failure(runs))["id"])
    assert job.outputs["pull-request-url"] == "" and job.outputs["commit-sha"] == ""
    assert "workflows permission" in job.summary, job.summary
    patches = [text for name, text in job.files.items() if name.endswith(".patch")]
    assert patches, sorted(job.files)
    for patch in patches:
        assert re.search(rf"(?m)^-.*{stale}", patch) and re.search(rf"(?m)^\+.*{fixed}", patch)
    assert sb.client(plain_repo).list_pulls() == []
    assert [r["head_branch"] for r in _by_name(runs, "CI")] == ["main"]
    _assert_no_token(sb, plain_repo, [job])
