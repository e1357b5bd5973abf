"""Verdicts the caches/artifacts/runner-resources sweep (helper h62) relies on beyond the rules' own
examples: a job the runner's own worker ended by crashing (no failure marker at all), and what must
stay a passing job around it.

Texts are the runner's and tools' real formats with names changed; the threads are named where the
code says why (settle.py, rules/10-platform.yaml).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import run_step, top_finding, write_job

_SET_UP = [
    "Current runner version: '2.314.1'",
    "Prepare workflow directory",
    "Complete job name: build",
]
_POST = [
    "Post job cleanup.",
    "/usr/bin/tar --posix -cf cache.tzst --exclude cache.tzst -P -C /home/runner/work/app/app --files-from manifest.txt --use-compress-program zstdmt",
]
_DIAG = "'/home/runner/runners/2.314.1/_diag/Worker_20240312-083344-utc.log'"
_RUNNER_STACK = [
    "   at System.IO.RandomAccess.WriteAtOffset(SafeFileHandle handle, ReadOnlySpan`1 buffer, Int64 fileOffset)",
    "   at System.IO.StreamWriter.Flush(Boolean flushStream, Boolean flushEncoder)",
    "   at System.Diagnostics.TextWriterTraceListener.Flush()",
    "   at GitHub.Runner.Common.HostTraceListener.WriteHeader(String source, TraceEventType eventType, Int32 id)",
    "   at GitHub.Runner.Worker.Worker.RunAsync(String pipeIn, String pipeOut)",
]
_WINDOWS_STACK = [
    "   at System.IO.FileStream.WriteNative(ReadOnlySpan`1 source)",
    "   at System.Diagnostics.TextWriterTraceListener.Flush()",
    "   at GitHub.Runner.Worker.Program.MainAsync(IHostContext context, String[] args)",
]


def _job(tmp_path: Path, lines: list[str]) -> tuple[str, str | None]:
    analysis = analyze_paths([write_job(tmp_path, lines)])
    job = analysis.jobs[0]
    return job.conclusion, analysis.findings[0].type.value if analysis.findings else None


@pytest.mark.parametrize(
    "crash",
    [
        # actions/runner-images #9494: the worker cannot write its _diag log (Linux, with the path).
        [f"System.IO.IOException: No space left on device : {_DIAG}", *_RUNNER_STACK],
        # axonweb3/axon #1472: .NET's "Unhandled exception." prefix, in a post step.
        ["Unhandled exception. System.IO.IOException: No space left on device", *_RUNNER_STACK],
        # amplication/amplication #1285: an older runner, no path, FileStream frames.
        ["System.IO.IOException: No space left on device", *_WINDOWS_STACK],
        # Windows words it as ERROR_DISK_FULL.
        [
            "System.IO.IOException: There is not enough space on the disk. : "
            "'C:\\actions-runner\\_diag\\Worker_20240101-000000-utc.log'",
            *_WINDOWS_STACK,
        ],
    ],
)
def test_runner_worker_crash_without_marker_fails_the_job(tmp_path: Path, crash: list[str]) -> None:
    lines = [*_SET_UP, *run_step("make build", "build ok"), *_POST, *crash]
    assert _job(tmp_path, lines) == ("failure", "runner_failure")


def test_runner_crash_mid_step_is_that_steps_failure(tmp_path: Path) -> None:
    lines = [
        *_SET_UP,
        *run_step("docker build -t app .", "#12 exporting layers"),
        f"System.IO.IOException: No space left on device : {_DIAG}",
        *_RUNNER_STACK,
    ]
    assert _job(tmp_path, lines) == ("failure", "runner_failure")


@pytest.mark.parametrize(
    "lines",
    [
        # FormalizedFormalLogic/Foundation #631: the cache save runs out of disk and only warns.
        [
            *_SET_UP,
            *run_step("lake build", "Build completed successfully."),
            *_POST,
            "zstd: error 70 : Write error : cannot write block : No space left on device ",
            "/usr/bin/tar: Child returned status 70",
            '##[warning]Failed to save: "/usr/bin/tar" failed with error: The process '
            "'/usr/bin/tar' failed with exit code 2",
            "Cleaning up orphan processes",
        ],
        # A .NET program of the job's own that logs an exception (no runner frames) and goes on.
        [
            *_SET_UP,
            *run_step(
                "dotnet run --project tools/Seeder",
                "System.IO.IOException: No space left on device",
                "   at System.IO.FileStream.WriteNative(ReadOnlySpan`1 source)",
                "   at Seeder.Program.Main(String[] args)",
                "Seeding skipped; done.",
            ),
            "Post job cleanup.",
            "Cleaning up orphan processes",
        ],
        # The runner crash in a step after which an ordinary step still ran is not the job's end.
        [
            *_SET_UP,
            *run_step("make build", f"System.IO.IOException: No space left on device : {_DIAG}"),
            *_RUNNER_STACK,
            *run_step("make test", "ok"),
            "Post job cleanup.",
        ],
    ],
)
def test_what_stays_a_passing_job(tmp_path: Path, lines: list[str]) -> None:
    assert _job(tmp_path, lines) == ("success", None)


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # DevExpress/testcafe-action #24: an older runner's step timeout names no step.
        (
            ["Run npx testcafe chrome:headless tests/e2e", "Error: The action has timed out."],
            "timeout",
        ),
        (["##[error]The action has timed out."], "timeout"),
        # A library's own message of the same words, mid-line, is no step limit.
        (["    at Timeout._onTimeout (doxie.js:12:14) Error: The action has timed out"], None),
        # ComputationalRadiationPhysics/cuda_memtest #46: the newer queue-expiry wording.
        (
            [
                "This request was automatically failed because there were no runners enabled "
                "online to process the request for more than 1 day."
            ],
            "runner_failure",
        ),
        # BoundaryML/baml PR #4680: a whole day queued for a self-hosted runner is no slow job.
        (
            ["The job has exceeded the maximum execution time while awaiting a runner for 24h0m0s"],
            "runner_failure",
        ),
        (["The job has exceeded the maximum execution time of 45m0s"], "timeout"),
        # OOM kills in the compilers' and package managers' own words.
        (
            [
                "clang: error: unable to execute command: Killed",
                "clang: error: clang frontend command failed due to signal (use -v to see invocation)",
                "make[2]: *** [src/CMakeFiles/app.dir/big.cpp.o] Error 254",
            ],
            "runner_failure",
        ),
        (
            [
                "c++: internal compiler error: Killed (program cc1plus)",
                "Please submit a full bug report,",
                "make[2]: *** [lib/IR/CMakeFiles/LLVMCore.dir/Function.cpp.o] Error 4",
            ],
            "runner_failure",
        ),
        (
            [
                "$ node scripts/build.js",
                "Creating an optimized production build...",
                'error Command failed with signal "SIGKILL".',
                "info Visit https://yarnpkg.com/en/docs/cli/run for documentation about this command.",
            ],
            "runner_failure",
        ),
        # Tools that report their child's OOM in their own words, over lines other rules know.
        (
            [
                "* What went wrong:",
                "Execution failed for task ':app:compileDebugKotlin'.",
                "> A failure occurred while executing org.jetbrains.kotlin.compilerRunner."
                "GradleCompilerRunnerWithWorkers$GradleKotlinCompilerWorkAction",
                "   > Not enough memory to run compilation. Try to increase it via "
                "'gradle.properties':",
                "     org.gradle.jvmargs=-Xmx<size>",
            ],
            "runner_failure",
        ),
        (
            [
                " FAIL  test/unit-tests/slash-commands/topic-test.ts",
                "  ● Test suite failed to run",
                "",
                "    Jest worker ran out of memory and crashed",
                "Test Suites: 1 failed, 412 passed, 413 total",
            ],
            "runner_failure",
        ),
        (
            [
                "[INFO] Running com.acme.gateway.SessionManagerTest",
                'Exception in thread "main" java.lang.OutOfMemoryError: unable to create native '
                "thread: possibly out of memory or process/resource limits reached",
                "        at java.base/java.lang.Thread.start0(Native Method)",
            ],
            "runner_failure",
        ),
        # The Android emulator refuses to start on a full disk; the boot wait then times out.
        (
            [
                "ERROR        | Not enough space to create userdata partition. Available: "
                "7329.925781 MB at /home/runner/.android/avd/../avd/test.avd, need 7372.800000 MB.",
                "Error: Timeout waiting for emulator to boot.",
            ],
            "runner_failure",
        ),
        (
            [
                "npm ERR! code ELIFECYCLE",
                "npm ERR! errno 137",
                "npm ERR! site@1.0.0 build: `gulp build`",
                "npm ERR! Exit status 137",
            ],
            "runner_failure",
        ),
    ],
)
def test_pasted_resource_and_limit_wordings(
    tmp_path: Path, lines: list[str], want: str | None
) -> None:
    assert top_finding(tmp_path, lines)[0] == want
