#!/usr/bin/env python3
"""Write the failed-job logs (`job.txt`) of the `smartmon fix` examples, deterministically.

    python examples/fix/make_examples.py            # rewrite every <case>/job.txt
    python examples/fix/make_examples.py --goldens  # also rewrite expected.diff / expected.json

The logs use the development set's builder (tests/data/logbuild.py, lognoise.py), so they have
GitHub's exact downloaded format: timestamped records, "Set up job" boilerplate, cyan script lines,
`##[error]Process completed with exit code N.`. Each log matches the workflow in `<case>/repo/`
(job names, step names, env blocks) and quotes a real error text; the source is next to each case.
The goldens are what `smartmon fix --dry-run` prints for a copy of `repo/`: review every change to
them by hand before committing (tests/fixers/test_examples_fix.py compares them byte for byte).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))

from logbuild import BOLD, GREEN, RED, RESET, UBUNTU24, Job  # noqa: E402
from lognoise import PIP_PACKAGES, pip_install  # noqa: E402

# Cases that must be refused: no diff, the reason is in expected.json.
REFUSED = ("refused_typo",)
CASES: dict[str, Callable[[], Job]] = {}


def case(name: str) -> Callable[[Callable[[], Job]], Callable[[], Job]]:
    def register(fn: Callable[[], Job]) -> Callable[[], Job]:
        CASES[name] = fn
        return fn

    return register


def _when(n: int) -> dt.datetime:
    return dt.datetime(2026, 3, 2, 9, 0, 0) + dt.timedelta(hours=5 * n)


def _pkgs(*names: str) -> list[tuple[str, str, str, float]]:
    by_name = {p[0]: p for p in PIP_PACKAGES}
    return [by_name[n] for n in names]


def _py_job(
    name: str,
    repo: str,
    n: int,
    *,
    install: str,
    pkgs: list[tuple[str, str, str, float]],
    step: str = "Install dependencies",
) -> Job:
    """checkout + setup-python + an install step, as in the examples' workflows."""
    j = Job(name, _when(n), UBUNTU24, owner="acme", repo=repo, seed="fix-example-" + repo)
    j.setup(["actions/checkout@v4", "actions/setup-python@v5"])
    _checkout(j)
    j.setup_python("3.12", "3.12.9")
    j.run(install, name=step)
    if pkgs:
        pip_install(j, pkgs, header="-r requirements.txt" if "-r" in install else install)
    return j


def _checkout(j: Job) -> None:
    """actions/checkout as the examples' workflows call it: `persist-credentials: false`."""
    j.checkout()
    j.records = [
        (stamp, "  persist-credentials: false" if text == "  persist-credentials: true" else text)
        for stamp, text in j.records
    ]


def _end(j: Job, exit_code: int | None) -> Job:
    if exit_code is not None:
        j.exit_code(exit_code)
    j.post_checkout()
    j.complete()
    return j


def _pytest_header(j: Job, collected: str, *, plugins: str = "") -> None:
    """pytest's session header; `configfile:` and `plugins:` only when the repository has them."""
    ws = j.platform.workspace(j.repo)
    exe = j.platform.python_root("3.12.9") + "/bin/python"
    j.emit(f"{BOLD}{'=' * 29} test session starts {'=' * 30}{RESET}")
    j.emit(f"platform linux -- Python 3.12.9, pytest-8.3.5, pluggy-1.5.0 -- {exe}")
    j.emit("cachedir: .pytest_cache")
    j.emit(f"rootdir: {ws}")
    if plugins:
        j.emit(f"plugins: {plugins}")
    j.emit(f"{BOLD}collecting ... {RESET}{collected}", gap=0.6)
    j.emit("")


