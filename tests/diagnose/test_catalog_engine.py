"""The engine honours the catalog: each rule's examples, inside a real timestamped failed job log,
give that rule's finding (or notice), with its captured data.

This pins the contract between the YAML rules and `classify`: whatever multi-pattern prefilter the
engine uses, it must not lose a line that the rule's own regex matches.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.classify import analyze_paths
from smartmon.diagnose.facts import LOCATED_TYPES, repo_path, runner_label
from smartmon.diagnose.location_search import outside_checkout
from smartmon.diagnose.program_fill_ins import generator_program
from smartmon.diagnose.rules import Example, Rule, load_rules
from smartmon.diagnose.scan import catalog_prefilter

RULES = load_rules()
BY_ID = {rule.id: rule for rule in RULES}
_STAMP = "2025-04-05T15:00:07.9588411Z "


def _winner_id(rule: Rule, example: Example) -> str:
    """The example's own winner, else the first rule in catalog order whose regex matches it."""
    if example.winner is not None:
        return example.winner
    # The engine's set names the rules that can match the line (its DFA has just read this line,
    # so this costs little); each is confirmed with the rule's own regex, in catalog order.
    maybe = catalog_prefilter().match((_STAMP + example.text + "\n").encode())
    found = (RULES[i] for i in sorted(maybe) if i < len(RULES))
    return next(r.id for r in found if r.match(example.text) is not None)


# Context a rule's `checks:` need around its line (diagnose/benign.py, diagnose/js_stacks.py): one
# table for the lines above, one for the lines below.
_ABOVE = {
    "traceback-end": "Traceback (most recent call last):",
    "checkout-without-git-above": "The repository will be downloaded using the GitHub REST API",
    "engine-warned-above": "npm WARN EBADENGINE   package: 'sharp@0.33.2',",
    "pandoc-fell-back-above": "  Pandoc (>= 1.12.3) not available. Falling back to R Markdown v1.",
    "harness-run-above": "     Running unittests src/lib.rs (target/release/deps/app-5b0e3c9d1f2a4e67)",
    # rustc's location line under its error: cargo's summary stands for the errors above it
    "rustc-error-above": " --> src/main.rs:2:13",
    "frail-above": "> remark . --frail",
    "vagrant-download-above": "An error occurred while downloading the remote file. The error",
    "page-run-as-script": '  File "<stdin>", line 1',
    # Zephyr's boards.py formatting a board, the traceback's last frame
    "west-boards-format-above": (
        '  File "/tmp/zmk-config/zephyr/scripts/west_commands/boards.py", line 87, in do_run',
        "    log.inf(args.format.format(name=board.name, arch=board.arch,",
    ),
    "gradle-script-tree-above": "* What went wrong:",
    "reporter-sentence-above": "  Could not resolve a module for a custom reporter.",
    "stub-top-frame": "App.csproj(1,1): error MSB4018: System.NullReferenceException: Object"
    " reference not set to an instance of an object.",
    # bats' failing test, whose output its TAP comments show below it
    "failing-test-block-above": "not ok 2 builds the image",
    "plugin-frame-above": 'INTERNALERROR>   File "/usr/lib/python3/site-packages/pytest_acme/plugin.py",'
    " line 65, in pytest_runtest_makereport",
    # the runner's create lines for the services whose health check failed, with no password
    "postgres-password-unset-above": (
        "##[command]/usr/bin/docker create --name a1_postgres --network-alias postgres"
        " -e POSTGRES_USER=app -e GITHUB_ACTIONS=true -e CI=true postgres:16",
        "##[command]/usr/bin/docker create --name b2_db --network-alias db"
        " -e GITHUB_ACTIONS=true -e CI=true postgres:15-alpine",
    ),
    # a setup.py's distutils fallback, chained onto its failed setuptools import
    # npm's notice that it is publishing, just before the upload that a 404 then answers
    "publish-notice-above": "npm notice Publishing to https://registry.npmjs.org/ with tag latest"
    " and public access",
    # golangci-lint run in the step (a bare annotation row is a lint only beside it)
    "golangci-context": "  Running [/home/runner/golangci-lint-2.1.6-linux-amd64/golangci-lint run] in"
    " [/home/runner/work/app/app] ...",
    "setuptools-missing-above": (
        "ModuleNotFoundError: No module named 'setuptools'",
        "",
        "During handling of the above exception, another exception occurred:",
    ),
    # the cache restore's own input, the path a later step then misses
    "cache-path-missing-below": "  path: images.tar.zst",
    # the classic builder's own line: a platform parse error counts only under a build
    "under-docker-build": "Sending build context to Docker daemon  2.048kB",
    # the container hooks' PrepareJob, run by the runner in "Initialize containers"
    "initialize-containers-only": (
        "##[debug]Starting: Initialize containers",
        "##[group]Run '/home/runner/k8s/index.js'",
    ),
}
_BELOW = {
    "set-failed-below": (
        "    at Object.setFailed (/home/runner/work/_actions/acme/a/v1/index.js:9:5)",
    ),
    "julia-frame-in-package": ("  [1] f()", "    @ Dep ~/.julia/packages/Dep/AbCdE/src/Dep.jl:1"),
    # A blank passphrase counts where the step then signs or decrypts.
    "empty-secret": ("Decrypting the release keystore",),
    "numbered-block-below": ("", "  1) users API returns the list"),
    "cache-path-missing-below": (
        "##[group]Run zstd -dc images.tar.zst | docker load",
        "##[endgroup]",
        "zstd: can't stat images.tar.zst : No such file or directory",
    ),
    # vscode-test's report of the Electron that aborted (glibc's futex line alone names no Electron)
    "electron-near": ("", "Exit code:   SIGABRT"),
    # rustc's location of an E0463 in a crate cargo downloaded
    "registry-source-below": (
        "   --> /home/runner/.cargo/registry/src/index.crates.io-6f17d22bba15001f/thiserror-1.0.69"
        "/src/lib.rs:278:9",
    ),
    # the installed package's file whose relative require failed
    "package-file-below": (
        "    at Object.<anonymous> (/home/runner/work/app/app/node_modules/request/request.js:23:11)",
    ),
}

