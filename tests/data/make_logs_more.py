"""Passing logs and run zips for the development set (registered into make_logs.CASES)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from logbuild import BOLD, GREEN, MACOS, RED, RESET, UBUNTU22, UBUNTU24, WINDOWS, YELLOW, Job
from lognoise import (
    PIP_PACKAGES,
    cargo_compiling,
    go_ok,
    npm_ci,
    pip_install,
    pytest_header,
    pytest_passing_tests,
    pytest_progress,
    ruff_ok,
)

SET_OUTPUT = (
    "The `set-output` command is deprecated and will be disabled soon. Please upgrade to using Environment "
    "Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-"
    "save-state-and-set-output-commands/"
)
SAVE_STATE = SET_OUTPUT.replace("`set-output`", "`save-state`")
NODE16 = (
    "Node.js 16 actions are deprecated. Please update the following actions to use Node.js 20: "
    "actions/cache@v3, actions/setup-node@v3. For more information see: "
    "https://github.blog/changelog/2023-09-22-github-actions-transitioning-from-node-16-to-node-20/."
)


def register_more(
    case: Any,
    start: Any,
    py_job: Any,
    node_job: Any,
    end: Any,
    top: Any,
    failing: Any,
    passing: Any,
) -> None:
    # -----------------------------------------------------------------------------------------
    # passing logs: zero findings expected (notices allowed)

    def pytest_green(j: Job, n: int, secs: str = "14.02s") -> None:
        j.run("pytest -v", name="Run tests")
        pytest_header(j, items=n)
        pytest_progress(j, pytest_passing_tests(n))
        j.emit("")
        j.emit(
            f"{GREEN}============================= {n} passed in {secs} ============================={RESET}"
        )

    @case(
        "passing-pytest-error-named-tests",
        "passing",
        "constellation-works/orbit PR #1230/#1416 (passing test names containing 'error' became false anchors); "
        "Node 20 warning text from PTI fixture artifact_not_found.txt",
    )
    def _p1() -> Any:
        j = py_job("test", "orbit-api", pkgs=43)
        pytest_green(j, 260)
        end(j, node20=True)
        return [j], passing(
            "Test names contain error/fail/timeout/permission_denied; the Node 20 warning is a notice."
        )

    @case(
        "passing-pip-retry-then-success",
        "passing",
        "packit/ogr #545 (pip `WARNING: Retrying ... ReadTimeoutError` before success)",
    )
    def _p2() -> Any:
        j = Job("test", start(), UBUNTU24, repo="ogr-lite", seed="p2")
        j.setup(["actions/checkout@v4", "actions/setup-python@v5"])
        j.checkout()
        j.setup_python()
        j.run("pip install -r requirements.txt", name="Install dependencies")
        j.emit("Collecting requests==2.32.3 (from -r requirements.txt (line 1))")
        for total in (4, 3):
            j.emit(
                f"WARNING: Retrying (Retry(total={total}, connect=None, read=None, redirect=None, status=None)) after "
                "connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='files.pythonhosted.org', port=443): "
                "Read timed out. (read timeout=15)\")': /packages/f9/9b/requests-2.32.3-py3-none-any.whl.metadata",
                gap=15,
            )
        pip_install(j, PIP_PACKAGES[1:25])
        pytest_green(j, 40, "2.10s")
        end(j)
        return [j], passing("pip hit read timeouts but its retries succeeded; the job passed.")

    @case(
        "passing-checkout-dns-retry",
        "passing",
        "actions/runner #2930 (checkout's own retry: `Waiting 12 seconds before trying again`)",
    )
    def _p3() -> Any:
        j = Job("build", start(), UBUNTU22, repo="firmware", seed="p3")
        j.setup(["actions/checkout@v4"])
        j.checkout(transient_dns=1)
        j.run("make -j4", name="Build")
        for i in range(40):
            j.emit(f"  CC      src/drivers/dev{i:02d}.o", gap=0.3)
        j.emit("  LD      build/firmware.elf")
        j.emit("Memory region         Used Size  Region Size  %age Used")
        j.emit("           FLASH:      212344 B       512 KB     40.50%")
        end(j)
        return [j], passing(
            "A transient DNS failure was retried by actions/checkout and the job passed."
        )

    @case(
        "passing-npm-jest-console-error",
        "passing",
        "Jest console output from passing tests of error paths; npm deprecation warnings",
    )
    def _p4() -> Any:
        j = node_job("test", "storefront-web")
        j.run("npm ci", name="Install")
        npm_ci(j)
        j.run("npm test -- --ci", name="Test")
        j.emit("> storefront-web@2.4.0 test", gap=1)
        j.emit("> jest --ci")
        for f in [
            "src/api/errors.test.ts",
            "src/api/retry.test.ts",
            "src/cart/failures.test.ts",
            "src/cart/cart.test.ts",
        ]:
            j.emit(
                f"\x1b[0m\x1b[7m\x1b[1m\x1b[32m PASS \x1b[39m\x1b[22m\x1b[27m\x1b[0m \x1b[2m{f.rsplit('/', 1)[0]}/\x1b[22m\x1b[1m{f.rsplit('/', 1)[1]}\x1b[22m",
                gap=0.5,
            )
            j.emit("  \x1b[1m\x1b[31m●\x1b[39m\x1b[22m Console")
            j.emit("")
            j.emit("    \x1b[31mconsole.error\x1b[39m")
            j.emit("      Error: connect ETIMEDOUT 10.0.0.1:443")
            j.emit("          at fetchWithRetry (src/api/retry.ts:22:11)")
            j.emit("")
        j.emit("\x1b[1mTest Suites: \x1b[22m\x1b[1m\x1b[32m24 passed\x1b[39m\x1b[22m, 24 total")
        j.emit("\x1b[1mTests:       \x1b[22m\x1b[1m\x1b[32m188 passed\x1b[39m\x1b[22m, 188 total")
        j.emit("\x1b[1mSnapshots:   \x1b[22m0 total")
        j.emit("\x1b[1mTime:\x1b[22m        8.402 s")
        j.emit("\x1b[2mRan all test suites\x1b[22m\x1b[2m.\x1b[22m")
        end(j)
        return [j], passing(
            "console.error output with ETIMEDOUT comes from tests of the retry path; all suites passed."
        )

    @case("passing-go-test", "passing", "go test success output")
    def _p5() -> Any:
        j = Job("test", start(), UBUNTU24, repo="svc", seed="p5")
        j.setup(["actions/checkout@v4", "actions/setup-go@v5"])
        j.checkout()
        j.action(
            "actions/setup-go@v5",
            [
                ("go-version-file", "go.mod"),
                ("check-latest", "false"),
                ("token", "***"),
                ("cache", "true"),
            ],
        )
        j.emit("Found in cache @ /opt/hostedtoolcache/go/1.24.1/x64")
        j.emit("go version go1.24.1 linux/amd64")
        j.run("go vet ./...\ngo test -race ./...", name="Test")
        go_ok(
            j,
            [
                "cmd/svc",
                "internal/auth",
                "internal/config",
                "internal/errors",
                "internal/failover",
                "internal/retry",
                "internal/server",
                "internal/storage",
                "pkg/permission",
            ],
        )
        j.emit("?   \tgithub.com/acme/svc/internal/testutil\t[no test files]")
        end(j)
        return [j], passing("All packages ok; package names mention errors/failover/permission.")

    @case("passing-cargo-test", "passing", "cargo test success output (`test result: ok.`)")
    def _p6() -> Any:
        j = Job("test", start(), UBUNTU24, repo="tokenizer", seed="p6")
        j.setup(["actions/checkout@v4", "dtolnay/rust-toolchain@stable"])
        j.checkout()
        j.action("dtolnay/rust-toolchain@stable", [("toolchain", "stable")])
        j.run("cargo test --locked", name="cargo test")
        cargo_compiling(j)
        j.emit(
            f"{GREEN}{BOLD}    Finished{RESET} `test` profile [unoptimized + debuginfo] target(s) in 41.02s",
            gap=30,
        )
        j.emit("running 42 tests")
        for i in range(42):
            j.emit(f"test parser::tests::error_recovery_{i:02d} ... {GREEN}ok{RESET}")
        j.emit("")
        j.emit(
            f"test result: {GREEN}ok{RESET}. 42 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.03s"
        )
        j.emit("")
        j.emit(f"{GREEN}{BOLD}   Doc-tests{RESET} tokenizer")
        j.emit("running 0 tests")
        j.emit(
            f"test result: {GREEN}ok{RESET}. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s"
        )
        end(j)
        return [j], passing("cargo test green; test names contain 'error_recovery'.")

    @case(
        "passing-ruff-mypy",
        "passing",
        "ruff clean run `All checks passed!` (astral-sh/ruff #18893); mypy success line",
    )
    def _p7() -> Any:
        j = py_job("lint", "webhooks", pkgs=38)
        j.run("ruff check .\nruff format --check .", name="Ruff")
        ruff_ok(j)
        j.emit("42 files already formatted")
        j.run("mypy --strict webhooks", name="mypy")
        j.emit("Success: no issues found in 42 source files", gap=8)
        end(j)
        return [j], passing("Linters pass.")

    @case(
        "passing-set-output-warning",
        "passing",
        "rollbar/github-deploy-action #25 (set-output deprecation warning; the run passes)",
    )
    def _p8() -> Any:
        j = node_job("version", "cli-tool")
        j.run(
            'VERSION=$(node -p "require(\'./package.json\').version")\necho "::set-output name=version::$VERSION"',
            name="Read version",
        )
        j.emit("##[warning]" + SET_OUTPUT, gap=0.2)
        j.run('echo "Releasing 3.1.4"', name="Show version")
        j.emit("Releasing 3.1.4")
        end(j)
        return [j], passing("set-output still works and only warns; at most a notice.")

    @case(
        "passing-windows-pytest",
        "passing",
        "Windows pwsh runner layout (GHAL example shell line)",
        bom=True,
        crlf=True,
    )
    def _p9() -> Any:
        j = py_job("test (windows-latest, 3.12)", "winsvc", platform=WINDOWS, pkgs=30)
        pytest_green(j, 120, "21.77s")
        end(j)
        return [j], passing("Windows job, BOM and CRLF, passing.")

    @case("passing-macos-build", "passing", "macOS runner layout (/Users/runner/work paths)")
    def _p10() -> Any:
        j = py_job("wheels (macos-14)", "fastgeo", platform=MACOS, pkgs=20)
        j.run("python -m pip wheel . -w dist/\nls -la dist/", name="Build wheel")
        j.emit("Processing /Users/runner/work/fastgeo/fastgeo", gap=1)
        j.emit("  Building wheel for fastgeo (pyproject.toml): started")
        j.emit("  Building wheel for fastgeo (pyproject.toml): finished with status 'done'")
        j.emit(
            "  Created wheel for fastgeo: filename=fastgeo-0.9.1-cp312-cp312-macosx_14_0_arm64.whl size=181244 sha256="
            + "ab" * 32
        )
        j.emit("Successfully built fastgeo")
        j.emit(
            "-rw-r--r--  1 runner  staff  181244 May  3 10:12 fastgeo-0.9.1-cp312-cp312-macosx_14_0_arm64.whl"
        )
        end(j)
        return [j], passing("macOS wheel build.")

    @case(
        "passing-grep-todo-scan",
        "passing",
        "grep output mentioning 'error' in a passing step (false-anchor risk, orbit PR #1230)",
    )
    def _p11() -> Any:
        j = Job("hygiene", start(), UBUNTU24, repo="app", seed="p11")
        j.setup(["actions/checkout@v4"])
        j.checkout()
        j.run(
            'grep -rn "error\\|fail" --include=*.py src/ | head -n 20 || true',
            name="List error handling sites",
        )
        for k, line in enumerate(
            [
                "src/app/errors.py:3:class AppError(Exception):",
                "src/app/errors.py:12:class ValidationError(AppError):",
                "src/app/errors.py:18:class PermissionDeniedError(AppError):",
                'src/app/handlers.py:41:        raise ValidationError("missing field")',
                "src/app/handlers.py:57:    except ModuleNotFoundError:  # optional dependency",
                'src/app/handlers.py:88:        log.error("upstream failed: %s", exc)',
                "src/app/retry.py:9:    # fail fast on ECONNREFUSED, retry on ETIMEDOUT",
                'src/app/retry.py:30:            raise TimeoutError("gave up after 5 attempts")',
                'src/app/config.py:14:        raise KeyError(f"{name} must be set")',
                "src/app/config.py:22:    # Error: Process completed with exit code 1 is what CI prints",
            ]
        ):
            j.emit(
                f"\x1b[35m{line.split(':', 2)[0]}\x1b[m\x1b[36m:\x1b[m\x1b[32m{line.split(':', 2)[1]}\x1b[m\x1b[36m:\x1b[m{line.split(':', 2)[2]}",
                gap=0.01 * k,
            )
        j.run('test -z "$(git status --porcelain)"', name="Tree is clean")
        end(j)
        return [j], passing("grep prints source lines that contain error texts; nothing failed.")

    @case(
        "passing-pytest-importorskip",
        "passing",
        "pytest SKIPPED summary (`SKIPPED [1] ...: could not import 'pandas': No module named 'pandas'`), pytest-dev/pytest PR #4805 prefixes",
    )
    def _p12() -> Any:
        j = py_job("test-minimal", "tabular", pkgs=12)
        j.run("pytest -rs", name="Run tests (no optional deps)")
        pytest_header(j, items=58)
        tests = [
            *pytest_passing_tests(56),
            ("tests/test_io_pandas.py::test_roundtrip", "SKIPPED"),
            ("tests/test_io_pandas.py::test_missing_columns_error", "SKIPPED"),
        ]
        pytest_progress(j, tests)
        j.emit("")
        j.emit(
            f"{BOLD}=========================== short test summary info ============================{RESET}"
        )
        j.emit(
            f"{YELLOW}SKIPPED{RESET} [2] tests/test_io_pandas.py:3: could not import 'pandas': No module named 'pandas'"
        )
        j.emit(
            f"{GREEN}======================== 56 passed, {YELLOW}2 skipped{GREEN} in 1.92s ========================{RESET}"
        )
        end(j)
        return [j], passing(
            "A ModuleNotFoundError text inside a skip reason: optional dependency, job passed."
        )

    @case(
        "passing-node16-save-state-warnings",
        "passing",
        "intrepidcs/python_ics #170 (Node 16 warning); nextcloud/docker-ci #644 (save-state warning)",
    )
    def _p13() -> Any:
        j = Job("build", start(), UBUNTU22, repo="legacy-web", seed="p13")
        j.setup(["actions/checkout@v4", "actions/setup-node@v3", "actions/cache@v3"])
        j.checkout()
        j.action(
            "actions/cache@v3",
            [
                ("path", "~/.npm"),
                ("key", "Linux-npm-" + "0" * 8),
                ("enableCrossOsArchive", "false"),
                ("fail-on-cache-miss", "false"),
                ("lookup-only", "false"),
            ],
        )
        j.emit("##[warning]" + SAVE_STATE)
        j.emit("Cache not found for input keys: Linux-npm-00000000")
        j.run("npm ci && npm run build", name="Build")
        npm_ci(j)
        j.emit("> legacy-web@1.0.0 build", gap=1)
        j.emit("> vite build")
        j.emit("vite v5.4.14 building for production...")
        j.emit("✓ 412 modules transformed.")
        j.emit("dist/index.html                   0.46 kB │ gzip:  0.30 kB")
        j.emit("dist/assets/index-4f1c2ab9.js   142.51 kB │ gzip: 45.87 kB")
        j.emit("✓ built in 3.41s")
        j.step("Post Run actions/cache@v3")
        j.emit("Post job cleanup.")
        j.emit("##[warning]" + SAVE_STATE)
        end(j)
        j.emit("##[warning]" + NODE16)
        return [j], passing("Only deprecation warnings (Node 16, save-state); notices at most.")

    @case(
        "passing-pip-check-resolver-warning",
        "passing",
        "pip's legacy-resolver notice `ERROR: pip's dependency resolver does not currently take into account ...` (printed with exit status 0)",
    )
    def _p14() -> Any:
        j = py_job("docs", "handbook", pkgs=16)
        j.run("pip install docutils==0.22", name="Pin docutils")
        j.emit("Collecting docutils==0.22", gap=0.5)
        j.emit("  Downloading docutils-0.22-py3-none-any.whl.metadata (15 kB)")
        j.emit("Installing collected packages: docutils")
        j.emit("  Attempting uninstall: docutils")
        j.emit("    Found existing installation: docutils 0.21.2")
        j.emit("    Uninstalling docutils-0.21.2:")
        j.emit("      Successfully uninstalled docutils-0.21.2")
        j.emit(
            "ERROR: pip's dependency resolver does not currently take into account all the packages that are installed. "
            "This behaviour is the source of the following dependency conflicts.\n"
            "sphinx 7.4.7 requires docutils<0.22,>=0.20, but you have docutils 0.22 which is incompatible."
        )
        j.emit("Successfully installed docutils-0.22")
        j.run("sphinx-build -W -b html docs/ build/html", name="Build docs")
        j.emit("Running Sphinx v7.4.7", gap=1)
        j.emit("building [html]: targets for 37 source files that are out of date")
        j.emit("build succeeded.")
        j.emit("")
        j.emit("The HTML pages are in build/html.")
        end(j)
        return [j], passing(
            "pip prints an ERROR-prefixed conflict notice but exits 0; the job passed."
        )

    @case(
        "passing-long-test-suite",
        "passing",
        "long noise: 1,150 verbose pytest lines and a full pip install",
    )
    def _p15() -> Any:
        j = py_job("test-full", "orbit-core", pkgs=43)
        pytest_green(j, 1150, "97.31s")
        end(j, node20=True)
        return [j], passing("Long passing log (noise volume).")

    @case(
        "passing-docs-build-warnings",
        "passing",
        "mkdocs build output with WARNING lines; job passes",
    )
    def _p16() -> Any:
        j = py_job("docs", "handbook", pkgs=14)
        j.run("mkdocs build", name="Build site")
        j.emit("INFO    -  Cleaning site directory", gap=1)
        j.emit(
            "INFO    -  Building documentation to directory: /home/runner/work/handbook/handbook/site"
        )
        j.emit(
            "WARNING -  Doc file 'errors.md' contains a link 'troubleshooting/failed-jobs.md', but the target is not found among documentation files."
        )
        j.emit(
            'INFO    -  The following pages exist in the docs directory, but are not included in the "nav" configuration:\n  - permission-denied.md\n  - timeouts.md'
        )
        j.emit("INFO    -  Documentation built in 2.84 seconds")
        end(j)
        return [j], passing("Warnings and a multi-line INFO record; nothing failed.")

    @case("passing-docker-build", "passing", "BuildKit plain progress output")
    def _p17() -> Any:
        j = Job("image", start(), UBUNTU24, repo="storefront", seed="p17")
        j.setup(["actions/checkout@v4"])
        j.checkout()
        j.run("docker build --progress=plain -t storefront:ci .", name="Build image")
        steps = [
            "[internal] load build definition from Dockerfile",
            "[internal] load metadata for docker.io/library/node:20-slim",
            "[1/5] FROM docker.io/library/node:20-slim@sha256:" + "c" * 64,
            "[2/5] WORKDIR /app",
            "[3/5] COPY package*.json ./",
            "[4/5] RUN npm ci --omit=dev",
            "[5/5] COPY . .",
        ]
        for k, s in enumerate(steps, 1):
            j.emit(f"#{k} {s}", gap=0.5)
            if "npm ci" in s:
                j.emit(
                    f"#{k} 3.120 npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory."
                )
                j.emit(f"#{k} 9.871 added 402 packages, and audited 403 packages in 9s")
                j.emit(f"#{k} 9.874 found 0 vulnerabilities")
            j.emit(f"#{k} DONE {k * 0.7:.1f}s")
        j.emit("#8 exporting to image")
        j.emit("#8 naming to docker.io/library/storefront:ci done")
        j.emit("#8 DONE 1.2s")
        end(j)
        return [j], passing("Image build succeeded.")

    # -----------------------------------------------------------------------------------------
    # run zips

    def run_time(h: int) -> dt.datetime:
        return dt.datetime(2025, 6, 2, h, 14, 5)

    def lint_job(when: dt.datetime, repo: str) -> Job:
        j = py_job("lint", repo, pkgs=4, when=when)
        j.run("ruff check .", name="Ruff")
        ruff_ok(j)
        end(j)
        return j

    @case(
        "run-folders-lint-pass-test-fail",
        "missing_dependency",
        "zip layout with job folders: GHAL examples/log.tar.gz, github-api.md §1.4; error as numpy/numpy #27583",
        zip_layout="folders",
    )
    def _z1() -> Any:
        t0 = run_time(9)
        lint = lint_job(t0, "inbox")
        test = py_job("test", "inbox", pkgs=30, when=t0 + dt.timedelta(seconds=2))
        test.run("pytest", name="Run tests")
        ws = test.platform.workspace("inbox")
        pytest_header(test, collected="collected 97 items / 1 error")
        test.emit(
            f"{BOLD}==================================== ERRORS ===================================={RESET}"
        )
        test.emit(
            f"{RED}{BOLD}____________________ ERROR collecting tests/test_client.py _____________________{RESET}"
        )
        test.emit(f"ImportError while importing test module '{ws}/tests/test_client.py'.")
        test.emit("Hint: make sure your test modules/packages have valid Python names.")
        test.emit("Traceback:")
        test.emit("tests/test_client.py:2: in <module>")
        test.emit("    import httpx")
        line = test.emit(f"{RED}{BOLD}E   ModuleNotFoundError: No module named 'httpx'{RESET}")
        test.emit(
            f"{BOLD}=========================== short test summary info ============================{RESET}"
        )
        test.emit(f"{RED}ERROR{RESET} tests/test_client.py")
        test.emit(
            f"{RED}!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!{RESET}"
        )
        test.exit_code(2)
        end(test)
        return [lint, test], failing(
            top("missing_dependency", line, job="test", module="httpx"),
            "Two jobs: lint passed, test failed on a missing module. Line numbers refer to "
            "the top-level job file.",
            jobs=2,
        )

    @case(
        "run-flat-matrix-legacy-duplicate",
        "test_failure",
        "post-2025 flat zip (GHCLI #10551) with a legacy `-<n>_` duplicate (GHCLI PR #10769); pytest failure text from okken/pytest-check PR #150",
        zip_layout="flat",
        legacy_dup=True,
    )
    def _z2() -> Any:
        t0 = run_time(11)
        jobs = []
        for k, (plat, py, full) in enumerate(
            [
                (UBUNTU24, "3.11", "3.11.11"),
                (UBUNTU24, "3.12", "3.12.9"),
                (WINDOWS, "3.12", "3.12.9"),
            ]
        ):
            os_name = "windows-latest" if plat is WINDOWS else "ubuntu-latest"
            j = py_job(
                f"test ({os_name}, {py})",
                "parsers",
                platform=plat,
                pkgs=25,
                py=(py, full),
                when=t0 + dt.timedelta(seconds=k),
            )
            j.run("pytest", name="Run tests")
            pytest_header(j, py=full, items=150)
            tests = pytest_passing_tests(150)
            fail = k == 1
            if fail:
                tests[77] = ("tests/test_dates.py::test_parse_iso_week", "FAILED")
            pytest_progress(j, tests)
            if fail:
                j.emit(
                    f"{BOLD}=================================== FAILURES ==================================={RESET}"
                )
                j.emit(
                    f"{RED}{BOLD}___________________________ test_parse_iso_week ____________________________{RESET}"
                )
                j.emit("")
                j.emit("    def test_parse_iso_week():")
                j.emit('>       assert parse("2025-W01-1") == date(2024, 12, 30)')
                j.emit(
                    f"{RED}{BOLD}E       ValueError: Invalid isoformat string: '2025-W01-1'{RESET}"
                )
                j.emit("")
                j.emit("tests/test_dates.py:31: ValueError")
                j.emit(
                    f"{BOLD}=========================== short test summary info ============================{RESET}"
                )
                line = j.emit(
                    f"{RED}FAILED{RESET} tests/test_dates.py::test_parse_iso_week - ValueError: Invalid isoformat string: '2025-W01-1'"
                )
                j.emit(
                    f"{RED}======================== 1 failed, 149 passed in 4.20s ========================{RESET}"
                )
                j.exit_code(1)
            else:
                j.emit(
                    f"{GREEN}============================= 150 passed in 4.02s ============================={RESET}"
                )
            end(j)
            jobs.append(j)
        return jobs, failing(
            top(
                "test_failure",
                line,
                job="test (ubuntu-latest, 3.12)",
                test="tests/test_dates.py::test_parse_iso_week",
            ),
            "Matrix of three; only 3.12 on Linux fails (a ValueError inside a test is a test failure). "
            "The failing job also appears as a legacy `-<n>_` duplicate, which must not count as a 4th job.",
            jobs=3,
        )

    @case(
        "run-flat-all-passing",
        "passing",
        "post-2025 flat zip layout (GHCLI #10551)",
        zip_layout="flat",
    )
    def _z3() -> Any:
        t0 = run_time(13)
        build = py_job("build", "handbook", pkgs=20, when=t0)
        build.run("python -m build", name="Build")
        build.emit("* Creating isolated environment: venv+pip...", gap=1)
        build.emit("Successfully built handbook-2.0.0.tar.gz and handbook-2.0.0-py3-none-any.whl")
        end(build, node20=True)
        docs = py_job("docs", "handbook", pkgs=10, when=t0 + dt.timedelta(seconds=1))
        docs.run("mkdocs build --strict", name="Docs")
        docs.emit("INFO    -  Documentation built in 1.91 seconds", gap=2)
        end(docs)
        return [build, docs], passing("Two passing jobs; Node 20 warning is a notice.", jobs=2)

    @case(
        "run-folders-deprecated-artifact",
        "deprecated_action",
        "folders layout; a job that failed in Set up job has only `1_Set up job.txt`; text from chanzuckerberg/cryoet-data-portal PR #1510",
        zip_layout="folders",
    )
    def _z4() -> Any:
        t0 = run_time(15)
        lint = lint_job(t0, "reports")
        b = Job("build", t0 + dt.timedelta(seconds=1), UBUNTU24, repo="reports", seed="z4")
        b.setup([])
        b.records.pop()
        b.lines -= 1
        line = b.error(
            "This request has been automatically failed because it uses a deprecated version of "
            "`actions/upload-artifact: v3`. Learn more: https://github.blog/changelog/2024-04-16-deprecation-notice-v3-of-the-artifact-actions/"
        )
        b.failed = True
        return [lint, b], failing(
            top(
                "deprecated_action",
                line,
                job="build",
                action="actions/upload-artifact",
                version="v3",
            ),
            "The job using upload-artifact@v3 fails at setup; lint passes.",
            jobs=2,
        )

    @case(
        "run-flat-deploy-missing-secret",
        "missing_env_vars",
        "flat layout; empty secret in env block (corejam/corejam #487) and bash `must be set` guard",
        zip_layout="flat",
    )
    def _z5() -> Any:
        t0 = run_time(16)
        lint = lint_job(t0, "site")
        test = py_job("test", "site", pkgs=20, when=t0 + dt.timedelta(seconds=1))
        pytest_green(test, 80, "3.33s")
        end(test)
        dep = Job("deploy", t0 + dt.timedelta(minutes=3), UBUNTU24, repo="site", seed="z5")
        dep.setup(
            ["actions/checkout@v4"],
            permissions=("Contents: read", "Deployments: write", "Metadata: read"),
        )
        dep.checkout()
        dep.run(
            'test -n "$NETLIFY_AUTH_TOKEN" || { echo "NETLIFY_AUTH_TOKEN must be set"; exit 1; }\nnpx netlify deploy --prod --dir=site',
            name="Deploy",
            env={"NETLIFY_AUTH_TOKEN": "", "NETLIFY_SITE_ID": "***"},
        )
        line = dep.emit("NETLIFY_AUTH_TOKEN must be set", gap=0.1)
        dep.exit_code(1)
        end(dep)
        return [lint, test, dep], failing(
            top("missing_env_vars", line, job="deploy", var="NETLIFY_AUTH_TOKEN"),
            "lint and test pass; deploy lacks its secret (empty in the env block).",
            jobs=3,
        )
