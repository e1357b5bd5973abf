"""Real error lines, each inside a short job log written here, with the confusers the real log had.

The one-line errors (and the noise around them that used to win) are quoted from public job logs;
each case names its source. Everything else in these logs is our own filler. The point of each case
is the verdict on the whole job: the top finding's type and the facts it extracted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from smartmon.diagnose import classify
from smartmon.model import IssueType

TS = "2026-07-30T10:37:27.7634265Z "
PTI = "pytorch/test-infra aws/lambda/log-classifier/fixtures/classify/"


@dataclass(frozen=True)
class Case:
    source: str  # where the quoted lines come from
    body: tuple[str, ...]  # the failing step's output
    type: IssueType
    data: dict[str, str] = field(default_factory=dict)  # facts the top finding must carry
    rule: str | None = None
    trailer: str = "##[error]Process completed with exit code 1."


def _write(tmp_path: Path, body: tuple[str, ...], trailer: str | None) -> Path:
    lines = [
        "Current runner version: '2.327.1'",
        "Complete job name: test (default, 1, 2)",
        "##[group]Run .ci/test.sh",
        "\x1b[36;1m.ci/test.sh\x1b[0m",
        "shell: /usr/bin/bash --noprofile --norc -e -o pipefail {0}",
        "##[endgroup]",
        "+ echo starting",
        "starting",
        *body,
    ]
    if trailer:
        lines.append(trailer)
    lines += ["Post job cleanup.", "Cleaning up orphan processes"]
    path = tmp_path / "1_test.txt"
    path.write_text("".join(TS + line + "\n" for line in lines), encoding="utf-8")
    return path


UPLOAD_WARNINGS = (
    # Optional metric and report uploads that fail and carry on (PTI distributed_test_wrapper.txt,
    # test_file_timeout.txt, dirty_checkout.txt): never the job's cause.
    "/__w/pytorch/pytorch/tools/stats/upload_metrics.py:156: UserWarning: Error uploading metric "
    "td_test_failure_stats_v2 to DynamoDB: Unable to locate credentials",
    '  warn(f"Error uploading metric {metric_name} to DynamoDB: {e}")',
    "Failed to upload artifacts: Unable to locate credentials",
    "Failed to parse and upload json test reports: An error occurred (AccessDenied) when calling "
    "the PutObject operation: User: arn:aws:sts::123456789012:assumed-role/ci-read-only/ci is not "
    'authorized to perform: s3:PutObject on resource: "arn:aws:s3:::reports/run.json"',
)

CASES = {
    "test-file-wrapper-beats-upload-warnings": Case(
        PTI + "distributed_test_wrapper.txt",
        (
            "TestC10dBackendConfig - failed. This test class should extend from "
            "torch.testing._internal.common_utils.TestCase but it doesn't.",
            "Got exit code 1",
            "distributed/test_c10d_torchcomms 1/1 failed!",
            *UPLOAD_WARNINGS,
            "RuntimeError: distributed/test_c10d_torchcomms 1/1 failed!",
        ),
        IssueType.TEST_FAILURE,
        {"test": "distributed/test_c10d_torchcomms"},
        "test-file-shard-failed",
    ),
    "test-file-time-budget": Case(
        PTI + "test_file_timeout.txt",
        (
            "Command took >30min, returning 124",
            "Got exit code 124",
            *UPLOAD_WARNINGS,
            "RuntimeError: inductor/test_torchinductor_opinfo 4/10 failed!",
        ),
        IssueType.TIMEOUT,
        rule="test-file-time-budget-exceeded",
    ),
    "failed-test-beats-the-retry-timeout": Case(
        PTI + "pytest_failure.txt",
        (
            "FAILED [310.0221s] distributed/test_c10d_spawn_gloo.py::TestDistributedNNFunctionsGloo"
            "::test_all_gather - RuntimeError: Process 0 terminated or timed out after 310.01 seconds",
            "======================== 1 failed in 310.03s (0:05:10) =========================",
            "Command took >15min, returning 124",
        ),
        IssueType.TEST_FAILURE,
        {
            "test": "distributed/test_c10d_spawn_gloo.py::TestDistributedNNFunctionsGloo::test_all_gather"
        },
    ),
    "cuda-out-of-memory": Case(
        PTI + "cuda_oom_class.txt",
        (
            "    return t.to(",
            "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 4.39 GiB. GPU 0 has a "
            "total capacity of 22.30 GiB of which 2.94 GiB is free.",
            "ERROR:fbscribelogger:send_messages: atexit err <Response [400]>",
        ),
        IssueType.RUNNER_FAILURE,
        rule="cuda-out-of-memory",
    ),
    "aws-oidc-hint-names-the-missing-permission": Case(
        PTI + "aws_credentials_load_failure.txt",
        (
            "It looks like you might be trying to authenticate with OIDC. Did you mean to set the "
            "`id-token` permission? If you are not trying to authenticate with OIDC and the action "
            "is working successfully, you can ignore this message.",
            "##[error]Credentials could not be loaded, please check your action inputs: Could not "
            "load credentials from any providers",
        ),
        IssueType.PERMISSION_ERROR,
        {"scope": "id-token"},
        "token-id-token-missing",
    ),
    "aws-iam-denial": Case(
        PTI + "s3_access_denied.txt",
        (
            "Starting upload of logs-test-default-5-12-linux.zip",
            "##[error]User: arn:aws:sts::123456789012:assumed-role/ci-read-only/ci-login is not "
            'authorized to perform: s3:PutObject on resource: "arn:aws:s3:::artifacts/logs.zip"',
        ),
        IssueType.PERMISSION_ERROR,
        {"name": "s3:PutObject"},
        "cloud-access-denied",
        trailer="",
    ),
    "quoted-denial-does-not-hide-the-test": Case(
        PTI + "dirty_checkout.txt (the upload report) with a failing pytest summary of our own",
        (
            *UPLOAD_WARNINGS,
            "FAILED tests/test_api.py::test_login - AssertionError: assert 401 == 200",
        ),
        IssueType.TEST_FAILURE,
        {"test": "tests/test_api.py::test_login"},
    ),
    "job-container-image-missing": Case(
        PTI + "docker_manifest_unknown.txt",
        (
            "##[command]/usr/bin/docker pull python:3.14t",
            "Error response from daemon: manifest for python:3.14t not found: manifest unknown: "
            "manifest unknown",
            "##[warning]Docker pull failed with exit code 1, back off 7.078 seconds before retry.",
            "##[error]Docker pull failed with exit code 1",
        ),
        IssueType.MISSING_DEPENDENCY,
        {"package": "python:3.14t"},
        trailer="",
    ),
    "buildkit-base-image-missing": Case(
        "Huyen1974/agent-data, 0_Run Tests in a Clean Docker Environment.txt",
        (
            "#2 ERROR: docker.io/library/python:3.10.14-slim-buster: not found",
            "##[error]buildx failed with: ERROR: failed to build: failed to solve: "
            "python:3.10.14-slim-buster: failed to resolve source metadata for "
            "docker.io/library/python:3.10.14-slim-buster: "
            "docker.io/library/python:3.10.14-slim-buster: not found",
        ),
        IssueType.MISSING_DEPENDENCY,
        {"name": "docker.io/library/python:3.10.14-slim-buster"},
        trailer="",
    ),
    "runner-pod-never-started": Case(
        PTI + "infra_osdc_pod_failure.txt",
        (
            "Pod ci-runner-workflow: phase=Pending, conditions=[PodScheduled=False] (7188s/7200s)",
            "##[error]Error: pod failed to come online with error: Error: Pod ci-runner-workflow is "
            "unhealthy with phase status Pending: backoff timeout",
            "    at /opt/runner-hooks/dist/index.js:510:27",
        ),
        IssueType.RUNNER_FAILURE,
        rule="runner-pod-failed-to-start",
    ),
    "lintrunner": Case(
        PTI + "lint_lintrunner.txt",
        (
            ">>> Lint for benchmarks/distributed/bench_symmetric_memory_all_gather.py:",
            "  Warning (PYFMT) format",
            "    Run `lintrunner -a` to apply this patch.",
            "Lint failed!",
        ),
        IssueType.LINT_FAILURE,
        {"file": "benchmarks/distributed/bench_symmetric_memory_all_gather.py"},
    ),
    "oom-kill-glued-to-a-progress-bar": Case(
        "broadinstitute/gene-hints #25",
        (
            "100%|##########| 180/180 [05:35<00:00,  1.87s/it]/home/runner/work/_temp/3996971a.sh: "
            "line 1:  1619 Killed                  python gene_hints/gene_hints.py",
            "Output to: ./data/tmp/2021_01_20.tsv",
        ),
        IssueType.RUNNER_FAILURE,
        rule="process-killed-oom",
        trailer="##[error]Process completed with exit code 137.",
    ),
    "bare-killed-then-the-action-error": Case(
        "vmactions/freebsd-vm #81",
        (
            "   Compiling mail-server v0.7.1 (/home/runner/work/app/app/crates/main)",
            "Killed",
            "##[error]The process '/usr/bin/bash' failed with exit code 137",
        ),
        IssueType.RUNNER_FAILURE,
        rule="process-killed-oom",
        trailer="",
    ),
    "tsc-problem-matcher-annotation": Case(
        "chahyasantoso/motion5 CI log archive (setup-node's tsc problem matcher)",
        (
            "> tsc -p packages/core/tsconfig.build.json",
            "##[error]packages/core/src/plugins/fk.ts(74,13): error TS7006: Parameter 'values' "
            "implicitly has an 'any' type.",
        ),
        IssueType.LINT_FAILURE,  # a type error (TS2xxx/TS7xxx), not a parse error (TS1xxx)
        {"file": "packages/core/src/plugins/fk.ts", "line": "74"},
        trailer="##[error]Process completed with exit code 2.",
    ),
    "indented-pytest-output": Case(
        "Huyen1974/agent-data ci_log_debug.txt (a script re-printing pytest's output)",
        (
            "  _______________ ERROR collecting tests/test_cli140m1_coverage.py _______________",
            "  tests/test_cli140m1_coverage.py:18: in <module>",
            "      from ADK.agent_data.api_mcp_gateway import (",
            "  E   ModuleNotFoundError: No module named 'ADK.agent_data.api_mcp_gateway'",
            "  ERROR tests/test_cli140m1_coverage.py",
            "  !!!!!!!!!!!!!!!!!!! Interrupted: 12 errors during collection !!!!!!!!!!!!!!!!!!!",
        ),
        # `ADK` imported; its submodule is missing: the repository's code, not a package to add.
        IssueType.IMPORT_ERROR,
        {"from": "ADK.agent_data", "name": "api_mcp_gateway"},
    ),
    "collection-errors-alone": Case(
        "Huyen1974/agent-data ci_log_cycle2.txt",
        (
            "ERROR tests/test_cli140m_coverage.py",
            "!!!!!!!!!!!!!!!!!!! Interrupted: 12 errors during collection !!!!!!!!!!!!!!!!!!!",
            "========= 583/657 tests collected (74 deselected), 12 errors in 4.88s ==========",
        ),
        IssueType.TEST_FAILURE,
        {"file": "tests/test_cli140m_coverage.py"},
        "pytest-collection-error",
    ),
    "pytest-option-without-its-plugin": Case(
        "Huyen1974/agent-data ci_run_logs_failed2.txt",
        (
            "WARNING:api_vector_search:OPENAI_API_KEY environment variable not set. Embedding "
            "generation will fail.",
            "ERROR: usage: pytest [options] [file_or_dir] [file_or_dir] [...]",
            "pytest: error: unrecognized arguments: --timeout=8",
        ),
        IssueType.MISSING_DEPENDENCY,
        {"name": "--timeout"},
        "pytest-plugin-option-unknown",
        trailer="##[error]Process completed with exit code 4.",
    ),
    "sudo-warning-does-not-hide-the-network": Case(
        "pytorch/test-infra aws/lambda/log-classifier/experimental/data/log5_failures.txt",
        (
            "sudo: setrlimit(RLIMIT_STACK): Operation not permitted",
            "urllib3.exceptions.ReadTimeoutError: HTTPSConnectionPool(host='huggingface.co', "
            "port=443): Read timed out. (read timeout=10)",
            "OSError: We couldn't connect to 'https://huggingface.co' to load this file, couldn't "
            "find it in the cached files.",
        ),
        IssueType.NETWORK_ERROR,
        {"host": "huggingface.co"},
    ),
    "eperm-from-a-named-tool": Case(
        "tenstorrent/tt-metal PR #21092",
        ("dmesg: read kernel buffer failed: Operation not permitted",),
        IssueType.PERMISSION_ERROR,
        rule="operation-not-permitted",
    ),
    "artifact-hand-off": Case(
        PTI + "artifact_not_found.txt",
        (
            "Downloading single artifact",
            "##[error]Unable to download artifact(s): Artifact not found for name: "
            "manywheel-py3_10-cuda13_0",
            "        Please ensure that your artifact is not expired.",
        ),
        IssueType.UNKNOWN,
        {"name": "manywheel-py3_10-cuda13_0"},
        "artifact-not-found",
    ),
    "pytest-collected-nothing": Case(
        "aaronshirley751/ibkr-trading-bot-production, docs/task 0.4 Quality Error error logs.md",
        (
            "collecting ... collected 0 items",
            "",
            "============================ no tests ran in 0.01s =============================",
        ),
        IssueType.TEST_FAILURE,
        rule="pytest-no-tests-ran",
        trailer="##[error]Process completed with exit code 5.",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_top_finding_of_a_real_failure(tmp_path: Path, case: Case) -> None:
    analysis = classify.analyze_paths([_write(tmp_path, case.body, case.trailer or None)])
    assert analysis.findings, f"no finding for {case.source}"
    top = analysis.findings[0]
    assert top.type is case.type, f"{case.source}: {top.rule} on {top.text!r}"
    assert dict(case.data).items() <= dict(top.data).items()
    if case.rule is not None:
        assert top.rule == case.rule
    assert top.step == "Run .ci/test.sh"


def test_passing_job_with_the_same_noise_stays_quiet(tmp_path: Path) -> None:
    # Warnings seen in passing and failing pytorch jobs alike (PTI fixtures above, experimental
    # log5/log8 *_success.txt): without a failure marker they are not findings.
    body = (
        *UPLOAD_WARNINGS,
        "sudo: setrlimit(RLIMIT_STACK): Operation not permitted",
        "##[warning]No files were found with the provided path: test/test-reports. No artifacts "
        "will be uploaded.",
        "============================ no tests ran in 0.01s =============================",
    )
    analysis = classify.analyze_paths([_write(tmp_path, body, None)])
    assert analysis.findings == ()
    assert [job.conclusion for job in analysis.jobs] == ["success"]