def _collection_error(j: Job, test: str, frames: list[tuple[str, str]], error: str) -> None:
    """pytest's `ERROR collecting` block (numpy/numpy #27583 shape)."""
    ws = j.platform.workspace(j.repo)
    j.emit(f"{BOLD}{'=' * 36} ERRORS {'=' * 36}{RESET}")
    j.emit(f"{RED}{BOLD}{'_' * 20} ERROR collecting {test} {'_' * 20}{RESET}")
    j.emit(f"ImportError while importing test module '{ws}/{test}'.")
    j.emit("Hint: make sure your test modules/packages have valid Python names.")
    j.emit("Traceback:")
    j.emit(
        j.platform.site_packages("3.12.9").rsplit("/site-packages", 1)[0]
        + "/importlib/__init__.py:90: in import_module"
    )
    j.emit("    return _bootstrap._gcd_import(name[level:], package, level)")
    for where, code in frames:
        j.emit(f"{where}: in <module>")
        j.emit(f"    {code}")
    j.emit(f"{RED}{BOLD}E   {error}{RESET}")
    j.emit(f"{BOLD}{'=' * 27} short test summary info {'=' * 28}{RESET}")
    j.emit(f"{RED}ERROR{RESET} {test}")
    j.emit(f"{RED}{'!' * 20} Interrupted: 1 error during collection {'!' * 20}{RESET}")
    j.emit(f"{RED}{'=' * 31} {BOLD}1 error{RESET}{RED} in 0.41s {'=' * 31}{RESET}")


# -- the cases ------------------------------------------------------------------------------------


@case("missing_dependency")
def _missing_dependency() -> Job:
    # `No module named 'yaml'` under pytest's `E   ` prefix: classification.md §4.1, numpy #27583.
    j = _py_job(
        "test",
        "rulebook",
        1,
        install="python -m pip install --upgrade pip\npip install -r requirements.txt",
        pkgs=_pkgs("requests", "urllib3", "idna", "certifi", "attrs", "pytest", "pluggy"),
    )
    j.run("pytest -v", name="Run tests")
    _pytest_header(j, "collected 0 items / 1 error")
    _collection_error(
        j,
        "tests/test_catalog.py",
        [
            ("tests/test_catalog.py:3", "from rulebook.catalog import load"),
            ("rulebook/catalog.py:6", "import yaml"),
        ],
        "ModuleNotFoundError: No module named 'yaml'",
    )
    return _end(j, 2)


@case("missing_dependency_pyproject")
def _missing_dependency_pyproject() -> Job:
    # `python-dateutil` is imported as `dateutil` (the curated table maps it).
    j = _py_job(
        "test",
        "tzreport",
        2,
        install='pip install -e ".[test]"',
        step="Install package",
        pkgs=_pkgs("click", "rich", "markdown_it_py", "mdurl", "pygments", "pytest", "pluggy"),
    )
    j.run("pytest -q", name="Run tests")
    _collection_error(
        j,
        "tests/test_parse.py",
        [
            ("tests/test_parse.py:1", "from tzreport.parse import read_rows"),
            ("src/tzreport/parse.py:7", "from dateutil import parser as dateparser"),
        ],
        "ModuleNotFoundError: No module named 'dateutil'",
    )
    return _end(j, 2)


@case("import_error")
def _import_error() -> Job:
    # CPython's `cannot import name X from Y (path)` (opendatacube/odc-stac #203 shape); the
    # function was renamed to compute_totals and one caller was missed.
    j = _py_job(
        "test",
        "invoicer",
        3,
        install="pip install -r requirements.txt",
        pkgs=_pkgs("click", "pytest", "pluggy", "iniconfig", "packaging"),
    )
    j.run("pytest tests/", name="Run tests")
    ws = j.platform.workspace("invoicer")
    _pytest_header(j, "collected 0 items / 1 error")
    _collection_error(
        j,
        "tests/test_cli.py",
        [
            ("tests/test_cli.py:3", "from invoicer.cli import main"),
            ("invoicer/cli.py:7", "from invoicer.totals import compute_total"),
        ],
        f"ImportError: cannot import name 'compute_total' from 'invoicer.totals' "
        f"({ws}/invoicer/totals.py)",
    )
    return _end(j, 2)


