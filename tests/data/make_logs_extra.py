"""More failing cases for the development set: second phrasings of the same types (generalisation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from logbuild import BOLD, GREEN, RED, RESET, UBUNTU22, UBUNTU24, Job
from lognoise import pytest_header


def register_extra(
    case: Any,
    start: Any,
    py_job: Any,
    node_job: Any,
    end: Any,
    top: Any,
    failing: Any,
    passing: Any,
) -> None:
    @case(
        "missing_dependency-numpy-distutils-py312",
        "missing_dependency",
        "numpy/numpy #24417 (`No module named 'numpy.distutils'`, hostedtoolcache path; removed in Python 3.12)",
    )
    def _x1() -> Any:
        j = py_job("build (3.12)", "fortran-ext", pkgs=16)
        j.run("python setup.py build_ext --inplace", name="Build extension")
        ws = j.platform.workspace("fortran-ext")
        j.emit("Traceback (most recent call last):", gap=0.4)
        j.emit(f'  File "{ws}/setup.py", line 3, in <module>')
        j.emit("    from numpy.distutils.core import Extension, setup")
        line = j.emit("ModuleNotFoundError: No module named 'numpy.distutils'")
        j.exit_code(1)
        end(j)
        return [j], failing(
            top("import_error", line, **{"from": "numpy", "name": "distutils"}),
            "numpy.distutils is gone on Python 3.12 / NumPy 2; the dotted name names a submodule, not a package to add.",
        )

    @case(
        "missing_env_vars-pydantic-v1-field-required",
        "missing_env_vars",
        "alexvanzyl/fastapi-simple-app-example #3 (pydantic v1 `field required (type=value_error.missing)`)",
    )
    def _x2() -> Any:
        j = py_job("migrate", "fastapi-app", pkgs=30, py=("3.10", "3.10.16"))
        j.run(
            "alembic upgrade head",
            name="Run migrations",
            env={"POSTGRES_USER": "app", "POSTGRES_SERVER": ""},
        )
        ws = j.platform.workspace("fastapi-app")
        j.emit("Traceback (most recent call last):", gap=0.6)
        j.emit(f'  File "{j.platform.python_root("3.10.16")}/bin/alembic", line 8, in <module>')
        j.emit("    sys.exit(main())")
        j.emit(f'  File "{ws}/migrations/env.py", line 9, in <module>')
        j.emit("    from app.core.config import settings")
        j.emit(f'  File "{ws}/app/core/config.py", line 41, in <module>')
        j.emit("    settings = Settings()")
        j.emit(
            '  File "pydantic/env_settings.py", line 39, in pydantic.env_settings.BaseSettings.__init__'
        )
        j.emit('  File "pydantic/main.py", line 341, in pydantic.main.BaseModel.__init__')
        j.emit("pydantic.error_wrappers.ValidationError: 1 validation error for Settings")
        line = j.emit("POSTGRES_SERVER")
        j.emit("  field required (type=value_error.missing)")
        j.exit_code(1)
        end(j)
        return [j], failing(
            top("missing_env_vars", line, var="POSTGRES_SERVER"),
            "pydantic v1 wording; the env block shows POSTGRES_SERVER empty. The field-name line proves the variable.",
        )

    @case(
        "missing_env_vars-aws-partial-credentials",
        "missing_env_vars",
        "travis-ci/travis-ci #9817 (`Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY`)",
    )
    def _x3() -> Any:
        j = Job("publish", start(), UBUNTU24, repo="assets", seed="x3")
        j.setup(["actions/checkout@v4"])
        j.checkout()
        j.run(
            "aws s3 sync ./dist s3://acme-assets/releases/ --delete",
            name="Upload to S3",
            env={
                "AWS_ACCESS_KEY_ID": "***",
                "AWS_SECRET_ACCESS_KEY": "",
                "AWS_DEFAULT_REGION": "eu-west-1",
            },
        )
        j.emit("", gap=1.2)
        line = j.emit("Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY")
        j.exit_code(255)
        end(j)
        return [j], failing(
            top("missing_env_vars", line, var="AWS_SECRET_ACCESS_KEY"),
            "The secret for AWS_SECRET_ACCESS_KEY is not set (empty in the env block).",
        )

    @case(
        "network_error-yarn-503",
        "network_error",
        'yarnpkg/yarn #7745 (`error An unexpected error occurred: "https://registry.yarnpkg.com/...: Request failed \\"503 Service Unavailable\\"".`)',
    )
    def _x4() -> Any:
        j = node_job("build", "legacy-spa")
        j.run("yarn install --frozen-lockfile", name="Install")
        j.emit("yarn install v1.22.22", gap=0.5)
        j.emit("[1/4] Resolving packages...")
        j.emit("[2/4] Fetching packages...", gap=2)
        j.emit("info There appears to be trouble with your network connection. Retrying...", gap=30)
        j.emit("info There appears to be trouble with your network connection. Retrying...", gap=30)
        line = j.emit(
            'error An unexpected error occurred: "https://registry.yarnpkg.com/he/-/he-1.2.0.tgz: Request failed \\"503 Service Unavailable\\"".',
            gap=30,
        )
        j.emit(
            'info If you think this is a bug, please open a bug report with the information provided in "/home/runner/work/legacy-spa/legacy-spa/yarn-error.log".'
        )
        j.emit(
            "info Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command."
        )
        j.exit_code(1)
        end(j)
        return [j], failing(
            top("network_error", line, host="registry.yarnpkg.com"),
            "Registry 503 after yarn's retries.",
        )

    @case(
        "runner_failure-dotnet-ioexception-no-space",
        "runner_failure",
        "actions/runner-images #9494; stanford-crfm/helm #2401 (`System.IO.IOException: No space left on device : '/home/runner/runners/.../_diag/Worker_...log'`)",
    )
    def _x5() -> Any:
        j = Job(
            "build-images",
            start(),
            UBUNTU22,
            repo="ml-images",
            seed="x5",
        )
        j.setup(["actions/checkout@v4"], runner="2.314.1")
        j.checkout()
        j.run("docker build -t ml-base:ci -f docker/base.Dockerfile .", name="Build base image")
        for k in range(1, 9):
            j.emit(f"#{k} [{k}/8] RUN pip install -r requirements/{k}.txt", gap=20)
            j.emit(f"#{k} DONE {k * 11.3:.1f}s")
        j.emit("#9 exporting to image", gap=3)
        line = j.emit(
            "##[error]System.IO.IOException: No space left on device : '/home/runner/runners/2.314.1/_diag/Worker_20250503-083344-utc.log'\n"
            "   at System.IO.RandomAccess.WriteAtOffset(SafeFileHandle handle, ReadOnlySpan`1 buffer, Int64 fileOffset)\n"
            "   at System.IO.Strategies.BufferedFileStreamStrategy.FlushWrite()\n"
            "   at System.IO.StreamWriter.Flush(Boolean flushStream, Boolean flushEncoder)\n"
            "   at GitHub.Runner.Common.HostTraceListener.WriteHeader(String source, TraceEventType eventType, Int32 id)",
            gap=40,
        )
        j.failed = True
        j.finish()
        return [j], failing(
            top("runner_failure", line),
            "The runner itself cannot write its diagnostic log: disk full. A multi-line record (.NET stack without timestamps).",
        )

    @case(
        "auth_error-ssh-publickey-submodule",
        "auth_error",
        "git over SSH rejection (`git@github.com: Permission denied (publickey).` / `fatal: Could not read from remote repository.`)",
    )
    def _x6() -> Any:
        j = Job("build", start(), UBUNTU24, repo="game", seed="x6")
        j.setup(["actions/checkout@v4"])
        j.checkout()
        j.run("git submodule update --init --recursive", name="Fetch submodules")
        j.emit(
            "Submodule 'vendor/engine' (git@github.com:acme/engine.git) registered for path 'vendor/engine'",
            gap=0.3,
        )
        j.emit("Cloning into '/home/runner/work/game/game/vendor/engine'...")
        line = j.emit("git@github.com: Permission denied (publickey).", gap=0.8)
        j.emit("fatal: Could not read from remote repository.")
        j.emit("")
        j.emit("Please make sure you have the correct access rights")
        j.emit("and the repository exists.")
        j.emit(
            "fatal: clone of 'git@github.com:acme/engine.git' into submodule path '/home/runner/work/game/game/vendor/engine' failed"
        )
        j.emit("Failed to clone 'vendor/engine'. Retry scheduled")
        j.emit(
            "fatal: clone of 'git@github.com:acme/engine.git' into submodule path '/home/runner/work/game/game/vendor/engine' failed"
        )
        j.emit("Failed to clone 'vendor/engine' a second time, aborting")
        j.exit_code(1)
        end(j)
        return [j], failing(top("auth_error", line), "No SSH key for the private submodule.")

    @case(
        "lint_failure-ruff-new-format",
        "lint_failure",
        "nbQA-dev/nbQA #891 quoting astral-sh/ruff PR #19415 (ruff >= 0.12.10: location on a `-->` line)",
    )
    def _x7() -> Any:
        j = py_job("lint", "nbtools", pkgs=4)
        j.run("ruff check --output-format full .", name="Ruff")
        j.emit(f"{RED}{BOLD}F401{RESET} [*] `pathlib` imported but unused", gap=0.3)
        j.emit(" \x1b[1;94m-->\x1b[0m nbtools/unused.py:8:19")
        j.emit("  \x1b[1;94m|\x1b[0m")
        j.emit("\x1b[1;94m8 |\x1b[0m import os, pathlib")
        j.emit("  \x1b[1;94m|\x1b[0m                   \x1b[1;91m^^^^^^^\x1b[0m")
        j.emit("  \x1b[1;94m|\x1b[0m")
        j.emit("\x1b[1;96mhelp\x1b[0m: Remove unused import: `pathlib`")
        j.emit("")
        line = j.emit("Found 1 error.")
        j.emit("[*] 1 fixable with the `--fix` option.")
        j.exit_code(1)
        end(j)
        return [j], failing(
            top("lint_failure", line, tool="ruff"),
            "New ruff full output format; the rule code line has no path.",
        )

    @case(
        "test_failure-unittest",
        "test_failure",
        "PTI src/main.rs test log (`FAIL: test_x (__main__.TestY)` / `FAILED (failures=1)`)",
    )
    def _x8() -> Any:
        j = py_job("test", "stdlib-ext", pkgs=3)
        j.run("python -m unittest discover -s tests -v", name="unittest")
        for i in range(30):
            j.emit(
                f"test_roundtrip_{i:02d} (test_codec.TestCodec.test_roundtrip_{i:02d}) ... ok",
                gap=0.02,
            )
        j.emit(
            "test_error_on_truncated_input (test_codec.TestCodec.test_error_on_truncated_input) ... ok"
        )
        j.emit("test_decode_latin1 (test_codec.TestCodec.test_decode_latin1) ... FAIL")
        j.emit("")
        j.emit("======================================================================")
        line = j.emit("FAIL: test_decode_latin1 (test_codec.TestCodec.test_decode_latin1)")
        j.emit("----------------------------------------------------------------------")
        j.emit("Traceback (most recent call last):")
        j.emit(
            f'  File "{j.platform.workspace("stdlib-ext")}/tests/test_codec.py", line 58, in test_decode_latin1'
        )
        j.emit("    self.assertEqual(decode(b'\\xe9t\\xe9'), 'été')")
        j.emit("AssertionError: 'ï¿½tï¿½' != 'été'")
        j.emit("- ï¿½tï¿½")
        j.emit("+ été")
        j.emit("")
        j.emit("")
        j.emit("----------------------------------------------------------------------")
        j.emit("Ran 32 tests in 0.011s")
        j.emit("")
        j.emit("FAILED (failures=1)")
        j.exit_code(1)
        end(j)
        return [j], failing(
            top("test_failure", line, test="test_decode_latin1"), "unittest failure."
        )

    @case(
        "dependency_conflict-poetry-solver",
        "dependency_conflict",
        "Poetry resolver output (`version solving failed.`)",
    )
    def _x9() -> Any:
        j = py_job("test", "etl-poetry", pkgs=0)
        j.run("pipx install poetry==2.1.2\npoetry install --no-interaction", name="Install")
        j.emit("  installed package poetry 2.1.2, installed using Python 3.12.9", gap=8)
        j.emit("  These apps are now globally available")
        j.emit("    - poetry")
        j.emit("done! ✨ 🌟 ✨")
        j.emit("Updating dependencies", gap=1)
        j.emit("Resolving dependencies...", gap=1)
        j.emit("")
        j.emit("Because pandas (2.2.3) depends on numpy (>=1.26.0)")
        j.emit(
            " and no versions of pandas match >2.2.3,<3.0.0, pandas (>=2.2.3,<3.0.0) requires numpy (>=1.26.0)."
        )
        line = j.emit(
            "So, because etl-poetry depends on both pandas (^2.2.3) and numpy (<1.26), version solving failed."
        )
        j.exit_code(1)
        end(j)
        return [j], failing(
            top("dependency_conflict", line), "Incompatible constraints in pyproject.toml."
        )

    @case(
        "syntax_error-node",
        "syntax_error",
        "Node.js SyntaxError report (file:line, source line, caret, `SyntaxError: Unexpected token '}'`)",
    )
    def _x10() -> Any:
        j = node_job("build", "bot")
        j.run("node scripts/build-manifest.js", name="Build manifest")
        ws = j.platform.workspace("bot")
        j.emit(f"{ws}/scripts/build-manifest.js:27", gap=0.2)
        j.emit("  });")
        j.emit("  ^")
        j.emit("")
        line = j.emit("SyntaxError: Unexpected token '}'")
        j.emit("    at wrapSafe (node:internal/modules/cjs/loader:1486:18)")
        j.emit("    at Module._compile (node:internal/modules/cjs/loader:1528:20)")
        j.emit("    at Object..js (node:internal/modules/cjs/loader:1706:10)")
        j.emit("")
        j.emit("Node.js v20.19.0")
        j.exit_code(1)
        end(j)
        return [j], failing(top("syntax_error", line), "Parse error in a build script.")

    @case(
        "missing_tool-sh-not-found-container",
        "missing_tool",
        "dash wording for an unknown command (`sh: 1: yq: not found`, exit 127) in a container job",
    )
    def _x11() -> Any:
        j = Job("bump-chart", start(), UBUNTU24, repo="charts", seed="x11")
        j.setup(["actions/checkout@v4"])
        j.checkout()
        j.run(
            "yq -i '.version = \"1.8.0\"' charts/app/Chart.yaml",
            name="Bump chart version",
            shell_cmd="sh -e {0}",
        )
        line = j.emit(f"{j.temp_script()}: 1: yq: not found", gap=0.1)
        j.exit_code(127)
        end(j)
        return [j], failing(
            top("missing_tool", line, command="yq", exit_code=127),
            "yq is not on this image (sh/dash wording).",
        )

    @case(
        "run-flat-two-failures-first-in-time",
        "missing_dependency",
        "issue 3 (whole-run input: ties broken by the job that failed first in time); flat layout",
        zip_layout="flat",
    )
    def _x12() -> Any:
        t0 = dt.datetime(2025, 6, 9, 7, 30, 0)
        jobs = []
        for py, full, delay in [("3.11", "3.11.11", 95), ("3.12", "3.12.9", 0)]:
            j = py_job(
                f"test ({py})",
                "rules-engine",
                pkgs=18,
                py=(py, full),
                when=t0 + dt.timedelta(seconds=delay),
            )
            j.run("pytest", name="Run tests")
            pytest_header(j, py=full, collected="collected 40 items / 1 error")
            j.emit(
                f"{RED}{BOLD}____________________ ERROR collecting tests/test_loader.py _____________________{RESET}"
            )
            j.emit("tests/test_loader.py:1: in <module>")
            j.emit("    import yaml")
            j.emit(f"{RED}{BOLD}E   ModuleNotFoundError: No module named 'yaml'{RESET}")
            j.emit(
                f"{RED}!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!{RESET}"
            )
            j.exit_code(2)
            end(j)
            jobs.append(j)
        return jobs, failing(
            top("missing_dependency", None, job="test (3.12)", module="yaml"),
            "Both matrix jobs fail the same way; test (3.12) started 95 s earlier and failed first, "
            "so it leads although it is second in the zip.",
            jobs=2,
        )


def register_traps(
    case: Any,
    start: Any,
    py_job: Any,
    node_job: Any,
    end: Any,
    top: Any,
    failing: Any,
    passing: Any,
) -> None:
    """Cases whose surface text points at the wrong type, and newer runner log features."""

    @case(
        "test_failure-assertion-quotes-module-error",
        "test_failure",
        "trap: an assertion message quoting `No module named 'foo'` (pytest FAILED summary format, okken/pytest-check PR #150)",
    )
    def _t1() -> Any:
        j = py_job("test", "plugin-loader", pkgs=20)
        j.run("pytest -q", name="Run tests")
        pytest_header(j, items=61)
        j.emit("." * 40 + "F" + "." * 20 + "                            [100%]", gap=1)
        j.emit(
            f"{BOLD}=================================== FAILURES ==================================={RESET}"
        )
        j.emit(
            f"{RED}{BOLD}______________________ test_missing_plugin_message _______________________{RESET}"
        )
        j.emit("")
        j.emit("    def test_missing_plugin_message():")
        j.emit("        with pytest.raises(PluginError) as exc:")
        j.emit('            load_plugin("foo")')
        j.emit(">       assert \"No module named 'foo'\" in str(exc.value)")
        j.emit(
            f"{RED}{BOLD}E       assert \"No module named 'foo'\" in \"plugin 'foo' is not installed\"{RESET}"
        )
        j.emit(
            f"{RED}{BOLD}E        +  where \"plugin 'foo' is not installed\" = str(PluginError(\"plugin 'foo' is not installed\")){RESET}"
        )
        j.emit("")
        j.emit("tests/test_loader.py:22: AssertionError")
        j.emit(
            f"{BOLD}=========================== short test summary info ============================{RESET}"
        )
        j.emit(
            f"{RED}FAILED{RESET} tests/test_loader.py::test_missing_plugin_message - assert \"No module named 'foo'\" in \"plugin 'foo' is not installed\""
        )
        j.emit(f"{RED}1 failed, 60 passed in 0.91s{RESET}")
        j.exit_code(1)
        end(j)
        return [j], failing(
            top("test_failure", None, test="tests/test_loader.py::test_missing_plugin_message"),
            "The text `No module named 'foo'` is inside an assertion about an error message; nothing is "
            "missing from the environment. A test failed.",
        )

    @case(
        "lint_failure-ruff-github-annotations",
        "lint_failure",
        "ruff `--output-format=github` workflow commands; the log shows `::error ...::msg` as `##[error]msg` (github-api.md §2)",
    )
    def _t2() -> Any:
        j = py_job("lint", "webhooks", pkgs=4)
        j.run("ruff check --output-format=github .", name="Ruff")
        j.emit("##[error]webhooks/handlers.py:3:8: F401 [*] `os` imported but unused", gap=0.3)
        j.emit("##[error]webhooks/handlers.py:57:5: E722 Do not use bare `except`")
        j.exit_code(1)
        end(j)
        return [j], failing(
            top("lint_failure", None),
            "Lint errors written as annotations; the log shows them as ##[error] lines.",
        )

    @case(
        "import_error-relative-import",
        "import_error",
        "CPython message `ImportError: attempted relative import with no known parent package` (a script run as a file, not a module)",
    )
    def _t3() -> Any:
        j = py_job("smoke", "reporter", pkgs=10)
        j.run("python reporter/cli.py --help", name="CLI smoke test")
        ws = j.platform.workspace("reporter")
        j.emit("Traceback (most recent call last):", gap=0.2)
        j.emit(f'  File "{ws}/reporter/cli.py", line 4, in <module>')
        j.emit("    from .render import render_table")
        line = j.emit("ImportError: attempted relative import with no known parent package")
        j.exit_code(1)
        end(j)
        return [j], failing(
            top("import_error", line),
            "Run as `python -m reporter.cli`; nothing is missing from the environment.",
        )

    @case(
        "passing-debug-logging",
        "passing",
        "`##[debug]` lines appear with ACTIONS_STEP_DEBUG or a debug re-run (github-api.md §2; actions/runner #2038 shows the form)",
    )
    def _t4() -> Any:
        j = py_job("test", "orbit-api", pkgs=12)
        j.run("pytest -q", name="Run tests")
        for text in [
            "Evaluating condition for step: 'Run tests'",
            "Evaluating: success()",
            "Evaluating success:",
            "=> true",
            "Result: true",
            "Starting: Run tests",
            "Loading inputs",
            "Loading env",
            "steps.lint.outputs.error_count='0'",
            "steps.lint.outputs.failed_files=''",
        ]:
            j.emit("##[debug]" + text)
        pytest_header(j, items=40)
        j.emit("." * 40 + "                                        [100%]", gap=1)
        j.emit(f"{GREEN}40 passed in 0.77s{RESET}")
        j.emit("##[debug]Finishing: Run tests")
        end(j)
        return [j], passing(
            "Debug lines mention errors and failures as output names; the job passed."
        )

    @case(
        "passing-composite-action-markers",
        "passing",
        "runner composite-step markers `##[start-action ...]` / `##[end-action ...]` (runner PR #4243/#4267, github-api.md §2)",
    )
    def _t5() -> Any:
        j = Job("build", start(), UBUNTU24, repo="mono", seed="t5")
        j.setup(["actions/checkout@v4", "actions/setup-node@v4"], runner="2.332.0")
        j.checkout()
        j.step("Run ./.github/actions/setup-toolchain")
        j.emit("##[group]Run ./.github/actions/setup-toolchain")
        j.emit("with:")
        j.emit("  node-version: 20")
        j.emit("##[endgroup]")
        j.emit("##[start-action display=Install toolchain;id=install]")
        j.emit("##[group]Run npm ci --no-audit")
        j.emit("\x1b[36;1mnpm ci --no-audit\x1b[0m")
        j.emit("shell: /usr/bin/bash --noprofile --norc -e -o pipefail {0}")
        j.emit("##[endgroup]")
        npm_ci_ok(j)
        j.emit("##[end-action id=install;outcome=success;conclusion=success;duration_ms=15234]")
        j.emit("##[start-action display=Check for errors in lockfile;id=lockcheck]")
        j.emit("lockfile OK: 0 errors, 0 failures")
        j.emit("##[end-action id=lockcheck;outcome=success;conclusion=success;duration_ms=212]")
        end(j)
        return [j], passing("Composite step markers (2026 runners) around passing inner steps.")


def npm_ci_ok(j: Job) -> None:
    j.emit("", gap=5)
    j.emit("added 812 packages in 14s")
    j.emit("")
    j.emit("164 packages are looking for funding")
    j.emit("  run `npm fund` for details")
