"""Realistic tool output (the noise around the errors) for the development-set generator."""

from __future__ import annotations

from logbuild import BOLD, GREEN, GREY, RED, RESET, YELLOW, Job

DIM_CYAN = "\x1b[36m"

PIP_PACKAGES = [
    ("requests", "2.32.3", "py3-none-any", 64.9),
    ("urllib3", "2.3.0", "py3-none-any", 128.4),
    ("idna", "3.10", "py3-none-any", 70.4),
    ("certifi", "2025.1.31", "py3-none-any", 166.4),
    (
        "charset_normalizer",
        "3.4.1",
        "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
        145.0,
    ),
    ("pydantic", "2.10.6", "py3-none-any", 431.7),
    ("pydantic_core", "2.27.2", "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64", 2000.0),
    ("annotated_types", "0.7.0", "py3-none-any", 13.6),
    ("typing_extensions", "4.13.0", "py3-none-any", 45.7),
    ("click", "8.1.8", "py3-none-any", 98.2),
    ("rich", "13.9.4", "py3-none-any", 242.4),
    ("markdown_it_py", "3.0.0", "py3-none-any", 87.5),
    ("mdurl", "0.1.2", "py3-none-any", 10.0),
    ("pygments", "2.19.1", "py3-none-any", 1200.0),
    ("numpy", "2.2.4", "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64", 16100.0),
    ("pandas", "2.2.3", "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64", 12700.0),
    ("python_dateutil", "2.9.0.post0", "py2.py3-none-any", 229.9),
    ("pytz", "2025.2", "py2.py3-none-any", 509.2),
    ("tzdata", "2025.2", "py2.py3-none-any", 347.8),
    ("six", "1.17.0", "py2.py3-none-any", 11.1),
    ("sqlalchemy", "2.0.40", "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64", 3300.0),
    ("greenlet", "3.1.1", "cp312-cp312-manylinux_2_24_x86_64.manylinux_2_28_x86_64", 613.1),
    ("httpx", "0.28.1", "py3-none-any", 73.5),
    ("httpcore", "1.0.7", "py3-none-any", 78.6),
    ("h11", "0.14.0", "py3-none-any", 58.3),
    ("anyio", "4.9.0", "py3-none-any", 100.9),
    ("sniffio", "1.3.1", "py3-none-any", 10.2),
    ("jinja2", "3.1.6", "py3-none-any", 134.9),
    ("markupsafe", "3.0.2", "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64", 23.0),
    ("pytest", "8.3.5", "py3-none-any", 343.6),
    ("pluggy", "1.5.0", "py3-none-any", 20.6),
    ("iniconfig", "2.1.0", "py3-none-any", 6.0),
    ("packaging", "24.2", "py3-none-any", 65.5),
    ("pytest_cov", "6.0.0", "py3-none-any", 22.5),
    (
        "coverage",
        "7.8.0",
        "cp312-cp312-manylinux_2_5_x86_64.manylinux1_x86_64.manylinux_2_17_x86_64.manylinux2014_x86_64",
        245.0,
    ),
    ("pytest_xdist", "3.6.1", "py3-none-any", 46.1),
    ("execnet", "2.1.1", "py3-none-any", 40.6),
    ("mypy", "1.15.0", "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64", 12400.0),
    ("mypy_extensions", "1.0.0", "py3-none-any", 4.7),
    ("attrs", "25.3.0", "py3-none-any", 63.8),
    ("fastapi", "0.115.12", "py3-none-any", 95.2),
    ("starlette", "0.46.1", "py3-none-any", 71.8),
    ("uvicorn", "0.34.0", "py3-none-any", 62.3),
]


def bar(size_kb: float) -> str:
    shown = (
        f"{size_kb / 1000:.1f}/{size_kb / 1000:.1f} MB"
        if size_kb >= 1000
        else f"{size_kb:.1f}/{size_kb:.1f} kB"
    )
    return (
        f"   {GREY}━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━{RESET} {GREEN}{shown}{RESET} "
        f"{RED}21.4 MB/s{RESET} eta {DIM_CYAN}0:00:00{RESET}"
    )