@case("missing_env_vars")
def _missing_env_vars() -> Job:
    # KeyError from os.environ (microsoft/vscode-python #436); the step's env block has no API_KEY:
    # the workflow never passes the secret to the step.
    j = _py_job(
        "forecast",
        "weather-bot",
        4,
        install="pip install -r requirements.txt",
        pkgs=_pkgs("requests", "urllib3", "idna", "certifi", "charset_normalizer"),
    )
    j.run(
        "python -m weather_bot.main --city Berlin",
        name="Fetch forecast",
        env={"CITY_DEFAULT": "Berlin"},
    )
    ws = j.platform.workspace("weather-bot")
    j.emit("INFO:weather_bot:starting forecast run for Berlin", gap=0.4)
    j.emit("Traceback (most recent call last):")
    j.emit('  File "<frozen runpy>", line 198, in _run_module_as_main')
    j.emit('  File "<frozen runpy>", line 88, in _run_code')
    j.emit(f'  File "{ws}/weather_bot/main.py", line 29, in <module>')
    j.emit("    main()")
    j.emit(f'  File "{ws}/weather_bot/main.py", line 21, in main')
    j.emit('    headers={"Authorization": f"Bearer {os.environ[\'API_KEY\']}"},')
    j.emit("                                          ~~~~~~~~~~^^^^^^^^^^^")
    j.emit('  File "<frozen os>", line 714, in __getitem__')
    j.emit("KeyError: 'API_KEY'")
    return _end(j, 1)


@case("permission_error_exec_bit")
def _permission_error_exec_bit() -> Job:
    # bash's `Permission denied` with exit 126 (open-telemetry/opentelemetry-ecosystem-explorer
    # PR #31): the script is committed with mode 100644.
    j = Job("release", _when(5), UBUNTU24, owner="acme", repo="cli-tool", seed="fix-exec-bit")
    j.setup(["actions/checkout@v4", "actions/setup-python@v5"])
    _checkout(j)
    j.setup_python("3.12", "3.12.9")
    j.run("./scripts/build-dist.sh", name="Build distributions")
    j.emit(f"{j.temp_script()}: line 1: ./scripts/build-dist.sh: Permission denied", gap=0.1)
    return _end(j, 126)


@case("permission_error_token_scope")
def _permission_error_token_scope() -> Job:
    # gh's GraphQL refusal `Resource not accessible by integration (addComment)` (cli/cli #6327
    # shape): the job's token has `contents: read` only; commenting on a pull request needs
    # `pull-requests: write`.
    j = Job("coverage", _when(6), UBUNTU24, owner="acme", repo="geo-utils", seed="fix-scope")
    j.setup(
        ["actions/checkout@v4", "actions/setup-python@v5"],
        permissions=("Contents: read", "Metadata: read"),
    )
    _checkout(j)
    j.setup_python("3.12", "3.12.9")
    j.run("pip install -r requirements.txt", name="Install dependencies")
    pip_install(j, _pkgs("pytest", "pluggy", "iniconfig", "packaging", "pytest_cov", "coverage"))
    j.run(
        "pytest --cov=geo_utils\ncoverage report --format=markdown > coverage.md",
        name="Test with coverage",
    )
    _pytest_header(j, "collected 1 item", plugins="cov-6.0.0")
    j.emit(f"tests/test_geo.py {GREEN}.{RESET}{GREEN}{' ' * 56}[100%]{RESET}")
    j.emit("")
    j.emit("---------- coverage: platform linux, python 3.12.9-final-0 -----------")
    j.emit("Name                    Stmts   Miss  Cover")
    j.emit("-------------------------------------------")
    j.emit("geo_utils/__init__.py       6      0   100%")
    j.emit("-------------------------------------------")
    j.emit("TOTAL                       6      0   100%")
    j.emit("")
    j.emit(f"{GREEN}{'=' * 31} {BOLD}1 passed{RESET}{GREEN} in 0.12s {'=' * 31}{RESET}")
    j.run(
        'gh pr comment "$PR_NUMBER" --body-file coverage.md',
        name="Comment coverage on the pull request",
        env={"GH_TOKEN": "***", "PR_NUMBER": "57"},
    )
    j.emit("GraphQL: Resource not accessible by integration (addComment)", gap=0.9)
    return _end(j, 1)