# One test per rule over all its match examples (see test_catalog.py): a failure names the example.
WITH_MATCHES = [pytest.param(rule, id=rule.id) for rule in RULES if rule.examples_match]


# A rule kept only for the runner's own line while it sets up the job gets its example there, before
# any step's `Run …` header.
_SET_UP = (
    "Prepare workflow directory",
    "Prepare all required actions",
    "Getting action download info",
)


@pytest.fixture(scope="module")
def job_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the module's logs, each test writing the same file in turn (each xdist worker
    has its own): six thousand folders were as many to create, and for pytest to delete later."""
    return tmp_path_factory.mktemp("engine")


@pytest.mark.parametrize("rule", WITH_MATCHES)
def test_engine_finds_the_examples(job_dir: Path, rule: Rule) -> None:
    for example in rule.examples_match:
        _check_example(job_dir, rule, example)


def _lines_above(rule: Rule) -> tuple[str, ...]:
    above = _ABOVE.get(next(iter(rule.checks & _ABOVE.keys()), ""), "starting")
    return (above,) if isinstance(above, str) else above


def _check_example(job_dir: Path, rule: Rule, example: Example) -> None:
    step = (
        _SET_UP
        if "set-up-only" in rule.checks
        else ("##[group]Run ./ci.sh", "shell: /usr/bin/bash -e {0}", "##[endgroup]")
    )
    lines = [
        "Current runner version: '2.321.0'",
        *step,
        # A rule that reads only the line closing a Python traceback gets the traceback's header,
        # one that needs checkout's REST API fallback notice above it gets the notice (libtest's
        # getopts line gets cargo's line running the harness).
        *_lines_above(rule),
        example.text,
        # A rule that keeps only a rejection thrown inside setFailed gets that frame below it, one
        # kept only for an error raised in a Julia package's source gets such a frame.
        *_BELOW.get(next(iter(rule.checks & _BELOW.keys()), ""), ()),
        "##[error]Process completed with exit code 1.",
        "Post job cleanup.",
    ]
    log = job_dir / "1_job.txt"
    log.write_text("".join(_STAMP + line + "\n" for line in lines), encoding="utf-8")
    analysis = analyze_paths([log])

    expected = BY_ID[_winner_id(rule, example)]
    pool = analysis.notices if expected.advisory else analysis.findings
    hits = [f for f in pool if f.rule == expected.id]
    assert hits, f"{expected.id} not reported for {example.text!r}: {[f.rule for f in pool]}"
    finding = hits[0]
    assert finding.line == 5 + len(_lines_above(rule)), f"{rule.id} on {example.text!r}"
    if expected.id == rule.id and example.data is not None:
        # Examples state what the rule captures, as printed; the engine makes paths inside the
        # checkout repository-relative, a hosted image's label runs-on's and a build generator its
        # program (diagnose/facts.py).
        want = {
            k: (repo_path(v) or v)
            if k == "file"
            else runner_label(v)
            if k == "label"
            else generator_program(v, example.text)
            if k == "command"
            else v
            for k, v in example.data.items()
        }
        if finding.type.value in LOCATED_TYPES and outside_checkout(want.get("file", "")):
            # an absolute path outside the checkout is no located finding's file, nor is the line
            # captured with it (location_search.fill_location)
            assert finding.data.get("file") != want.pop("file"), f"{rule.id} on {example.text!r}"
            assert "line" not in finding.data or "line" not in example.data
            want.pop("line", None)
        assert want.items() <= dict(finding.data).items(), f"{rule.id} on {example.text!r}"
    if not expected.advisory:
        assert analysis.findings[0].rule == expected.id, f"{rule.id} on {example.text!r}"