def pip_install(
    job: Job,
    packages: list[tuple[str, str, str, float]] | None = None,
    *,
    header: str = "-r requirements.txt",
    py: str = "3.12.9",
    count: int = 30,
) -> None:
    """`pip install` output: Collecting / Downloading / progress bars / Successfully installed."""
    pkgs = packages if packages is not None else PIP_PACKAGES[:count]
    cp = "cp" + "".join(py.split(".")[:2])
    pkgs = [(n, v, t.replace("cp312", cp), s) for n, v, t, s in pkgs]
    if header.startswith("-r"):
        job.emit(
            "Requirement already satisfied: pip in " + job.platform.site_packages(py) + " (25.0.1)"
        )
    for name, version, tag, _size in pkgs:
        dist = name.replace("-", "_")
        job.emit(
            f"Collecting {name.replace('_', '-')}=={version} (from -r requirements.txt (line {job.rng.randrange(1, 40)}))",
            gap=0.05,
        )
        job.emit(
            f"  Downloading {dist}-{version}-{tag}.whl.metadata ({job.rng.randrange(2, 30)}.{job.rng.randrange(10)} kB)"
        )
    for name, version, tag, size in pkgs:
        dist = name.replace("-", "_")
        job.emit(
            f"Downloading {dist}-{version}-{tag}.whl ({size:.1f} kB)"
            if size < 1000
            else f"Downloading {dist}-{version}-{tag}.whl ({size / 1000:.1f} MB)"
        )
        job.emit(bar(size), gap=0.02)
    names = ", ".join(n.replace("_", "-") for n, *_ in pkgs)
    job.emit(f"Installing collected packages: {names}", gap=0.3)
    job.emit(
        "Successfully installed " + " ".join(f"{n.replace('_', '-')}-{v}" for n, v, *_ in pkgs),
        gap=4,
    )


PYTEST_TESTS = [
    "tests/test_api.py::test_error_response_has_json_body",
    "tests/test_api.py::test_healthcheck",
    "tests/test_api.py::test_get_user",
    "tests/test_api.py::test_create_user_validation_error",
    "tests/test_api.py::test_fail_fast_on_bad_token",
    "tests/test_api.py::test_permission_denied_returns_403",
    "tests/test_cli.py::test_main_prints_version",
    "tests/test_cli.py::test_main_exit_code_on_failure",
    "tests/test_cli.py::test_unknown_command_error",
    "tests/test_config.py::test_missing_env_var_uses_default",
    "tests/test_config.py::test_keyerror_is_wrapped",
    "tests/test_config.py::test_load_yaml_syntax_error_message",
    "tests/test_config.py::test_module_not_found_message",
    "tests/test_db.py::test_connection_timeout_is_retried",
    "tests/test_db.py::test_rollback_on_failure",
    "tests/test_db.py::test_migrations_apply",
    "tests/test_models.py::test_user_roundtrip",
    "tests/test_models.py::test_import_error_fallback",
    "tests/test_models.py::test_invalid_email_raises_validation_error",
    "tests/test_retry.py::test_network_error_backoff",
    "tests/test_retry.py::test_gives_up_after_failures",
    "tests/test_retry.py::test_no_space_left_error_is_not_retried",
    "tests/test_utils.py::test_slugify",
    "tests/test_utils.py::test_parse_duration",
    "tests/test_utils.py::test_failing_hook_is_logged",
]


def pytest_header(
    job: Job, *, py: str = "3.12.9", items: int | None = None, collected: str | None = None
) -> None:
    ws = job.platform.workspace(job.repo)
    exe = job.platform.python_root(py) + (
        "\\python.exe" if job.platform.kind == "windows" else "/bin/python"
    )
    sysname = {"windows": "win32", "macos": "darwin"}.get(job.platform.kind, "linux")
    job.emit(
        f"{BOLD}============================= test session starts =============================={RESET}"
    )
    job.emit(f"platform {sysname} -- Python {py}, pytest-8.3.5, pluggy-1.5.0 -- {exe}")
    job.emit("cachedir: .pytest_cache")
    job.emit(f"rootdir: {ws}")
    job.emit("configfile: pyproject.toml")
    job.emit("plugins: cov-6.0.0, anyio-4.9.0")
    n = items if items is not None else len(PYTEST_TESTS)
    job.emit(f"{BOLD}collecting ... {RESET}" + (collected or f"collected {n} items"), gap=0.6)
    job.emit("")


def pytest_progress(job: Job, tests: list[tuple[str, str]]) -> None:
    """Verbose progress lines; outcome is PASSED / FAILED / ERROR / SKIPPED."""
    colour = {"PASSED": GREEN, "FAILED": RED, "ERROR": RED, "SKIPPED": YELLOW, "XFAIL": YELLOW}
    total = len(tests)
    for i, (test, outcome) in enumerate(tests, 1):
        pct = int(i * 100 / total)
        left = f"{test} {colour[outcome]}{outcome}{RESET}"
        pad = max(1, 78 - len(test) - len(outcome) - 7)
        job.emit(f"{left}{' ' * pad}{colour[outcome]}[{pct:3d}%]{RESET}", gap=0.01)