@case("deprecated_action")
def _deprecated_action() -> Job:
    # The job fails in "Set up job" before any step (chanzuckerberg/cryoet-data-portal PR #1510).
    j = Job("build", _when(7), UBUNTU24, owner="acme", repo="pdf-report", seed="fix-artifact")
    j.setup([])
    j.records.pop()  # "Getting action download info" fails: there is no "Complete job name" line
    j.lines -= 1
    j.error(
        "This request has been automatically failed because it uses a deprecated version of "
        "`actions/upload-artifact: v3`. Learn more: https://github.blog/changelog/2024-04-16-"
        "deprecation-notice-v3-of-the-artifact-actions/"
    )
    j.failed = True
    j.finish()
    return j


@case("retired_runner")
def _retired_runner() -> Job:
    # The retirement text GitHub shows for a job that asks for ubuntu-20.04 (line/promgen PR #585);
    # the job never gets a runner. Layout as in the dev set's retired_runner-ubuntu-2004.
    j = Job("build (ubuntu-20.04, 3.12)", _when(8), UBUNTU24, repo="wave", seed="fix-runner")
    j.step("Set up job")
    j.emit("Requested labels: ubuntu-20.04")
    j.emit("Job defined at: acme/wave/.github/workflows/ci.yml@refs/heads/main")
    j.emit("Waiting for a runner to pick up this job...")
    j.error(
        "This is a scheduled Ubuntu 20.04 retirement. Ubuntu 20.04 LTS runner will be removed on "
        "2025-04-15. For more details, see https://github.com/actions/runner-images/issues/11101"
    )
    j.failed = True
    j.finish()
    return j


_SET_ENV_DISABLED = (
    "The `set-env` command is disabled. Please upgrade to using Environment Files or opt into "
    "unsecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_COMMANDS` environment "
    "variable to `true`. For more information see: https://github.blog/changelog/2020-10-01-"
    "github-actions-deprecating-set-env-and-add-path-commands/"
)
_SET_OUTPUT_DEPRECATED = (
    "The `set-output` command is deprecated and will be disabled soon. Please upgrade to using "
    "Environment Files. For more information see: https://github.blog/changelog/2022-10-11-"
    "github-actions-deprecating-save-state-and-set-output-commands/"
)


@case("deprecated_command")
def _deprecated_command() -> Job:
    # Runner texts (workflow-yaml.md §6.1): set-env is a hard error, set-output only warns.
    j = Job("build", _when(9), UBUNTU24, owner="acme", repo="stamp", seed="fix-set-env")
    j.setup(["actions/checkout@v4", "actions/setup-python@v5"])
    _checkout(j)
    j.setup_python("3.12", "3.12.9")
    j.run(
        'echo "::set-env name=APP_ENV::production"\necho "::set-output name=version::$(cat VERSION)"',
        name="Configure build",
    )
    j.error("Unable to process command '::set-env name=APP_ENV::production' successfully.")
    j.error(_SET_ENV_DISABLED)
    j.emit("##[warning]" + _SET_OUTPUT_DEPRECATED)
    j.failed = True
    return _end(j, None)