def pytest_passing_tests(n: int) -> list[tuple[str, str]]:
    tests = list(PYTEST_TESTS)
    k = 0
    while len(tests) < n:
        k += 1
        tests.append(f"tests/test_extra_{k // 20}.py::test_case_{k % 20}_handles_errors_gracefully")
    return [(t, "PASSED") for t in tests[:n]]


def npm_ci(job: Job, *, warnings: bool = True) -> None:
    if warnings:
        job.emit(
            "npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do not use it. Check out lru-cache if you want a good and tested way to coalesce async requests by a key value, which is much more comprehensive and powerful.",
            gap=3,
        )
        job.emit(
            "npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported"
        )
        job.emit(
            "npm warn deprecated rimraf@3.0.2: Rimraf versions prior to v4 are no longer supported"
        )
    job.emit("", gap=2)
    job.emit("added 812 packages, and audited 813 packages in 14s")
    job.emit("")
    job.emit("164 packages are looking for funding")
    job.emit("  run `npm fund` for details")
    job.emit("")
    job.emit("found 0 vulnerabilities")


def apt_noise(job: Job, packages: list[str]) -> None:
    job.emit("Hit:1 http://azure.archive.ubuntu.com/ubuntu noble InRelease", gap=0.5)
    job.emit("Get:2 http://azure.archive.ubuntu.com/ubuntu noble-updates InRelease [126 kB]")
    job.emit("Get:3 http://azure.archive.ubuntu.com/ubuntu noble-backports InRelease [126 kB]")
    job.emit("Get:4 http://azure.archive.ubuntu.com/ubuntu noble-security InRelease [126 kB]")
    job.emit("Get:5 https://packages.microsoft.com/ubuntu/24.04/prod noble InRelease [3600 B]")
    job.emit("Fetched 2187 kB in 1s (2431 kB/s)", gap=1)
    job.emit("Reading package lists...", gap=1)
    job.emit("Reading package lists...")
    job.emit("Building dependency tree...")
    job.emit("Reading state information...")
    job.emit("The following additional packages will be installed:")
    job.emit("  " + " ".join(p + "-common" for p in packages))
    job.emit("The following NEW packages will be installed:")
    job.emit("  " + " ".join(packages + [p + "-common" for p in packages]))
    job.emit(f"0 upgraded, {2 * len(packages)} newly installed, 0 to remove and 43 not upgraded.")
    job.emit(f"Need to get {len(packages) * 1.7:.1f} MB of archives.")


def ruff_ok(job: Job) -> None:
    job.emit("All checks passed!", gap=0.4)


def go_ok(job: Job, packages: list[str]) -> None:
    for pkg in packages:
        job.emit(
            f"ok  \tgithub.com/acme/{job.repo}/{pkg}\t0.{job.rng.randrange(10, 999):03d}s", gap=0.2
        )


def cargo_compiling(job: Job, n: int = 40) -> None:
    crates = [
        "proc-macro2 v1.0.94",
        "unicode-ident v1.0.18",
        "libc v0.2.171",
        "cfg-if v1.0.0",
        "quote v1.0.40",
        "syn v2.0.100",
        "serde v1.0.219",
        "serde_derive v1.0.219",
        "memchr v2.7.4",
        "itoa v1.0.15",
        "ryu v1.0.20",
        "serde_json v1.0.140",
        "once_cell v1.21.1",
        "log v0.4.27",
        "bytes v1.10.1",
        "pin-project-lite v0.2.16",
        "tokio-macros v2.5.0",
        "mio v1.0.3",
        "socket2 v0.5.8",
        "tokio v1.44.1",
        "thiserror-impl v2.0.12",
        "thiserror v2.0.12",
        "anyhow v1.0.97",
        "regex-syntax v0.8.5",
        "aho-corasick v1.1.3",
        "regex-automata v0.4.9",
        "regex v1.11.1",
        "clap_lex v0.7.4",
        "strsim v0.11.1",
        "anstyle v1.0.10",
        "clap_builder v4.5.34",
        "clap_derive v4.5.32",
        "clap v4.5.34",
        "tracing-core v0.1.33",
        "tracing v0.1.41",
        "hashbrown v0.15.2",
        "indexmap v2.8.0",
        "toml_datetime v0.6.8",
        "winnow v0.7.4",
        "toml_edit v0.22.24",
    ]
    for crate in crates[:n]:
        job.emit(f"{GREEN}{BOLD}   Compiling{RESET} {crate}", gap=0.3)