@case("yaml_syntax_error")
def _yaml_syntax_error() -> Job:
    # actionlint's parse failure (`file:L:C: could not parse as YAML: ... [syntax-check]`, rhysd/
    # actionlint parse.go) for a workflow with a tab-indented line; GitHub itself shows an invalid
    # workflow only as a run annotation, so the lint job is where the log names the file.
    j = Job("actionlint", _when(10), UBUNTU24, owner="acme", repo="notes", seed="fix-yaml")
    j.setup(["actions/checkout@v4"])
    _checkout(j)
    j.run(
        "bash <(curl -sSfL https://raw.githubusercontent.com/rhysd/actionlint/v1.7.7/scripts/"
        "download-actionlint.bash) 1.7.7",
        name="Download actionlint",
    )
    j.emit("Start downloading actionlint v1.7.7 to /home/runner/work/notes/notes", gap=0.3)
    j.emit(
        "Downloading https://github.com/rhysd/actionlint/releases/download/v1.7.7/"
        "actionlint_1.7.7_linux_amd64.tar.gz with curl"
    )
    j.emit("Downloaded and unarchived executable: /home/runner/work/notes/notes/actionlint", gap=1)
    j.emit("Done: /home/runner/work/notes/notes/actionlint")
    j.run("./actionlint", name="Check workflow files")
    j.emit(
        ".github/workflows/release.yml:20:0: could not parse as YAML: yaml: line 20: found "
        "character that cannot start any token [syntax-check]",
        gap=0.4,
    )
    j.exit_code(1)
    j.post_checkout()
    j.complete()
    return j


@case("refused_typo")
def _refused_typo() -> Job:
    # issue 3: the typo `reqeusts` must never be installed (typosquatting); report "did you mean".
    j = _py_job(
        "sync",
        "catalog-sync",
        11,
        install="pip install -r requirements.txt",
        pkgs=_pkgs("requests", "urllib3", "idna", "certifi", "charset_normalizer"),
    )
    j.run(
        "python scripts/sync_catalog.py --dry-run",
        name="Sync catalog (dry run)",
        env={"CATALOG_URL": "https://catalog.example.com"},
    )
    ws = j.platform.workspace("catalog-sync")
    j.emit("Traceback (most recent call last):", gap=0.3)
    j.emit(f'  File "{ws}/scripts/sync_catalog.py", line 6, in <module>')
    j.emit("    import reqeusts as requests")
    j.emit("ModuleNotFoundError: No module named 'reqeusts'")
    return _end(j, 1)


# -- writing --------------------------------------------------------------------------------------


def smartmon_fix(name: str, repo: Path, fmt: str) -> str:
    """Run `smartmon fix --dry-run` on `repo` as a user would; return its stdout."""
    log = HERE / name / "job.txt"
    cmd = [sys.executable, "-m", "smartmon", "fix", "--log", str(log), "--repo", str(repo)]
    cmd += ["--dry-run", "--format", fmt]
    env = {**os.environ, "GITHUB_SERVER_URL": "https://github.com"}  # GHES keeps artifact v3
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=repo, env=env)
    return proc.stdout


def copy_repo(src: Path, dst: Path) -> None:
    """Copy `src` with file modes into a fresh git repository at `dst`, everything committed."""
    shutil.copytree(src, dst, symlinks=True)
    git = ["git", "-c", "core.hooksPath=/dev/null", "-C", str(dst)]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    ident = ["-c", "user.name=example", "-c", "user.email=example@example.invalid"]
    subprocess.run([*git, *ident, "commit", "-q", "-m", "example"], check=True)


def goldens(name: str) -> None:
    folder = HERE / name
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        copy_repo(folder / "repo", repo)
        (folder / "expected.diff").write_text(smartmon_fix(name, repo, "diff"))
        if name in REFUSED:
            fixes = json.loads(smartmon_fix(name, repo, "json"))["fixes"]
            (folder / "expected.json").write_text(json.dumps({"fixes": fixes}, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--goldens", action="store_true", help="also rewrite the expected outputs")
    args = parser.parse_args()
    for name, build in CASES.items():
        (HERE / name / "job.txt").write_bytes(build().render())
        if args.goldens:
            goldens(name)
        print(f"wrote examples/fix/{name}")


if __name__ == "__main__":
    main()
