#!/usr/bin/env python3
"""Generate smartmon's labelled development set of GitHub Actions job logs (deterministic).

    python tests/data/make_logs.py        # rewrites tests/data/logs/ and examples/logs/

Each case writes `<name>.txt` (or `.zip`) and `<name>.expected.json`. The error texts are the real
ones quoted, with sources, in ../shared/research/classification.md §4 and workflow-yaml.md §5–6; the
source of each case is in its `source` string (copied to INDEX.tsv and README.md). Nothing here is
random at run time: every timestamp comes from a seeded generator.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from logbuild import BOLD, GREEN, MACOS, RED, RESET, UBUNTU22, UBUNTU24, WINDOWS, YELLOW, Job
from lognoise import (
    PIP_PACKAGES,
    apt_noise,
    cargo_compiling,
    go_ok,
    npm_ci,
    pip_install,
    pytest_header,
    pytest_passing_tests,
    pytest_progress,
)

HERE = Path(__file__).resolve().parent
LOGS = HERE / "logs"
EXAMPLES = HERE.parent.parent / "examples" / "logs"


@dataclass
class Case:
    name: str
    type: str  # finding type or "passing"
    source: str
    build: Callable[[], tuple[list[Job], dict[str, object]]]
    bom: bool = False
    crlf: bool = False
    zip_layout: str = ""  # "", "folders" or "flat"
    legacy_dup: bool = False


CASES: list[Case] = []
_day = [0]


def start() -> dt.datetime:
    _day[0] += 1
    return dt.datetime(2025, 4, 1, 8, 0, 0) + dt.timedelta(
        days=_day[0] // 3, hours=(_day[0] * 7) % 11
    )


def case(
    name: str, type_: str, source: str, **kw: object
) -> Callable[[Callable[[], tuple[list[Job], dict[str, object]]]], None]:
    def register(fn: Callable[[], tuple[list[Job], dict[str, object]]]) -> None:
        CASES.append(Case(name, type_, source, fn, **kw))  # type: ignore[arg-type]

    return register  # type: ignore[return-value]


def top(
    type_: str, line: int | None = None, job: str | None = None, **data: object
) -> dict[str, object]:
    # Captured facts are text (regex captures), so exit codes are compared as strings too.
    out: dict[str, object] = {"type": type_, "data": {k: str(v) for k, v in data.items()}}
    if job is not None:
        out["job"] = job
    if line is not None:
        out["line"] = line
    return out


def failing(t: dict[str, object], notes: str, jobs: int = 1) -> dict[str, object]:
    return {"passing": False, "top": t, "jobs": jobs, "notes": notes}


def passing(notes: str, jobs: int = 1) -> dict[str, object]:
    return {"passing": True, "jobs": jobs, "notes": notes}


# ---------------------------------------------------------------------------------------------
# shared job shapes


def py_job(
    name: str,
    repo: str,
    *,
    platform=UBUNTU24,
    extra: tuple[str, ...] = (),
    pkgs: int = 30,
    py: tuple[str, str] = ("3.12", "3.12.9"),
    env: dict[str, str] | None = None,
    when: dt.datetime | None = None,
) -> Job:
    j = Job(name, when or start(), platform, repo=repo, seed=repo + name)
    if env:
        j.env.update(env)
    j.setup(["actions/checkout@v4", "actions/setup-python@v5", *extra])
    j.checkout()
    j.setup_python(*py)
    if pkgs:
        j.run(
            "python -m pip install --upgrade pip\npip install -r requirements.txt",
            name="Install dependencies",
        )
        pip_install(j, PIP_PACKAGES[:pkgs], py=py[1])
    return j


def end(j: Job, *, node20: bool = False) -> None:
    j.post_checkout()
    j.complete(node20_warning=node20)


def node_job(
    name: str, repo: str, *, env: dict[str, str] | None = None, when: dt.datetime | None = None
) -> Job:
    j = Job(name, when or start(), UBUNTU24, repo=repo, seed=repo + name)
    if env:
        j.env.update(env)
    j.setup(["actions/checkout@v4", "actions/setup-node@v4"])
    j.checkout()
    j.setup_node()
    return j


def traceback(j: Job, frames: list[tuple[str, int, str, str]], final: str) -> int:
    """Python traceback, one record per line; returns the line of the final exception."""
    j.emit("Traceback (most recent call last):", gap=0.3)
    for path, line, func, code in frames:
        j.emit(f'  File "{path}", line {line}, in {func}')
        if code:
            j.emit(f"    {code}")
    return j.emit(final)


# ---------------------------------------------------------------------------------------------
# missing_dependency


@case(
    "missing_dependency-yaml-40-test-errors",
    "missing_dependency",
    "classification.md §4.1: `No module named 'yaml'` (marbl-ecosys/feisty PR #59, The-PR-Agent/pr-agent #189); "
    "pytest `E   ` prefix (numpy/numpy #27583); root-cause rule from issue 3",
)
def _md_yaml() -> tuple[list[Job], dict[str, object]]:
    j = py_job("test", "rulebook", pkgs=35)
    j.run("pytest -v", name="Run tests")
    pytest_header(j, items=212)
    tests = pytest_passing_tests(172)
    errs = [(f"tests/test_rules.py::test_rule_loads[rule{i:02d}]", "ERROR") for i in range(40)]
    pytest_progress(j, tests[:60] + errs + tests[60:])
    j.emit("")
    j.emit(
        f"{BOLD}==================================== ERRORS ===================================={RESET}"
    )
    ws = j.platform.workspace("rulebook")
    for i in range(40):
        j.emit(
            f"{RED}{BOLD}_____________________ ERROR at setup of test_rule_loads[rule{i:02d}] ______________________{RESET}"
        )
        j.emit("")
        j.emit('    @pytest.fixture(scope="module")')
        j.emit("    def catalog():")
        j.emit(">       import yaml")
        j.emit(f"{RED}{BOLD}E       ModuleNotFoundError: No module named 'yaml'{RESET}")
        j.emit("")
        j.emit(f"{ws}/tests/conftest.py:14: ModuleNotFoundError".replace(ws + "/", ""))
    j.emit(
        f"{BOLD}=========================== short test summary info ============================{RESET}"
    )
    for i in range(40):
        j.emit(
            f"{RED}ERROR{RESET} tests/test_rules.py::test_rule_loads[rule{i:02d}] - ModuleNotFoundError: No module named 'yaml'"
        )
    j.emit(
        f"{RED}================== {GREEN}172 passed{RESET}, {RED}{BOLD}40 errors{RESET}{RED} in 6.12s =================={RESET}"
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("missing_dependency", module="yaml"),
        "40 tests error at fixture setup because `import yaml` fails; the root cause is the "
        "missing PyYAML distribution, not failing tests. The same line repeats 40 times, so no line is pinned.",
    )


@case(
    "missing_dependency-cv2-script",
    "missing_dependency",
    "classification.md §4.1 (ModuleNotFoundError form, marbl-ecosys/feisty PR #59); cv2 = opencv-python",
)
def _md_cv2() -> tuple[list[Job], dict[str, object]]:
    j = py_job("detect", "vision-tools", pkgs=20)
    j.run("python scripts/detect.py --images samples/ --out out/", name="Run detector on samples")
    ws = j.platform.workspace("vision-tools")
    line = traceback(
        j,
        [(f"{ws}/scripts/detect.py", 7, "<module>", "import cv2")],
        "ModuleNotFoundError: No module named 'cv2'",
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("missing_dependency", line, module="cv2"),
        "Script imports cv2 (distribution opencv-python / opencv-python-headless) which is not in requirements.",
    )


@case(
    "missing_dependency-sklearn-collection",
    "missing_dependency",
    "numpy/numpy #27583 (ERROR collecting + `E   ModuleNotFoundError`), sklearn = scikit-learn",
)
def _md_sklearn() -> tuple[list[Job], dict[str, object]]:
    j = py_job("test", "churn", pkgs=25, py=("3.11", "3.11.11"))
    j.run("pytest", name="Test")
    ws = j.platform.workspace("churn")
    pytest_header(j, py="3.11.11", collected="collected 86 items / 1 error")
    j.emit("")
    j.emit(
        f"{BOLD}==================================== ERRORS ===================================={RESET}"
    )
    j.emit(
        f"{RED}{BOLD}____________________ ERROR collecting tests/test_model.py _____________________{RESET}"
    )
    j.emit(f"ImportError while importing test module '{ws}/tests/test_model.py'.")
    j.emit("Hint: make sure your test modules/packages have valid Python names.")
    j.emit("Traceback:")
    j.emit(
        "/opt/hostedtoolcache/Python/3.11.11/x64/lib/python3.11/importlib/__init__.py:126: in import_module"
    )
    j.emit("    return _bootstrap._gcd_import(name[level:], package, level)")
    j.emit("tests/test_model.py:3: in <module>")
    j.emit("    from churn.model import train")
    j.emit("churn/model.py:4: in <module>")
    j.emit("    from sklearn.ensemble import RandomForestClassifier")
    line = j.emit(f"{RED}{BOLD}E   ModuleNotFoundError: No module named 'sklearn'{RESET}")
    j.emit(
        f"{BOLD}=========================== short test summary info ============================{RESET}"
    )
    j.emit(f"{RED}ERROR{RESET} tests/test_model.py")
    j.emit(
        f"{RED}!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!{RESET}"
    )
    j.emit(
        f"{RED}=============================== {BOLD}1 error{RESET}{RED} in 0.84s ==============================={RESET}"
    )
    j.exit_code(2)
    end(j)
    return [j], failing(
        top("missing_dependency", line, module="sklearn"),
        "Collection error: `ImportError while importing test module` is pytest's wrapper; the cause is "
        "the missing scikit-learn (import name sklearn). Not import_error, not test_failure.",
    )


@case(
    "missing_dependency-google-protobuf-dotted",
    "missing_dependency",
    "classification.md §4.1: `No module named 'google.protobuf'` (jcrist/skein #3; openvinotoolkit/nncf PR #349)",
)
def _md_protobuf() -> tuple[list[Job], dict[str, object]]:
    j = py_job("build", "grpc-gateway-py", pkgs=28)
    j.run("python -m grpc_gateway.codegen --proto protos/ --out generated/", name="Generate stubs")
    ws = j.platform.workspace("grpc-gateway-py")
    line = traceback(
        j,
        [
            ("<frozen runpy>", 198, "_run_module_as_main", ""),
            ("<frozen runpy>", 88, "_run_code", ""),
            (
                f"{ws}/grpc_gateway/codegen.py",
                12,
                "<module>",
                "from grpc_gateway import descriptors",
            ),
            (
                f"{ws}/grpc_gateway/descriptors.py",
                3,
                "<module>",
                "from google.protobuf import descriptor_pb2",
            ),
        ],
        "ModuleNotFoundError: No module named 'google.protobuf'",
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("missing_dependency", line, module="google.protobuf"),
        "Dotted name: the google namespace exists (google-auth is installed) but protobuf is missing.",
    )


@case(
    "missing_dependency-typo-reqeusts",
    "missing_dependency",
    "issue 3 (typo `reqeusts` must not be auto-fixed); message format from classification.md §4.1",
)
def _md_typo() -> tuple[list[Job], dict[str, object]]:
    j = py_job("sync", "catalog-sync", pkgs=12, py=("3.13", "3.13.2"))
    j.run(
        "python scripts/sync_catalog.py --dry-run",
        name="Sync catalog (dry run)",
        env={"CATALOG_URL": "https://catalog.example.com"},
    )
    ws = j.platform.workspace("catalog-sync")
    line = traceback(
        j,
        [(f"{ws}/scripts/sync_catalog.py", 4, "<module>", "import reqeusts as requests")],
        "ModuleNotFoundError: No module named 'reqeusts'",
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("missing_dependency", line, module="reqeusts"),
        "A typo of requests in the import; still missing_dependency, but not auto-fixable (no such public package).",
    )


@case(
    "missing_dependency-private-acme-internal-macos",
    "missing_dependency",
    "issue 3 (private `acme_internal` must not be auto-fixed); macOS paths (/Users/runner/work)",
)
def _md_private() -> tuple[list[Job], dict[str, object]]:
    j = py_job("worker-smoke", "acme-service", platform=MACOS, pkgs=15)
    j.run("python -m acme_service.worker --smoke-test", name="Smoke test worker")
    ws = j.platform.workspace("acme-service")
    line = traceback(
        j,
        [
            ("<frozen runpy>", 198, "_run_module_as_main", ""),
            ("<frozen runpy>", 88, "_run_code", ""),
            (
                f"{ws}/acme_service/worker.py",
                5,
                "<module>",
                "from acme_internal.queue import Consumer",
            ),
        ],
        "ModuleNotFoundError: No module named 'acme_internal'",
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("missing_dependency", line, module="acme_internal"),
        "Private package from an internal index; missing_dependency, not auto-fixable.",
    )


@case(
    "missing_dependency-node-cannot-find-module",
    "missing_dependency",
    "classification.md §4.9: `Error: Cannot find module '@actions/core'` / Require stack (vlaurin/action-ghcr-prune #58)",
)
def _md_node() -> tuple[list[Job], dict[str, object]]:
    j = node_job("notify", "notify-bot")
    j.run("npm ci --omit=dev", name="Install")
    npm_ci(j, warnings=False)
    j.run(
        "node scripts/notify.js",
        name="Send release notification",
        env={"SLACK_CHANNEL": "#releases"},
    )
    ws = j.platform.workspace("notify-bot")
    j.emit("node:internal/modules/cjs/loader:1228", gap=0.2)
    j.emit("  throw err;")
    j.emit("  ^")
    j.emit("")
    line = j.emit("Error: Cannot find module 'dotenv'")
    j.emit("Require stack:")
    j.emit(f"- {ws}/scripts/notify.js")
    for frame in [
        "Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)",
        "Module._load (node:internal/modules/cjs/loader:1051:27)",
        "Module.require (node:internal/modules/cjs/loader:1311:19)",
        "require (node:internal/modules/helpers:179:18)",
        f"Object.<anonymous> ({ws}/scripts/notify.js:1:1)",
        "Module._compile (node:internal/modules/cjs/loader:1469:14)",
    ]:
        j.emit(f"    at {frame}")
    j.emit("    at Module._extensions..js (node:internal/modules/cjs/loader:1548:10)")
    j.emit("    at Module.load (node:internal/modules/cjs/loader:1288:32) {")
    j.emit("  code: 'MODULE_NOT_FOUND',")
    j.emit(f"  requireStack: [ '{ws}/scripts/notify.js' ]")
    j.emit("}")
    j.emit("")
    j.emit("Node.js v20.19.0")
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("missing_dependency", line, module="dotenv"),
        "dotenv is a devDependency but the step installs with --omit=dev.",
    )


@case(
    "missing_dependency-windows-requests",
    "missing_dependency",
    "classification.md §4.1 message format; Windows pwsh shell line from GHAL example (§4.10)",
    bom=True,
    crlf=True,
)
def _md_windows() -> tuple[list[Job], dict[str, object]]:
    j = Job("test (windows-latest)", start(), WINDOWS, repo="winsvc", seed="winsvc")
    j.setup(["actions/checkout@v4", "actions/setup-python@v5"])
    j.checkout()
    j.setup_python()
    j.run("pip install -e .", name="Install package")
    j.emit("Obtaining file:///D:/a/winsvc/winsvc")
    j.emit("  Installing build dependencies: started")
    j.emit("  Installing build dependencies: finished with status 'done'")
    j.emit("Successfully built winsvc")
    j.emit("Installing collected packages: winsvc")
    j.emit("Successfully installed winsvc-0.4.0")
    j.run("python -m winsvc.healthcheck", name="Health check")
    ws = j.platform.workspace("winsvc")
    line = traceback(
        j,
        [
            ("<frozen runpy>", 198, "_run_module_as_main", ""),
            ("<frozen runpy>", 88, "_run_code", ""),
            (f"{ws}\\winsvc\\healthcheck.py", 2, "<module>", "import requests"),
        ],
        "ModuleNotFoundError: No module named 'requests'",
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("missing_dependency", line, module="requests"),
        "requests is imported but not declared in pyproject dependencies; Windows runner, CRLF, BOM.",
    )


# ---------------------------------------------------------------------------------------------
# import_error


@case(
    "import_error-dask-quote-pytest",
    "import_error",
    "opendatacube/odc-stac #203: `E   ImportError: cannot import name 'quote' from 'dask.base' (/opt/hostedtoolcache/...)`",
)
def _ie_dask() -> tuple[list[Job], dict[str, object]]:
    j = py_job("test", "odc-tiles", pkgs=30, py=("3.10", "3.10.16"))
    j.run("pytest tests/", name="Run tests")
    ws = j.platform.workspace("odc-tiles")
    pytest_header(j, py="3.10.16", collected="collected 143 items / 1 error")
    j.emit("")
    j.emit(
        f"{BOLD}==================================== ERRORS ===================================={RESET}"
    )
    j.emit(
        f"{RED}{BOLD}_____________________ ERROR collecting tests/test_chunks.py _____________________{RESET}"
    )
    j.emit(f"ImportError while importing test module '{ws}/tests/test_chunks.py'.")
    j.emit("Hint: make sure your test modules/packages have valid Python names.")
    j.emit("Traceback:")
    j.emit("tests/test_chunks.py:5: in <module>")
    j.emit("    from odc_tiles.chunks import rechunk")
    j.emit("odc_tiles/chunks.py:8: in <module>")
    j.emit("    from dask.base import quote, tokenize")
    line = j.emit(
        f"{RED}{BOLD}E   ImportError: cannot import name 'quote' from 'dask.base' "
        f"(/opt/hostedtoolcache/Python/3.10.16/x64/lib/python3.10/site-packages/dask/base.py){RESET}"
    )
    j.emit(
        f"{BOLD}=========================== short test summary info ============================{RESET}"
    )
    j.emit(f"{RED}ERROR{RESET} tests/test_chunks.py")
    j.emit(
        f"{RED}!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!{RESET}"
    )
    j.emit(
        f"{RED}=============================== {BOLD}1 error{RESET}{RED} in 2.07s ==============================={RESET}"
    )
    j.exit_code(2)
    end(j)
    return [j], failing(
        top("import_error", line, name="quote", **{"from": "dask.base"}),
        "The package is installed but a newer dask removed the name; import_error, not missing_dependency.",
    )


@case(
    "import_error-pydantic-yaml-script",
    "import_error",
    "OpenBioML/chemnlp #390: `ImportError: cannot import name 'YamlModel' from 'pydantic_yaml'`",
)
def _ie_pydyaml() -> tuple[list[Job], dict[str, object]]:
    j = py_job("validate-configs", "chem-configs", pkgs=18)
    j.run("python scripts/validate.py configs/", name="Validate configs")
    ws = j.platform.workspace("chem-configs")
    sp = j.platform.site_packages("3.12.9")
    line = traceback(
        j,
        [
            (
                f"{ws}/scripts/validate.py",
                9,
                "<module>",
                "from chem_configs.schema import DatasetConfig",
            ),
            (f"{ws}/chem_configs/schema.py", 3, "<module>", "from pydantic_yaml import YamlModel"),
        ],
        f"ImportError: cannot import name 'YamlModel' from 'pydantic_yaml' ({sp}/pydantic_yaml/__init__.py)",
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("import_error", line, name="YamlModel", **{"from": "pydantic_yaml"}),
        "pydantic_yaml 1.x removed YamlModel; an API change, not a missing package.",
    )


@case(
    "import_error-markupsafe-windows",
    "import_error",
    "classification.md §4.1 format `cannot import name '<X>' from '<mod>' (<path>)`; Windows hostedtoolcache path",
    crlf=True,
)
def _ie_markupsafe() -> tuple[list[Job], dict[str, object]]:
    j = py_job(
        "docs (windows-latest)", "legacy-docs", platform=WINDOWS, pkgs=10, py=("3.9", "3.9.13")
    )
    j.run("python build_docs.py", name="Build docs")
    ws = j.platform.workspace("legacy-docs")
    sp = "C:\\hostedtoolcache\\windows\\Python\\3.9.13\\x64\\lib\\site-packages"
    line = traceback(
        j,
        [
            (
                f"{ws}\\build_docs.py",
                3,
                "<module>",
                "from jinja2 import Environment, FileSystemLoader",
            ),
            (f"{sp}\\jinja2\\__init__.py", 12, "<module>", "from .environment import Environment"),
            (
                f"{sp}\\jinja2\\environment.py",
                25,
                "<module>",
                "from .defaults import BLOCK_END_STRING",
            ),
            (
                f"{sp}\\jinja2\\defaults.py",
                3,
                "<module>",
                "from .filters import FILTERS as DEFAULT_FILTERS  # noqa: F401",
            ),
            (f"{sp}\\jinja2\\filters.py", 13, "<module>", "from markupsafe import soft_unicode"),
        ],
        f"ImportError: cannot import name 'soft_unicode' from 'markupsafe' ({sp}\\markupsafe\\__init__.py)",
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("import_error", line, name="soft_unicode", **{"from": "markupsafe"}),
        "Old Jinja2 with MarkupSafe >= 2.1 (soft_unicode removed). Windows paths, CRLF.",
    )


# ---------------------------------------------------------------------------------------------
# missing_env_vars


@case(
    "missing_env_vars-keyerror-api-key",
    "missing_env_vars",
    "microsoft/vscode-python #436 (KeyError from os.environ, os frame); empty secret in env block: corejam/corejam #487",
)
def _env_keyerror() -> tuple[list[Job], dict[str, object]]:
    j = py_job("forecast", "weather-bot", pkgs=14)
    j.run(
        "python -m weather_bot.main --city Berlin",
        name="Fetch forecast",
        env={"API_KEY": "", "CITY_DEFAULT": "Berlin"},
    )
    ws = j.platform.workspace("weather-bot")
    j.emit("INFO:weather_bot:starting forecast run for Berlin", gap=0.4)
    j.emit("Traceback (most recent call last):")
    j.emit('  File "<frozen runpy>", line 198, in _run_module_as_main')
    j.emit('  File "<frozen runpy>", line 88, in _run_code')
    j.emit(f'  File "{ws}/weather_bot/main.py", line 58, in <module>')
    j.emit("    main()")
    j.emit(f'  File "{ws}/weather_bot/main.py", line 41, in main')
    j.emit('    client = WeatherClient(api_key=os.environ["API_KEY"])')
    j.emit("                                   ~~~~~~~~~~^^^^^^^^^^^")
    j.emit('  File "<frozen os>", line 714, in __getitem__')
    line = j.emit("KeyError: 'API_KEY'")
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("missing_env_vars", line, var="API_KEY"),
        "os.environ lookup fails (frozen os frame) and the step's env block shows `API_KEY:` empty: "
        "the secret is not set for this run.",
    )


@case(
    "missing_env_vars-keyerror-windows-py38",
    "missing_env_vars",
    "microsoft/vscode-python #436 (os.py __getitem__ frame, `raise KeyError(key) from None`)",
    bom=True,
)
def _env_keyerror_win() -> tuple[list[Job], dict[str, object]]:
    j = py_job(
        "publish (windows-latest)",
        "report-tool",
        platform=WINDOWS,
        pkgs=8,
        py=("3.8", "3.8.10"),
        env={"REPORT_BUCKET": "acme-reports"},
    )
    j.run("python publish.py", name="Publish report", env={"STORAGE_CONNECTION_STRING": ""})
    ws = j.platform.workspace("report-tool")
    line = traceback(
        j,
        [
            (f"{ws}\\publish.py", 11, "<module>", 'conn = os.environ["STORAGE_CONNECTION_STRING"]'),
            (
                "C:\\hostedtoolcache\\windows\\Python\\3.8.10\\x64\\lib\\os.py",
                675,
                "__getitem__",
                "raise KeyError(key) from None",
            ),
        ],
        "KeyError: 'STORAGE_CONNECTION_STRING'",
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("missing_env_vars", line, var="STORAGE_CONNECTION_STRING"),
        "Windows, Python 3.8: the os.py frame; env block shows the secret empty.",
    )


@case(
    "missing_env_vars-pydantic-field-required",
    "missing_env_vars",
    "ITISFoundation/osparc-simcore #7300 (pydantic v2 `Field required [type=missing ...]` under pytest `E` prefixes)",
)
def _env_pydantic() -> tuple[list[Job], dict[str, object]]:
    j = py_job("test", "billing-api", pkgs=40)
    j.run("pytest -q", name="Run tests", env={"APP_ENV": "ci"})
    ws = j.platform.workspace("billing-api")
    sp = j.platform.site_packages("3.12.9")
    j.emit(f"ImportError while loading conftest '{ws}/tests/conftest.py'.", gap=1.2)
    j.emit("tests/conftest.py:6: in <module>")
    j.emit("    from billing.app import create_app")
    j.emit("billing/app.py:9: in <module>")
    j.emit("    settings = Settings()")
    j.emit(f"{sp}/pydantic_settings/main.py:171: in __init__")
    j.emit("    super().__init__(")
    j.emit("E   pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings")
    line = j.emit("E   DATABASE_URL")
    j.emit("E     Field required [type=missing, input_value={'APP_ENV': 'ci'}, input_type=dict]")
    j.emit("E       For further information visit https://errors.pydantic.dev/2.10/v/missing")
    j.exit_code(4)
    end(j)
    return [j], failing(
        top("missing_env_vars", line, var="DATABASE_URL"),
        "pydantic-settings cannot build Settings: DATABASE_URL is required and not in the environment. "
        "`ImportError while loading conftest` is only pytest's wrapper. The proving line is the field name "
        "line (the `Field required` line follows it).",
    )


@case(
    "missing_env_vars-bash-must-be-set",
    "missing_env_vars",
    "`X must be set` family (linkerd/linkerd #399 `COVERALLS_REPO_TOKEN must be set`); bash ${VAR:?msg} wording",
)
def _env_bash() -> tuple[list[Job], dict[str, object]]:
    j = Job("deploy", start(), UBUNTU24, repo="site", seed="site-deploy")
    j.setup(
        ["actions/checkout@v4"],
        permissions=("Contents: read", "Deployments: write", "Metadata: read"),
    )
    j.checkout()
    j.run(
        ': "${DEPLOY_TOKEN:?DEPLOY_TOKEN must be set}"\n./scripts/deploy.sh production',
        name="Deploy",
        env={"DEPLOY_TOKEN": "", "DEPLOY_HOST": "deploy.example.net"},
    )
    line = j.emit(f"{j.temp_script()}: line 1: DEPLOY_TOKEN: DEPLOY_TOKEN must be set", gap=0.1)
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("missing_env_vars", line, var="DEPLOY_TOKEN"),
        "The script guards the variable; the env block shows DEPLOY_TOKEN empty (secret missing).",
    )


@case(
    "missing_env_vars-coveralls-token",
    "missing_env_vars",
    "coveralls-python's CoverallsException text naming COVERALLS_REPO_TOKEN (cf. linkerd/linkerd #399)",
)
def _env_coveralls() -> tuple[list[Job], dict[str, object]]:
    j = py_job("coverage", "geo-utils", pkgs=34)
    j.run("pytest --cov=geo_utils --cov-report=xml", name="Test with coverage")
    pytest_header(j)
    pytest_progress(j, pytest_passing_tests(25))
    j.emit(
        f"{GREEN}============================== 25 passed in 3.41s =============================={RESET}"
    )
    j.run("coveralls --service=github", name="Upload coverage", env={"COVERALLS_REPO_TOKEN": ""})
    j.emit("Submitting coverage to coveralls.io...", gap=0.6)
    j.emit("Traceback (most recent call last):")
    j.emit(f'  File "{j.platform.python_root("3.12.9")}/bin/coveralls", line 8, in <module>')
    j.emit("    sys.exit(main())")
    j.emit(f'  File "{j.platform.site_packages("3.12.9")}/coveralls/cli.py", line 64, in main')
    j.emit("    coverallz = Coveralls(")
    j.emit(f'  File "{j.platform.site_packages("3.12.9")}/coveralls/api.py", line 60, in __init__')
    j.emit("    self.ensure_token()")
    j.emit(
        f'  File "{j.platform.site_packages("3.12.9")}/coveralls/api.py", line 70, in ensure_token'
    )
    j.emit("    raise CoverallsException(")
    line = j.emit(
        "coveralls.exception.CoverallsException: Not on TravisCI. You have to provide either repo_token in "
        ".coveralls.yml or set the COVERALLS_REPO_TOKEN env var."
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("missing_env_vars", line, var="COVERALLS_REPO_TOKEN"),
        "Tests passed (names mention errors/failures); the upload step fails for lack of the token.",
    )


# ---------------------------------------------------------------------------------------------
# yaml_syntax_error


@case(
    "yaml_syntax_error-composite-action-invalid",
    "yaml_syntax_error",
    "actions/runner #1593 and CyberAgentAILab/cmaes PR #73: `(Line: L, Col: C): Unexpected value 'uses'` / "
    "`Required property is missing: shell` for a local action.yml; `Fail to load` (actions/runner #2038)",
)
def _yaml_composite() -> tuple[list[Job], dict[str, object]]:
    j = Job("build", start(), UBUNTU24, repo="mono", seed="mono-build")
    j.setup(["actions/checkout@v4"])
    j.checkout()
    ws = j.platform.workspace("mono")
    path = f"{ws}/./.github/actions/setup-toolchain/action.yml"
    j.step("Run ./.github/actions/setup-toolchain")
    line = j.error(f"{path} (Line: 18, Col: 7): Unexpected value 'uses'")
    j.error(f"{path} (Line: 19, Col: 7): Unexpected value 'with'")
    j.error(f"{path} (Line: 17, Col: 7): Required property is missing: run")
    j.error(f"{path} (Line: 17, Col: 7): Required property is missing: shell")
    j.error(f"Fail to load {path}")
    j.failed = True
    end(j)
    return [j], failing(
        top("yaml_syntax_error", line),
        "The local composite action's YAML is invalid (a `uses` step at the wrong level); the runner "
        "rejects the manifest before running anything.",
    )


@case(
    "yaml_syntax_error-pyyaml-scanner",
    "yaml_syntax_error",
    'PyYAML ScannerError wording (`mapping values are not allowed here`, `in "<file>", line L, column C`)',
)
def _yaml_pyyaml() -> tuple[list[Job], dict[str, object]]:
    j = py_job("render", "helm-values", pkgs=6)
    j.run("python tools/render.py values/production.yaml", name="Render values")
    sp = j.platform.site_packages("3.12.9")
    ws = j.platform.workspace("helm-values")
    j.emit("Traceback (most recent call last):", gap=0.3)
    for path, ln, fn, code in [
        (f"{ws}/tools/render.py", 21, "<module>", "values = yaml.safe_load(fh)"),
        (f"{sp}/yaml/__init__.py", 125, "safe_load", "return load(stream, SafeLoader)"),
        (f"{sp}/yaml/__init__.py", 81, "load", "return loader.get_single_data()"),
        (f"{sp}/yaml/constructor.py", 49, "get_single_data", "node = self.get_single_node()"),
        (f"{sp}/yaml/scanner.py", 577, "fetch_value", "raise ScannerError(None, None,"),
    ]:
        j.emit(f'  File "{path}", line {ln}, in {fn}')
        j.emit(f"    {code}")
    line = j.emit(
        "yaml.scanner.ScannerError: mapping values are not allowed here\n"
        '  in "values/production.yaml", line 14, column 17'
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("yaml_syntax_error", line),
        "A YAML file in the repository does not parse. The exception and its location are one "
        "multi-line record (the location line has no timestamp).",
    )


@case(
    "yaml_syntax_error-kubectl-manifest",
    "yaml_syntax_error",
    "kubectl / sigs.k8s.io/yaml wording `error converting YAML to JSON: yaml: line N: mapping values are not allowed in this context`",
)
def _yaml_kubectl() -> tuple[list[Job], dict[str, object]]:
    j = Job("validate-manifests", start(), UBUNTU24, repo="platform-k8s", seed="k8s")
    j.setup(["actions/checkout@v4", "azure/setup-kubectl@v4"])
    j.checkout()
    j.action("azure/setup-kubectl@v4", [("version", "v1.32.3")])
    j.emit("Downloading kubectl v1.32.3", gap=0.4)
    j.emit("kubectl installed at /opt/hostedtoolcache/kubectl/1.32.3/x64/kubectl")
    j.run("kubectl apply --dry-run=client -f deploy/ -R", name="Validate manifests")
    j.emit("deployment.apps/web created (dry run)", gap=0.8)
    j.emit("service/web created (dry run)")
    j.emit("configmap/web-config created (dry run)")
    line = j.emit(
        "error: error parsing deploy/ingress.yaml: error converting YAML to JSON: yaml: line 14: "
        "mapping values are not allowed in this context"
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("yaml_syntax_error", line), "A manifest in the repository is not valid YAML."
    )


# ---------------------------------------------------------------------------------------------
# permission_error


@case(
    "permission_error-exec-bit-126",
    "permission_error",
    "open-telemetry/opentelemetry-ecosystem-explorer PR #31 (`line 1: .github/scripts/...sh: Permission denied`, exit 126)",
)
def _perm_exec() -> tuple[list[Job], dict[str, object]]:
    j = Job("release", start(), UBUNTU24, repo="cli-tool", seed="cli-release")
    j.setup(["actions/checkout@v4"], permissions=("Contents: write", "Metadata: read"))
    j.checkout()
    j.run(".github/scripts/release.sh", name="Run release script", env={"GH_TOKEN": "***"})
    line = j.emit(
        f"{j.temp_script()}: line 1: .github/scripts/release.sh: Permission denied", gap=0.1
    )
    j.exit_code(126)
    end(j)
    return [j], failing(
        top("permission_error", line, file=".github/scripts/release.sh", exit_code=126),
        "The script is committed with mode 100644; exit 126 means found but not executable.",
    )


@case(
    "permission_error-gradlew-macos",
    "permission_error",
    "Same 126 pattern as opentelemetry-ecosystem-explorer PR #31 for ./gradlew; macOS paths",
)
def _perm_gradlew() -> tuple[list[Job], dict[str, object]]:
    j = Job("build-ios-bridge", start(), MACOS, repo="mobile-app", seed="gradlew")
    j.setup(["actions/checkout@v4", "actions/setup-java@v4"])
    j.checkout()
    j.action(
        "actions/setup-java@v4",
        [
            ("distribution", "temurin"),
            ("java-version", "17"),
            ("java-package", "jdk"),
            ("check-latest", "false"),
            ("server-id", "github"),
            ("token", "***"),
        ],
    )
    j.emit("##[group]Installed distributions")
    j.emit("Resolved Java 17.0.14+7 from tool-cache")
    j.emit("Setting Java 17.0.14+7 as the default")
    j.emit("##[endgroup]")
    j.run("./gradlew assembleRelease --no-daemon", name="Build")
    line = j.emit(f"{j.temp_script()}: line 1: ./gradlew: Permission denied", gap=0.1)
    j.exit_code(126)
    end(j)
    return [j], failing(
        top("permission_error", line, exit_code=126),
        "gradlew lost its executable bit (committed from Windows).",
    )


@case(
    "permission_error-resource-not-accessible",
    "permission_error",
    "mktcode/consecutive-workflow-action #33; agrc/create-reminder-action #176 (`HttpError: Resource not accessible by integration`)",
)
def _perm_rnai() -> tuple[list[Job], dict[str, object]]:
    j = Job("label", start(), UBUNTU24, repo="app", seed="label")
    j.setup(["actions/github-script@v7"], permissions=("Contents: read", "Metadata: read"))
    j.action(
        "actions/github-script@v7",
        [
            (
                "script",
                "await github.rest.issues.addLabels({\n  owner: context.repo.owner,\n  repo: context.repo.repo,\n"
                "  issue_number: context.issue.number,\n  labels: ['needs-review']\n})\n",
            ),
            ("github-token", "***"),
            ("debug", "false"),
            ("user-agent", "actions/github-script"),
            ("result-encoding", "json"),
            ("retries", "0"),
            ("retry-exempt-status-codes", "400,401,403,404,422"),
        ],
    )
    d = "/home/runner/work/_actions/actions/github-script/v7/dist/index.js"
    j.emit("RequestError [HttpError]: Resource not accessible by integration", gap=0.5)
    j.emit(f"    at {d}:9537:21")
    j.emit("    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)")
    j.emit(f"    at async eval (eval at callAsyncFunction ({d}:36187:16), <anonymous>:3:1)")
    j.emit(f"    at async main ({d}:36285:20) {{")
    j.emit("  status: 403,")
    j.emit("  response: {")
    j.emit("    url: 'https://api.github.com/repos/acme/app/issues/412/labels',")
    j.emit("    status: 403,")
    j.emit("    data: {")
    j.emit("      message: 'Resource not accessible by integration',")
    j.emit(
        "      documentation_url: 'https://docs.github.com/rest/issues/labels#add-labels-to-an-issue',"
    )
    j.emit("      status: '403'")
    j.emit("    }")
    j.emit("  }")
    j.emit("}")
    line = j.error("Unhandled error: HttpError: Resource not accessible by integration")
    j.failed = True
    j.complete()
    return [j], failing(
        top("permission_error", line),
        "GITHUB_TOKEN has Contents/Metadata read only; adding labels needs `issues: write` or `pull-requests: write`.",
    )


@case(
    "permission_error-push-denied-bot",
    "permission_error",
    "stats-organization/github-readme-stats-action #61 (`remote: Permission to X.git denied to github-actions[bot].` / 403)",
)
def _perm_push() -> tuple[list[Job], dict[str, object]]:
    j = py_job("update-docs", "docs-site", pkgs=6)
    j.run(
        "python tools/gen_api_docs.py\ngit config user.name github-actions[bot]\n"
        "git config user.email 41898282+github-actions[bot]@users.noreply.github.com\n"
        'git commit -am "docs: regenerate API reference"\ngit push',
        name="Commit generated docs",
    )
    j.emit("Wrote docs/api/index.md (148 symbols)", gap=1)
    j.emit("[main 4f1c2ab] docs: regenerate API reference")
    j.emit(" 3 files changed, 41 insertions(+), 12 deletions(-)")
    line = j.emit(
        "remote: Permission to acme/docs-site.git denied to github-actions[bot].", gap=0.6
    )
    j.emit(
        "fatal: unable to access 'https://github.com/acme/docs-site/': The requested URL returned error: 403"
    )
    j.exit_code(128)
    end(j)
    return [j], failing(
        top("permission_error", line),
        "Push with the default read-only GITHUB_TOKEN; needs `contents: write`. Not a network error "
        "despite `fatal: unable to access`.",
    )


@case(
    "permission_error-oidc-id-token",
    "permission_error",
    "google-github-actions/auth source text `GitHub Actions did not inject $ACTIONS_ID_TOKEN_REQUEST_TOKEN ...` (id-token: write missing)",
)
def _perm_oidc() -> tuple[list[Job], dict[str, object]]:
    j = Job("deploy", start(), UBUNTU24, repo="cloud-run-app", seed="oidc")
    j.setup(
        ["actions/checkout@v4", "google-github-actions/auth@v2"],
        permissions=("Contents: read", "Metadata: read"),
    )
    j.checkout()
    j.action(
        "google-github-actions/auth@v2",
        [
            (
                "workload_identity_provider",
                "projects/123456789/locations/global/workloadIdentityPools/github/providers/acme",
            ),
            ("service_account", "deployer@acme-prod.iam.gserviceaccount.com"),
            ("create_credentials_file", "true"),
            ("export_environment_variables", "true"),
            ("universe", "googleapis.com"),
            ("cleanup_credentials", "true"),
            ("access_token_lifetime", "3600s"),
            ("access_token_scopes", "https://www.googleapis.com/auth/cloud-platform"),
            ("id_token_include_email", "false"),
        ],
    )
    line = j.error(
        "google-github-actions/auth failed with: gitHub Actions did not inject $ACTIONS_ID_TOKEN_REQUEST_TOKEN "
        "or $ACTIONS_ID_TOKEN_REQUEST_URL into this job. This most likely means the GitHub Actions workflow "
        "permissions are incorrect, or this job is being run from a fork. For more information, please see "
        "https://docs.github.com/en/actions/security-guides/automatic-token-authentication#permissions-for-the-github_token"
    )
    j.failed = True
    j.post_simple("google-github-actions/auth@v2")
    end(j)
    return [j], failing(
        top("permission_error", line),
        "OIDC needs `permissions: id-token: write`. It names env variables, but it is not a missing "
        "secret: the runner injects them only with that permission.",
    )


# ---------------------------------------------------------------------------------------------
# network_error


@case(
    "network_error-checkout-dns",
    "network_error",
    "actions/runner #2930; actions/checkout #304 (`Could not resolve host: github.com`, retries)",
)
def _net_dns() -> tuple[list[Job], dict[str, object]]:
    j = Job("build", start(), UBUNTU22, repo="firmware", seed="dns")
    j.setup(["actions/checkout@v4"])
    j.checkout(fail_dns=True)
    j.post_checkout()
    j.complete()
    first_err = next(i for i, (_, t) in enumerate(j.records, 1) if "Could not resolve host" in t)
    return [j], failing(
        top("network_error", None, host="github.com"),
        f"checkout retried three times; DNS failure is transient (first at line {first_err}, repeated, so no line pinned).",
    )


@case(
    "network_error-pip-read-timeout",
    "network_error",
    "conbench/conbench #815; pypa/pip #11717 (`ReadTimeoutError: HTTPSConnectionPool(host='files.pythonhosted.org', port=443): Read timed out.`); packit/ogr #545 (retries)",
)
def _net_pip() -> tuple[list[Job], dict[str, object]]:
    j = Job("test", start(), UBUNTU24, repo="ml-pipeline", seed="pip-timeout")
    j.setup(["actions/checkout@v4", "actions/setup-python@v5"])
    j.checkout()
    j.setup_python("3.11", "3.11.11")
    j.run("pip install -r requirements.txt", name="Install dependencies")
    pip_install(j, PIP_PACKAGES[:12], py="3.11.11")
    j.emit("Collecting torch==2.6.0 (from -r requirements.txt (line 14))")
    for total in (4, 3, 2, 1, 0):
        j.emit(
            f"WARNING: Retrying (Retry(total={total}, connect=None, read=None, redirect=None, status=None)) after "
            "connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='pypi.org', port=443): Read timed out. "
            "(read timeout=15)\")': /simple/torch/",
            gap=15,
        )
    j.emit("  Downloading torch-2.6.0-cp311-cp311-manylinux1_x86_64.whl.metadata (28 kB)", gap=3)
    j.emit("Downloading torch-2.6.0-cp311-cp311-manylinux1_x86_64.whl (766.7 MB)")
    j.emit(
        "   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 118.5/766.7 MB 1.1 MB/s eta 0:09:41", gap=60
    )
    sp = j.platform.site_packages("3.11.11")
    j.emit("ERROR: Exception:", gap=15)
    j.emit("Traceback (most recent call last):")
    j.emit(f'  File "{sp}/pip/_vendor/urllib3/response.py", line 438, in _error_catcher')
    j.emit("    yield")
    j.emit(f'  File "{sp}/pip/_vendor/urllib3/response.py", line 561, in read')
    j.emit('    data = self._fp_read(amt) if not fp_closed else b""')
    j.emit("           ^^^^^^^^^^^^^^^^^^")
    j.emit(
        '  File "/opt/hostedtoolcache/Python/3.11.11/x64/lib/python3.11/ssl.py", line 1134, in read'
    )
    j.emit("    return self._sslobj.read(len, buffer)")
    j.emit("           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^")
    j.emit("TimeoutError: The read operation timed out")
    j.emit("")
    j.emit("During handling of the above exception, another exception occurred:")
    j.emit("")
    j.emit("Traceback (most recent call last):")
    j.emit(f'  File "{sp}/pip/_internal/cli/base_command.py", line 106, in _run_wrapper')
    j.emit("    status = _inner_run()")
    j.emit(f'  File "{sp}/pip/_vendor/urllib3/response.py", line 443, in _error_catcher')
    j.emit('    raise ReadTimeoutError(self._pool, None, "Read timed out.")')
    line = j.emit(
        "pip._vendor.urllib3.exceptions.ReadTimeoutError: HTTPSConnectionPool(host='files.pythonhosted.org', port=443): Read timed out."
    )
    j.exit_code(2)
    end(j)
    return [j], failing(
        top("network_error", line, host="files.pythonhosted.org"),
        "Download of a 766 MB wheel timed out after pip's own retries; transient, re-run.",
    )


@case(
    "network_error-npm-etimedout",
    "network_error",
    "synzen/MonitoRSS #382 (npm ETIMEDOUT block); npm/cli #3916; new `npm error` prefix (npm/cli #8374)",
)
def _net_npm() -> tuple[list[Job], dict[str, object]]:
    j = node_job("build", "dashboard")
    j.run("npm ci", name="Install")
    j.emit(
        "npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do not use it.",
        gap=20,
    )
    j.emit("npm error code ETIMEDOUT", gap=60)
    j.emit("npm error syscall read")
    j.emit("npm error errno ETIMEDOUT")
    line = j.emit(
        "npm error network request to https://registry.npmjs.org/@babel%2fcore failed, reason: read ETIMEDOUT"
    )
    j.emit("npm error network This is a problem related to network connectivity.")
    j.emit("npm error network In most cases you are behind a proxy or have bad network settings.")
    j.emit("npm error network")
    j.emit("npm error network If you are behind a proxy, please make sure that the")
    j.emit("npm error network 'proxy' config is set properly.  See: 'npm help config'")
    j.emit(
        "npm error A complete log of this run can be found in: /home/runner/.npm/_logs/2025-05-02T10_11_12_123Z-debug-0.log"
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("network_error", line, host="registry.npmjs.org"), "Registry read timed out; transient."
    )


@case(
    "network_error-apt-503",
    "network_error",
    "isri-aist/BaselineWalkingController #6 (`E: Failed to fetch ... 503  Service Unavailable`, exit 100)",
)
def _net_apt() -> tuple[list[Job], dict[str, object]]:
    j = Job("build", start(), UBUNTU24, repo="robot-ctrl", seed="apt503")
    j.setup(["actions/checkout@v4"])
    j.checkout()
    j.run(
        "sudo apt-get update\nsudo apt-get install -y libeigen3-dev libboost-all-dev",
        name="Install system packages",
    )
    apt_noise(j, ["libeigen3-dev", "libboost-all-dev"])
    j.emit(
        "Get:1 http://azure.archive.ubuntu.com/ubuntu noble/universe amd64 libeigen3-dev all 3.4.0-4 [1056 kB]",
        gap=2,
    )
    j.emit(
        "Err:2 http://azure.archive.ubuntu.com/ubuntu noble/main amd64 libboost1.83-dev amd64 1.83.0-2.1ubuntu3",
        gap=30,
    )
    j.emit("  503  Service Unavailable [IP: 40.119.46.219 80]")
    line = j.emit(
        "E: Failed to fetch http://azure.archive.ubuntu.com/ubuntu/pool/main/b/boost1.83/libboost1.83-dev_1.83.0-2.1ubuntu3_amd64.deb  503  Service Unavailable [IP: 40.119.46.219 80]"
    )
    j.emit("E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?")
    j.exit_code(100)
    end(j)
    return [j], failing(
        top("network_error", line, host="azure.archive.ubuntu.com"),
        "Mirror returned 503; transient.",
    )


# ---------------------------------------------------------------------------------------------
# deprecated_action (hard failure at "Set up job")


def _deprecated_setup(name: str, repo: str, actions: list[str], message: str) -> tuple[Job, int]:
    j = Job(name, start(), UBUNTU24, repo=repo, seed=repo)
    j.setup(actions[:0], complete_name=None)
    # "Getting action download info" fails before any download line: drop the Complete line.
    j.records.pop()
    j.lines -= 1
    line = j.error(message)
    j.failed = True
    j.finish()
    return j, line


@case(
    "deprecated_action-upload-artifact-v3",
    "deprecated_action",
    "awalsh128/cache-apt-pkgs-action #147; chanzuckerberg/cryoet-data-portal PR #1510; raw timestamped copies found with find_string",
)
def _dep_ua() -> tuple[list[Job], dict[str, object]]:
    j, line = _deprecated_setup(
        "build",
        "pdf-report",
        ["actions/checkout@v4"],
        "This request has been automatically failed because it uses a deprecated version of "
        "`actions/upload-artifact: v3`. Learn more: https://github.blog/changelog/2024-04-16-"
        "deprecation-notice-v3-of-the-artifact-actions/",
    )
    return [j], failing(
        top("deprecated_action", line, action="actions/upload-artifact", version="v3"),
        "Fails in Set up job before any step; the log ends there.",
    )


@case(
    "deprecated_action-cache-v2",
    "deprecated_action",
    "anacrolix/torrent #999 (workflow-yaml.md §6.1 cache v1/v2 text)",
    bom=True,
)
def _dep_cache() -> tuple[list[Job], dict[str, object]]:
    j, line = _deprecated_setup(
        "test",
        "torrent-lib",
        [],
        "This request has been automatically failed because it uses a deprecated version of "
        "`actions/cache: v2`. Please update your workflow to use v3/v4 of actions/cache to avoid "
        "interruptions. Learn more: https://github.blog/changelog/2024-12-05-notice-of-upcoming-"
        "releases-and-breaking-changes-for-github-actions/#actions-cache-v1-v2-and-actions-toolkit-cache-package-closing-down",
    )
    return [j], failing(
        top("deprecated_action", line, action="actions/cache", version="v2"),
        "actions/cache v2 was shut down 2025-04-15.",
    )


@case(
    "deprecated_action-download-artifact-v2",
    "deprecated_action",
    "machsix/Super-preloader PR #1308 (v1/v2 artifact deprecation text)",
)
def _dep_da() -> tuple[list[Job], dict[str, object]]:
    j, line = _deprecated_setup(
        "publish",
        "static-site",
        [],
        "This request has been automatically failed because it uses a deprecated version of "
        "`actions/download-artifact: v2`. Learn more: https://github.blog/changelog/2024-02-13-"
        "deprecation-notice-v1-and-v2-of-the-artifact-actions/",
    )
    return [j], failing(
        top("deprecated_action", line, action="actions/download-artifact", version="v2"),
        "Artifact v2 retired 2024-06-30.",
    )


# ---------------------------------------------------------------------------------------------
# retired_runner (the job never gets a runner; the log holds the request and the annotation text)


@case(
    "retired_runner-ubuntu-2004",
    "retired_runner",
    "line/promgen PR #585; boostorg/context PR #301 (`This is a scheduled Ubuntu 20.04 retirement ...`); the job log "
    "layout is reconstructed (the text is shown as the run's annotation)",
)
def _rr_ubuntu() -> tuple[list[Job], dict[str, object]]:
    j = Job("build (ubuntu-20.04)", start(), UBUNTU24, repo="wave", seed="rr2004")
    j.step("Set up job")
    j.emit("Requested labels: ubuntu-20.04")
    j.emit("Job defined at: acme/wave/.github/workflows/ci.yml@refs/heads/develop")
    j.emit("Waiting for a runner to pick up this job...")
    line = j.error(
        "This is a scheduled Ubuntu 20.04 retirement. Ubuntu 20.04 LTS runner will be removed on "
        "2025-04-15. For more details, see https://github.com/actions/runner-images/issues/11101",
    )
    j.failed = True
    j.finish()
    return [j], failing(
        top("retired_runner", line, label="ubuntu-20.04"),
        "runs-on: ubuntu-20.04 after its removal.",
    )


@case(
    "retired_runner-windows-2019-brownout",
    "retired_runner",
    "web-platform-tests/wpt #53361; actions/runner-images #12045 (Windows Server 2019 brownout text)",
)
def _rr_windows() -> tuple[list[Job], dict[str, object]]:
    j = Job("test (windows-2019)", start(), WINDOWS, repo="nativelib", seed="rr2019")
    j.step("Set up job")
    j.emit("Requested labels: windows-2019")
    j.emit("Job defined at: acme/nativelib/.github/workflows/ci.yml@refs/pull/88/merge")
    j.emit("Waiting for a runner to pick up this job...")
    line = j.error(
        "This is a scheduled Windows Server 2019 brownout. The Windows Server 2019 image will be removed on "
        "2025-06-30. For more details, see https://github.com/actions/runner-images/issues/12045"
    )
    j.failed = True
    j.finish()
    return [j], failing(
        top("retired_runner", line, label="windows-2019"), "Brownout of a retiring image label."
    )


# ---------------------------------------------------------------------------------------------
# deprecated_command

SET_ENV_MSG = (
    "The `{cmd}` command is disabled. Please upgrade to using Environment Files or opt into unsecure command "
    "execution by setting the `ACTIONS_ALLOW_UNSECURE_COMMANDS` environment variable to `true`. For more "
    "information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/"
)


@case(
    "deprecated_command-set-env",
    "deprecated_command",
    "workflow-yaml.md §6.1 (RUN Constants.cs set-env text); github-api.md §4.1",
)
def _dc_setenv() -> tuple[list[Job], dict[str, object]]:
    j = node_job("build", "legacy-web")
    j.run(
        'echo "::set-env name=NODE_ENV::production"\necho "::set-env name=BUILD_ID::${GITHUB_RUN_ID}"',
        name="Configure build env",
    )
    j.error("Unable to process command '::set-env name=NODE_ENV::production' successfully.")
    line = j.error(SET_ENV_MSG.format(cmd="set-env"))
    j.error("Unable to process command '::set-env name=BUILD_ID::14262518345' successfully.")
    j.error(SET_ENV_MSG.format(cmd="set-env"))
    j.failed = True
    end(j)
    return [j], failing(
        top("deprecated_command", None, command="set-env"),
        f"set-env is disabled (a hard error, unlike set-output). Message repeats (first at {line}).",
    )


@case(
    "deprecated_command-add-path",
    "deprecated_command",
    "workflow-yaml.md §6.1 (add-path disabled text)",
    crlf=True,
)
def _dc_addpath() -> tuple[list[Job], dict[str, object]]:
    j = Job("lint", start(), UBUNTU22, repo="shell-tools", seed="addpath")
    j.setup(["actions/checkout@v4"])
    j.checkout()
    j.run(
        'mkdir -p "$HOME/.local/bin"\ncurl -sSfL https://example.com/shellcheck -o "$HOME/.local/bin/shellcheck"\n'
        'echo "::add-path::$HOME/.local/bin"',
        name="Install shellcheck",
    )
    j.error("Unable to process command '::add-path::/home/runner/.local/bin' successfully.")
    line = j.error(SET_ENV_MSG.format(cmd="add-path"))
    j.failed = True
    end(j)
    return [j], failing(
        top("deprecated_command", line, command="add-path"), "add-path is disabled since 2020-11."
    )


# ---------------------------------------------------------------------------------------------
# dependency_conflict


@case(
    "dependency_conflict-pip-resolution-impossible",
    "dependency_conflict",
    "pip resolver output (`The conflict is caused by:` ... `ERROR: ResolutionImpossible`), pip docs dependency-resolution",
)
def _dcf_pip() -> tuple[list[Job], dict[str, object]]:
    j = Job("test", start(), UBUNTU24, repo="etl-jobs", seed="resolution")
    j.setup(["actions/checkout@v4", "actions/setup-python@v5"])
    j.checkout()
    j.setup_python()
    j.run("pip install -r requirements.txt", name="Install dependencies")
    for name, ver in [
        ("boto3", "1.26.165"),
        ("botocore", "1.29.165"),
        ("urllib3", "2.3.0"),
        ("requests", "2.32.3"),
    ]:
        j.emit(f"Collecting {name}=={ver} (from -r requirements.txt (line {len(name)}))", gap=0.2)
        j.emit(f"  Downloading {name}-{ver}-py3-none-any.whl.metadata (6.6 kB)")
    j.emit(
        "INFO: pip is looking at multiple versions of boto3 to determine which version is compatible with other requirements. This could take a while.",
        gap=2,
    )
    j.emit(
        "ERROR: Cannot install -r requirements.txt (line 1), -r requirements.txt (line 2) and urllib3==2.3.0 because these package versions have conflicting dependencies.",
        gap=4,
    )
    j.emit("")
    j.emit("The conflict is caused by:")
    j.emit("    The user requested urllib3==2.3.0")
    j.emit("    botocore 1.29.165 depends on urllib3<1.27 and >=1.25.4")
    j.emit("")
    j.emit("To fix this you could try to:")
    j.emit("1. loosen the range of package versions you've specified")
    j.emit("2. remove package versions to allow pip to attempt to solve the dependency conflict")
    j.emit("")
    line = j.emit(
        "ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts"
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("dependency_conflict", line), "Pinned urllib3 2.x conflicts with botocore's <1.27."
    )


@case(
    "dependency_conflict-npm-eresolve",
    "dependency_conflict",
    "npm ERESOLVE report (peer dependency conflict) in npm 10 `npm error` wording (npm/cli #8374 for the prefix)",
)
def _dcf_npm() -> tuple[list[Job], dict[str, object]]:
    j = node_job("build", "web-app")
    j.run("npm ci", name="Install dependencies")
    lines = [
        "npm error code ERESOLVE",
        "npm error ERESOLVE could not resolve",
        "npm error",
        "npm error While resolving: react-beautiful-dnd@13.1.1",
        "npm error Found: react@19.1.0",
        "npm error node_modules/react",
        'npm error   react@"^19.1.0" from the root project',
        "npm error",
        "npm error Could not resolve dependency:",
        'npm error peer react@"^16.8.5 || ^17.0.0 || ^18.0.0" from react-beautiful-dnd@13.1.1',
        "npm error node_modules/react-beautiful-dnd",
        'npm error   react-beautiful-dnd@"^13.1.1" from the root project',
        "npm error",
        "npm error Fix the upstream dependency conflict, or retry",
        "npm error this command with --force or --legacy-peer-deps",
        "npm error to accept an incorrect (and potentially broken) dependency resolution.",
        "npm error",
        "npm error",
        "npm error For a full report see:",
        "npm error /home/runner/.npm/_logs/2025-05-02T10_11_12_123Z-eresolve-report.txt",
        "npm error A complete log of this run can be found in: /home/runner/.npm/_logs/2025-05-02T10_11_12_123Z-debug-0.log",
    ]
    first = j.emit_all(lines, gap=3)
    j.exit_code(1)
    end(j)
    return [j], failing(top("dependency_conflict", first), "React 19 vs a peer range ending at 18.")


# ---------------------------------------------------------------------------------------------
# missing_tool


@case(
    "missing_tool-command-not-found-127",
    "missing_tool",
    "google-github-actions/ssh-compute #43 (`line 2: X: command not found`, exit 127)",
)
def _mt_cnf() -> tuple[list[Job], dict[str, object]]:
    j = py_job("test", "poetry-app", pkgs=0)
    j.run("poetry install --no-interaction\npoetry run pytest", name="Test")
    line = j.emit(f"{j.temp_script()}: line 1: poetry: command not found", gap=0.05)
    j.exit_code(127)
    end(j)
    return [j], failing(
        top("missing_tool", line, command="poetry", exit_code=127),
        "Poetry is not preinstalled on the runner image; needs pipx install poetry or an action.",
    )


@case(
    "missing_tool-setup-python-version",
    "missing_tool",
    "actions/setup-python #665; ifduyue/xxtea #42 (`The version '3.6.15' with architecture 'x64' was not found for Ubuntu 22.04.`)",
)
def _mt_py() -> tuple[list[Job], dict[str, object]]:
    j = Job("test (3.7)", start(), UBUNTU24, repo="oldlib", seed="py37")
    j.setup(["actions/checkout@v4", "actions/setup-python@v5"])
    j.checkout()
    j.action(
        "actions/setup-python@v5",
        [
            ("python-version", "3.7"),
            ("check-latest", "false"),
            ("token", "***"),
            ("update-environment", "true"),
            ("allow-prereleases", "false"),
            ("freethreaded", "false"),
        ],
    )
    j.emit("##[group]Installed versions")
    j.emit("Version 3.7 was not found in the local cache")
    line = j.error(
        "The version '3.7' with architecture 'x64' was not found for Ubuntu 24.04.\n"
        "The list of all available versions can be found here: "
        "https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json"
    )
    j.failed = True
    end(j)
    return [j], failing(
        top("missing_tool", line, version="3.7"),
        "Python 3.7 has no build for ubuntu-24.04. The error is a multi-line record; its second line has no timestamp.",
    )


@case(
    "missing_tool-pwsh-not-recognized",
    "missing_tool",
    "PowerShell 7 error record for an unknown command (`The term 'X' is not recognized as a name of a cmdlet ...`); Windows runner",
    bom=True,
    crlf=True,
)
def _mt_pwsh() -> tuple[list[Job], dict[str, object]]:
    j = Job("build (windows-latest)", start(), WINDOWS, repo="go-svc", seed="pwsh-task")
    j.setup(["actions/checkout@v4", "actions/setup-go@v5"])
    j.checkout()
    j.action(
        "actions/setup-go@v5",
        [("go-version", "1.24"), ("check-latest", "false"), ("token", "***"), ("cache", "true")],
    )
    j.emit("Setup go version spec 1.24")
    j.emit("Found in cache @ C:\\hostedtoolcache\\windows\\go\\1.24.1\\x64")
    j.emit("go version go1.24.1 windows/amd64")
    j.run("task build\ntask test", name="Build")
    script = j.temp_script("ps1")
    j.emit(f"{RED}task: {script}:2{RESET}", gap=0.3)
    j.emit(f"{RED}Line |{RESET}")
    j.emit(f"{RED}   2 | {RESET} {YELLOW}task{RESET} build")
    j.emit(f"{RED}     | {RESET} {RED}~~~~{RESET}")
    line = j.emit(
        f"{RED}     | The term 'task' is not recognized as a name of a cmdlet, function, script file, or executable program.{RESET}"
    )
    j.emit(
        f"{RED}     | Check the spelling of the name, or if a path was included, verify that the path is correct and try again.{RESET}"
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("missing_tool", line, command="task"), "go-task is not installed on the Windows image."
    )


# ---------------------------------------------------------------------------------------------
# syntax_error


@case(
    "syntax_error-python",
    "syntax_error",
    "classification.md §1.9 rule 8 (`^\\s*SyntaxError: .*`); CPython 3.12 message `'{' was never closed`",
)
def _syn_py() -> tuple[list[Job], dict[str, object]]:
    j = py_job("etl", "etl", pkgs=20)
    j.run("python -m etl.run --date 2025-05-01", name="Run ETL")
    ws = j.platform.workspace("etl")
    j.emit("Traceback (most recent call last):", gap=0.2)
    j.emit('  File "<frozen runpy>", line 198, in _run_module_as_main')
    j.emit('  File "<frozen runpy>", line 88, in _run_code')
    j.emit(f'  File "{ws}/etl/run.py", line 6, in <module>')
    j.emit("    from etl.transform import normalise")
    j.emit(f'  File "{ws}/etl/transform.py", line 88')
    j.emit("    return {k: v for k, v in rows.items() if v is not None")
    j.emit("           ^")
    line = j.emit("SyntaxError: '{' was never closed")
    j.exit_code(1)
    end(j)
    return [j], failing(top("syntax_error", line), "A syntax error in etl/transform.py.")


@case(
    "syntax_error-tsc",
    "syntax_error",
    "TypeScript compiler diagnostics format `file(line,col): error TSxxxx:` (TS1005 is a parse error)",
)
def _syn_tsc() -> tuple[list[Job], dict[str, object]]:
    j = node_job("typecheck", "api-client")
    j.run("npm ci", name="Install")
    npm_ci(j)
    j.run("npx tsc --noEmit", name="Type check")
    line = j.emit(
        "\x1b[96msrc/api/client.ts\x1b[0m:\x1b[93m42\x1b[0m:\x1b[93m18\x1b[0m - \x1b[91merror\x1b[0m\x1b[90m TS1005: \x1b[0m',' expected.",
        gap=5,
    )
    j.emit("")
    j.emit("\x1b[7m42\x1b[0m   const res = await fetch(url { method: 'POST', body });")
    j.emit("\x1b[7m  \x1b[0m \x1b[91m                           ~\x1b[0m")
    j.emit("")
    j.emit("")
    j.emit("Found 1 error in src/api/client.ts\x1b[90m:42\x1b[0m")
    j.emit("")
    j.exit_code(2)
    end(j)
    return [j], failing(
        top("syntax_error", line, file="src/api/client.ts"),
        "tsc parse error (pretty output with colours).",
    )


# ---------------------------------------------------------------------------------------------
# test_failure


@case(
    "test_failure-pytest",
    "test_failure",
    "okken/pytest-check PR #150 (pytest FAILURES block and short summary); pytest-dev/pytest PR #4805",
)
def _tf_pytest() -> tuple[list[Job], dict[str, object]]:
    j = py_job("test", "billing", pkgs=40)
    j.run("pytest -v --maxfail=5", name="Run tests")
    pytest_header(j, items=212)
    tests = pytest_passing_tests(211)
    tests.insert(130, ("tests/test_invoice.py::test_invoice_total_rounding", "FAILED"))
    pytest_progress(j, tests)
    j.emit("")
    j.emit(
        f"{BOLD}=================================== FAILURES ==================================={RESET}"
    )
    j.emit(
        f"{RED}{BOLD}________________________ test_invoice_total_rounding _________________________{RESET}"
    )
    j.emit("")
    j.emit("    def test_invoice_total_rounding():")
    j.emit('        inv = Invoice(items=[Item(price=Decimal("9.99"), qty=3)])')
    j.emit('>       assert inv.total == Decimal("29.98")')
    j.emit(f"{RED}{BOLD}E       AssertionError: assert Decimal('29.97') == Decimal('29.98'){RESET}")
    j.emit(
        f"{RED}{BOLD}E        +  where Decimal('29.97') = <billing.models.Invoice object at 0x7f3a2c1b5e50>.total{RESET}"
    )
    j.emit("")
    j.emit(f"{RED}{BOLD}tests/test_invoice.py{RESET}:14: AssertionError")
    j.emit(
        f"{BOLD}=========================== short test summary info ============================{RESET}"
    )
    line = j.emit(
        f"{RED}FAILED{RESET} tests/test_invoice.py::test_invoice_total_rounding - AssertionError: assert Decimal('29.97') == Decimal('29.98')"
    )
    j.emit(
        f"{RED}======================== {RED}{BOLD}1 failed{RESET}, {GREEN}211 passed{RESET}{RED} in 12.41s ========================={RESET}"
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("test_failure", line, test="tests/test_invoice.py::test_invoice_total_rounding"),
        "One assertion failure among 211 passing tests whose names mention errors and failures.",
    )


@case(
    "test_failure-jest",
    "test_failure",
    "Jest console reporter format (FAIL <file>, ● suite › test, Tests: N failed)",
)
def _tf_jest() -> tuple[list[Job], dict[str, object]]:
    j = node_job("test", "storefront")
    j.run("npm ci", name="Install")
    npm_ci(j)
    j.run("npm test -- --ci", name="Test")
    j.emit("", gap=1)
    j.emit("> storefront@2.3.0 test")
    j.emit("> jest --ci")
    j.emit("")
    for f in [
        "src/cart/cart.test.ts",
        "src/api/errors.test.ts",
        "src/hooks/useFetch.test.ts",
        "src/utils/retry.test.ts",
    ]:
        j.emit(
            f"\x1b[0m\x1b[7m\x1b[1m\x1b[32m PASS \x1b[39m\x1b[22m\x1b[27m\x1b[0m \x1b[2m{f.rsplit('/', 1)[0]}/\x1b[22m\x1b[1m{f.rsplit('/', 1)[1]}\x1b[22m",
            gap=0.6,
        )
    j.emit("  \x1b[1m\x1b[31m●\x1b[39m\x1b[22m Console")
    j.emit("")
    j.emit("    \x1b[31mconsole.error\x1b[39m")
    j.emit("      Error: request failed with status 500")
    j.emit("")
    j.emit(
        "\x1b[2m      at Object.<anonymous> (\x1b[22msrc/api/errors.test.ts\x1b[2m:18:13)\x1b[22m"
    )
    line = j.emit(
        "\x1b[0m\x1b[7m\x1b[1m\x1b[31m FAIL \x1b[39m\x1b[22m\x1b[27m\x1b[0m \x1b[2msrc/utils/\x1b[22m\x1b[1mformat.test.ts\x1b[22m",
        gap=0.5,
    )
    j.emit(
        "  \x1b[1m\x1b[31m● \x1b[22m\x1b[1mformatCurrency › formats negative amounts\x1b[39m\x1b[22m"
    )
    j.emit("")
    j.emit(
        "    \x1b[2mexpect(\x1b[22m\x1b[31mreceived\x1b[39m\x1b[2m).\x1b[22mtoBe\x1b[2m(\x1b[22m\x1b[32mexpected\x1b[39m\x1b[2m) // Object.is equality\x1b[22m"
    )
    j.emit("")
    j.emit('    Expected: \x1b[32m"-$5.00"\x1b[39m')
    j.emit('    Received: \x1b[31m"$-5.00"\x1b[39m')
    j.emit("")
    j.emit(
        "\x1b[2m      at Object.toBe (\x1b[22m\x1b[36msrc/utils/format.test.ts\x1b[39m\x1b[0m\x1b[2m:13:32)\x1b[22m"
    )
    j.emit("")
    j.emit(
        "\x1b[1mTest Suites: \x1b[22m\x1b[1m\x1b[31m1 failed\x1b[39m\x1b[22m, \x1b[1m\x1b[32m23 passed\x1b[39m\x1b[22m, 24 total"
    )
    j.emit(
        "\x1b[1mTests:       \x1b[22m\x1b[1m\x1b[31m1 failed\x1b[39m\x1b[22m, \x1b[1m\x1b[32m187 passed\x1b[39m\x1b[22m, 188 total"
    )
    j.emit("\x1b[1mSnapshots:   \x1b[22m0 total")
    j.emit("\x1b[1mTime:\x1b[22m        9.871 s")
    j.emit("\x1b[2mRan all test suites\x1b[22m\x1b[2m.\x1b[22m")
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("test_failure", line),
        "One failing Jest test; a console.error from a passing test is noise.",
    )


@case(
    "test_failure-go",
    "test_failure",
    "go test output format (`--- FAIL: TestX (0.00s)`, `FAIL\\t<pkg>\\t0.014s`)",
)
def _tf_go() -> tuple[list[Job], dict[str, object]]:
    j = Job("test", start(), UBUNTU24, repo="svc", seed="gotest")
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
    j.emit("Setup go version spec 1.24.1")
    j.emit("Found in cache @ /opt/hostedtoolcache/go/1.24.1/x64")
    j.emit("go version go1.24.1 linux/amd64")
    j.run("go test ./...", name="Test")
    for pkg in [
        "go: downloading github.com/stretchr/testify v1.10.0",
        "go: downloading gopkg.in/yaml.v3 v3.0.1",
        "go: downloading github.com/google/go-cmp v0.7.0",
    ]:
        j.emit(pkg, gap=0.3)
    go_ok(j, ["cmd/svc", "internal/auth", "internal/errors", "internal/retry"])
    line = j.emit("--- FAIL: TestParseConfig (0.00s)", gap=0.4)
    j.emit("    config_test.go:42: expected timeout 30s, got 0s")
    j.emit("FAIL")
    j.emit("FAIL\tgithub.com/acme/svc/internal/config\t0.014s")
    go_ok(j, ["internal/server", "internal/storage"])
    j.emit("FAIL")
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("test_failure", line, test="TestParseConfig"), "go test failure in internal/config."
    )


@case(
    "test_failure-cargo",
    "test_failure",
    "cargo test libtest output (`test x ... FAILED`, `test result: FAILED.`)",
)
def _tf_cargo() -> tuple[list[Job], dict[str, object]]:
    j = Job("test", start(), UBUNTU24, repo="tokenizer", seed="cargo")
    j.setup(["actions/checkout@v4", "dtolnay/rust-toolchain@stable"])
    j.checkout()
    j.action("dtolnay/rust-toolchain@stable", [("toolchain", "stable")])
    j.emit("info: syncing channel updates for 'stable-x86_64-unknown-linux-gnu'", gap=1)
    j.emit("info: default toolchain set to 'stable-x86_64-unknown-linux-gnu'")
    j.run("cargo test --locked", name="cargo test")
    j.emit("    Updating crates.io index", gap=1)
    cargo_compiling(j)
    j.emit(
        f"{GREEN}{BOLD}   Compiling{RESET} tokenizer v0.3.1 (/home/runner/work/tokenizer/tokenizer)"
    )
    j.emit(
        f"{GREEN}{BOLD}    Finished{RESET} `test` profile [unoptimized + debuginfo] target(s) in 38.21s",
        gap=30,
    )
    j.emit(
        f"{GREEN}{BOLD}     Running{RESET} unittests src/lib.rs (target/debug/deps/tokenizer-5f2d3c0a1b9e8d7c)"
    )
    j.emit("")
    j.emit("running 42 tests")
    for i in range(20):
        j.emit(f"test lexer::tests::lexes_case_{i:02d} ... {GREEN}ok{RESET}")
    line = j.emit(f"test parser::tests::parses_empty_input ... {RED}FAILED{RESET}")
    for i in range(21):
        j.emit(f"test parser::tests::error_recovery_{i:02d} ... {GREEN}ok{RESET}")
    j.emit("")
    j.emit("failures:")
    j.emit("")
    j.emit("---- parser::tests::parses_empty_input stdout ----")
    j.emit("")
    j.emit("thread 'parser::tests::parses_empty_input' panicked at src/parser.rs:118:9:")
    j.emit("assertion `left == right` failed")
    j.emit("  left: Some(Eof)")
    j.emit(" right: None")
    j.emit("note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace")
    j.emit("")
    j.emit("")
    j.emit("failures:")
    j.emit("    parser::tests::parses_empty_input")
    j.emit("")
    j.emit(
        f"test result: {RED}FAILED{RESET}. 41 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.02s"
    )
    j.emit("")
    j.emit(f"{RED}{BOLD}error{RESET}{BOLD}:{RESET} test failed, to rerun pass `--lib`")
    j.exit_code(101)
    end(j)
    return [j], failing(
        top("test_failure", line, test="parser::tests::parses_empty_input"),
        "Rust unit test panics on an assertion.",
    )


# ---------------------------------------------------------------------------------------------
# lint_failure


@case(
    "lint_failure-ruff",
    "lint_failure",
    "astral-sh/ruff #17295 (ruff 0.11 full format: `F401 [*] ... imported but unused`, `Found N errors.`)",
)
def _lf_ruff() -> tuple[list[Job], dict[str, object]]:
    j = py_job("lint", "webhooks", pkgs=5)
    j.run("pip install ruff==0.11.4\nruff check .", name="Ruff")
    j.emit("Collecting ruff==0.11.4", gap=0.5)
    j.emit(
        "  Downloading ruff-0.11.4-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl.metadata (25 kB)"
    )
    j.emit("Successfully installed ruff-0.11.4")
    line = j.emit(
        f"{BOLD}webhooks/handlers.py{RESET}\x1b[36m:{RESET}3\x1b[36m:{RESET}8\x1b[36m:{RESET} {RED}{BOLD}F401{RESET} [*] `os` imported but unused",
        gap=0.2,
    )
    j.emit(
        f"{BOLD}webhooks/handlers.py{RESET}\x1b[36m:{RESET}57\x1b[36m:{RESET}5\x1b[36m:{RESET} {RED}{BOLD}E722{RESET} Do not use bare `except`"
    )
    j.emit(
        f"{BOLD}webhooks/retry.py{RESET}\x1b[36m:{RESET}12\x1b[36m:{RESET}1\x1b[36m:{RESET} {RED}{BOLD}I001{RESET} [*] Import block is un-sorted or un-formatted"
    )
    j.emit("Found 3 errors.")
    j.emit("[*] 2 fixable with the `--fix` option.")
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("lint_failure", None, tool="ruff"), f"ruff reports 3 violations (first at line {line})."
    )


@case(
    "lint_failure-flake8",
    "lint_failure",
    "os-climate/hazard #95 (flake8 output `path:L:C: F401 ...`)",
)
def _lf_flake8() -> tuple[list[Job], dict[str, object]]:
    j = py_job("lint", "hazard", pkgs=8)
    j.run("flake8 src tests", name="flake8")
    j.emit("./src/hazard/docs_store.py:9:1: F401 'pydantic.BaseModel' imported but unused", gap=2)
    j.emit(
        "./src/hazard/models/drought.py:93:14: N806 variable 'path_Root' in function should be lowercase"
    )
    j.emit("./src/hazard/sources/osc_zarr.py:121:80: E501 line too long (104 > 79 characters)")
    j.emit("./tests/test_error_handling.py:7:1: E302 expected 2 blank lines, found 1")
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("lint_failure", None, tool="flake8"),
        "flake8 violations; a test file name contains 'error'.",
    )


@case(
    "lint_failure-black",
    "lint_failure",
    "psf/black #4156 (`would reformat ...`, `Oh no! 💥 💔 💥`)",
    crlf=True,
)
def _lf_black() -> tuple[list[Job], dict[str, object]]:
    j = py_job("format", "catsay", pkgs=3)
    j.run("black --check --diff .", name="Check formatting")
    j.emit(
        "--- /home/runner/work/catsay/catsay/catsay/cat.py\t2025-05-06 09:12:01.000000+00:00", gap=1
    )
    j.emit("+++ /home/runner/work/catsay/catsay/catsay/cat.py\t2025-05-06 09:12:03.518221+00:00")
    j.emit("@@ -1,4 +1,5 @@")
    j.emit(" import sys")
    j.emit("+")
    j.emit('-def say(msg):return f"=^.^= {msg}"')
    j.emit("+def say(msg):")
    j.emit('+    return f"=^.^= {msg}"')
    j.emit(f"{BOLD}would reformat /home/runner/work/catsay/catsay/catsay/cat.py{RESET}")
    j.emit("")
    line = j.emit(f"{BOLD}Oh no! 💥 💔 💥{RESET}")
    j.emit(f"{BOLD}1 file would be reformatted{RESET}, 4 files would be left unchanged.")
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("lint_failure", line, tool="black"),
        "black --check found an unformatted file (UTF-8 emoji, CRLF).",
    )


@case(
    "lint_failure-eslint",
    "lint_failure",
    "ESLint stylish formatter output (`✖ N problems (N errors, 0 warnings)`)",
)
def _lf_eslint() -> tuple[list[Job], dict[str, object]]:
    j = node_job("lint", "storefront")
    j.run("npm ci", name="Install")
    npm_ci(j)
    j.run("npx eslint . --max-warnings=0", name="ESLint")
    j.emit("", gap=4)
    j.emit("\x1b[4m/home/runner/work/storefront/storefront/src/components/Cart.tsx\x1b[24m")
    j.emit(
        "  \x1b[2m14:7\x1b[22m  \x1b[31merror\x1b[39m  'total' is assigned a value but never used  \x1b[2m@typescript-eslint/no-unused-vars\x1b[22m"
    )
    j.emit(
        "  \x1b[2m31:5\x1b[22m  \x1b[31merror\x1b[39m  Unexpected console statement                \x1b[2mno-console\x1b[22m"
    )
    j.emit("")
    line = j.emit("\x1b[31m\x1b[1m✖ 2 problems (2 errors, 0 warnings)\x1b[22m\x1b[39m")
    j.emit("\x1b[31m\x1b[1m\x1b[22m\x1b[39m")
    j.exit_code(1)
    end(j)
    return [j], failing(top("lint_failure", line, tool="eslint"), "ESLint errors.")


# ---------------------------------------------------------------------------------------------
# timeout


@case(
    "timeout-job-max-execution-time",
    "timeout",
    "lowlighter/metrics #731; curl/curl-container #37 (`The job running on runner GitHub Actions N has exceeded the maximum execution time of M minutes.`)",
)
def _to_job() -> tuple[list[Job], dict[str, object]]:
    j = py_job("e2e", "crawler", pkgs=22)
    j.run("python -m crawler.e2e --sites sites.txt", name="End-to-end crawl")
    for i in range(120):
        j.emit(
            f"INFO crawler.fetch: fetched https://site{i:03d}.example.org/ (200, {j.rng.randrange(20, 900)} ms)",
            gap=9,
        )
    j.emit("INFO crawler.fetch: waiting for https://slow.example.org/ ...", gap=5)
    j.wait(1500)
    line = j.error(
        "The job running on runner GitHub Actions 1000000123 has exceeded the maximum execution time of 30 minutes."
    )
    j.error("The operation was canceled.")
    j.failed = True
    end(j)
    j.emit("Terminate orphan process: pid (2314) (python)")
    return [j], failing(
        top("timeout", line),
        "timeout-minutes: 30 on the job; `The operation was canceled.` is the consequence.",
    )


@case(
    "timeout-step-timed-out",
    "timeout",
    "PTI fixture gha_timeout.txt; RUN StepsRunner.cs (`The action '<step>' has timed out after N minutes.`)",
)
def _to_step() -> tuple[list[Job], dict[str, object]]:
    j = py_job("integration", "queue-svc", pkgs=26)
    j.run("pytest tests/integration -x", name="Run integration tests")
    pytest_header(j, items=64)
    pytest_progress(j, pytest_passing_tests(23))
    j.emit("tests/integration/test_consumer.py::test_redelivery_after_failure ", gap=2)
    j.wait(1190)
    line = j.error("The action 'Run integration tests' has timed out after 20 minutes.")
    j.failed = True
    end(j)
    return [j], failing(top("timeout", line), "Step-level timeout-minutes: 20; a test hung.")


# ---------------------------------------------------------------------------------------------
# runner_failure


@case(
    "runner_failure-shutdown-signal",
    "runner_failure",
    "actions/runner #2427 (raw timestamped), #3724 (exit 137); RUN JobRunner.cs",
)
def _rf_shutdown() -> tuple[list[Job], dict[str, object]]:
    j = Job("build", start(), UBUNTU24, repo="big-monorepo", seed="shutdown")
    j.setup(["actions/checkout@v4"])
    j.checkout()
    j.run("make -j4 all", name="Build")
    for i in range(150):
        j.emit(f"  CC      src/module{i // 10}/file{i:03d}.o", gap=0.8)
    line = j.error(
        "The runner has received a shutdown signal. This can happen when the runner service is stopped, "
        "or a manually started runner is canceled."
    )
    j.emit("make: *** [Makefile:88: src/module14/file149.o] Terminated")
    j.exit_code(143)
    j.error("The operation was canceled.")
    end(j)
    return [j], failing(
        top("runner_failure", line),
        "The runner was shut down mid-build (exit 143 is SIGTERM); transient.",
    )


@case(
    "runner_failure-lost-communication",
    "runner_failure",
    "fedimint/fedimint #6021 (`The hosted runner: GitHub Actions 9 lost communication with the server...`); log tail reconstructed",
)
def _rf_lost() -> tuple[list[Job], dict[str, object]]:
    j = py_job("test (3.12)", "dataframe-ext", pkgs=38)
    j.run("pytest -n 4 tests/", name="Run tests")
    pytest_header(j, items=1800)
    j.emit("created: 4/4 workers")
    j.emit("4 workers [1800 items]")
    j.emit("")
    for i in range(12):
        j.emit("." * 80 + f" [{(i + 1) * 4:3d}%]", gap=6)
    j.wait(300)
    line = j.error(
        "The hosted runner: GitHub Actions 9 lost communication with the server. Anything in your workflow that "
        "terminates the runner process, starves it for CPU/Memory, or blocks its network access can cause this error."
    )
    j.failed = True
    j.finish()
    return [j], failing(
        top("runner_failure", line),
        "The runner VM disappeared (often memory pressure); no post steps ran.",
    )


@case(
    "runner_failure-no-space-left",
    "runner_failure",
    "googleapis/google-cloud-python #12271; jpata/particleflow #371 (`OSError: [Errno 28] No space left on device`)",
)
def _rf_nospace() -> tuple[list[Job], dict[str, object]]:
    j = Job("train-smoke", start(), UBUNTU24, repo="vision-models", seed="nospace")
    j.setup(["actions/checkout@v4", "actions/setup-python@v5"])
    j.checkout()
    j.setup_python()
    j.run("pip install -r requirements-gpu.txt", name="Install dependencies")
    pip_install(j, PIP_PACKAGES[:20])
    j.emit("Collecting torch==2.6.0 (from -r requirements-gpu.txt (line 1))")
    j.emit("  Downloading torch-2.6.0-cp312-cp312-manylinux1_x86_64.whl.metadata (28 kB)")
    j.emit("Collecting nvidia-cudnn-cu12==9.1.0.70 (from torch==2.6.0)")
    j.emit(
        "  Downloading nvidia_cudnn_cu12-9.1.0.70-py3-none-manylinux2014_x86_64.whl.metadata (1.6 kB)"
    )
    j.emit("Downloading torch-2.6.0-cp312-cp312-manylinux1_x86_64.whl (766.7 MB)", gap=2)
    j.emit(
        "   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 766.7/766.7 MB 89.2 MB/s eta 0:00:00", gap=9
    )
    j.emit("Downloading nvidia_cudnn_cu12-9.1.0.70-py3-none-manylinux2014_x86_64.whl (664.8 MB)")
    j.emit(
        "   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 664.8/664.8 MB 92.0 MB/s eta 0:00:00", gap=8
    )
    j.emit("Installing collected packages: nvidia-cudnn-cu12, torch", gap=1)
    line = j.emit(
        "ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device",
        gap=40,
    )
    j.emit("")
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("runner_failure", line), "The runner's disk filled up while installing CUDA wheels."
    )


# ---------------------------------------------------------------------------------------------
# auth_error


@case(
    "auth_error-npm-e401",
    "auth_error",
    "npm E401 text (`Unable to authenticate, your authentication token seems to be invalid.`) in npm 10 wording",
)
def _auth_npm() -> tuple[list[Job], dict[str, object]]:
    j = node_job("build", "design-app", env={"NODE_AUTH_TOKEN": "***"})
    j.run("npm ci", name="Install")
    line = j.emit("npm error code E401", gap=3)
    j.emit("npm error Unable to authenticate, your authentication token seems to be invalid.")
    j.emit("npm error To correct this please try logging in again with:")
    j.emit("npm error     npm login")
    j.emit(
        "npm error A complete log of this run can be found in: /home/runner/.npm/_logs/2025-05-14T07_40_03_771Z-debug-0.log"
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("auth_error", line),
        "The registry token is set (***) but rejected: expired or wrong scope.",
    )


@case(
    "auth_error-git-authentication-failed",
    "auth_error",
    "GitHub git-over-HTTPS rejection (`remote: Invalid username or token. Password authentication is not supported for Git operations.` / `fatal: Authentication failed for`)",
)
def _auth_git() -> tuple[list[Job], dict[str, object]]:
    j = Job("sync-config", start(), UBUNTU24, repo="app", seed="gitauth")
    j.setup(["actions/checkout@v4"])
    j.checkout()
    j.run(
        'git clone "https://x-access-token:${INFRA_TOKEN}@github.com/acme/infra-config.git" ../infra-config',
        name="Clone infra config",
        env={"INFRA_TOKEN": "***"},
    )
    j.emit("Cloning into '../infra-config'...", gap=0.3)
    j.emit(
        "remote: Invalid username or token. Password authentication is not supported for Git operations.",
        gap=0.4,
    )
    line = j.emit("fatal: Authentication failed for 'https://github.com/acme/infra-config.git/'")
    j.exit_code(128)
    end(j)
    return [j], failing(top("auth_error", line), "The PAT in INFRA_TOKEN is expired or revoked.")


# ---------------------------------------------------------------------------------------------
# unknown


@case(
    "unknown-deploy-verification",
    "unknown",
    "constructed: a project-specific failure that no catalog rule can explain",
)
def _unk_deploy() -> tuple[list[Job], dict[str, object]]:
    j = Job("verify-rollout", start(), UBUNTU24, repo="checkout-api", seed="rollout")
    j.setup(["actions/checkout@v4"])
    j.checkout()
    j.run("./scripts/verify-rollout.sh checkout-api 3", name="Verify rollout")
    for i in range(10):
        j.emit(
            f"[verify] checkout-api: {min(2, i // 3)}/3 replicas healthy (attempt {i + 1}/10)",
            gap=30,
        )
    line = j.emit(
        "[verify] rollout did not converge: checkout-api has 2/3 healthy replicas after 300s"
    )
    j.exit_code(1)
    end(j)
    return [j], failing(
        top("unknown", line),
        "A real failure, but of a project-specific check; no specific type applies.",
    )


@case(
    "unknown-segfault",
    "unknown",
    "constructed: a crash (`Segmentation fault (core dumped)`, exit 139) in a native extension test",
)
def _unk_segv() -> tuple[list[Job], dict[str, object]]:
    j = py_job("test", "fastgeo", pkgs=24)
    j.run("python -m pytest tests/test_native.py -v", name="Test native extension")
    pytest_header(j, items=18)
    pytest_progress(j, [(f"tests/test_native.py::test_simplify_{i}", "PASSED") for i in range(9)])
    j.emit("tests/test_native.py::test_simplify_large_polygon ")
    line = j.emit("Fatal Python error: Segmentation fault", gap=0.2)
    j.emit("")
    j.emit("Current thread 0x00007f1d2b9fd740 (most recent call first):")
    j.emit('  File "/home/runner/work/fastgeo/fastgeo/fastgeo/simplify.py", line 44 in simplify')
    j.emit(
        '  File "/home/runner/work/fastgeo/fastgeo/tests/test_native.py", line 71 in test_simplify_large_polygon'
    )
    j.emit(
        f"{j.temp_script()}: line 1:  2231 Segmentation fault      (core dumped) python -m pytest tests/test_native.py -v"
    )
    j.exit_code(139)
    end(j)
    return [j], failing(
        top("unknown", line),
        "A native crash; not a test assertion and not an environment problem the catalog names.",
    )


@case(
    "unknown-make-custom-check",
    "unknown",
    "constructed: a custom release check behind make (`make: *** [Makefile:42: check-version] Error 1`)",
)
def _unk_make() -> tuple[list[Job], dict[str, object]]:
    j = py_job("release-check", "pkgtool", pkgs=10)
    j.run("make check-version", name="Check version")
    j.emit("python tools/check_version.py", gap=0.2)
    line = j.emit("version mismatch: pyproject.toml says 1.4.0 but CHANGELOG.md tops out at 1.3.9")
    j.emit("make: *** [Makefile:42: check-version] Error 1")
    j.exit_code(2)
    end(j)
    return [j], failing(
        top("unknown", line),
        "Project-specific consistency check; nothing in the catalog explains it.",
    )


from make_logs_more import register_more  # noqa: E402

register_more(case, start, py_job, node_job, end, top, failing, passing)
from make_logs_extra import register_extra, register_traps  # noqa: E402

register_extra(case, start, py_job, node_job, end, top, failing, passing)
register_traps(case, start, py_job, node_job, end, top, failing, passing)

# The bundled demo logs (examples/logs/) are fresh renders of dev-set builders: new timestamps, same texts.
_BY_NAME = {c.name: c for c in CASES}
for _src, _dst in [
    ("missing_dependency-cv2-script", "missing-python-module"),
    ("deprecated_action-upload-artifact-v3", "deprecated-upload-artifact"),
    ("missing_env_vars-keyerror-api-key", "missing-secret-env-var"),
    ("permission_error-exec-bit-126", "script-not-executable"),
    ("passing-pytest-error-named-tests", "passing"),
    ("run-folders-lint-pass-test-fail", "run-logs"),
]:
    _c = _BY_NAME[_src]
    CASES.append(
        Case(
            "example:" + _dst,
            _c.type,
            _c.source,
            _c.build,
            bom=_c.bom,
            crlf=_c.crlf,
            zip_layout=_c.zip_layout,
            legacy_dup=_c.legacy_dup,
        )
    )


# ---------------------------------------------------------------------------------------------
# writing


def write_zip(path: Path, jobs: list[Job], layout: str, legacy_dup: bool) -> None:
    fixed = (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, job in enumerate(jobs):
            fname = job.name.replace("/", "").replace(":", "")
            ordinal = 3 * n + 2
            data = job.render()
            zf.writestr(zipfile.ZipInfo(f"{ordinal}_{fname}.txt", fixed), data)
            if legacy_dup and job.failed:
                zf.writestr(zipfile.ZipInfo(f"-{ordinal + 30}_{fname}.txt", fixed), data)
            if layout == "folders":
                for k, (step, records) in enumerate(job.step_files(), 1):
                    zf.writestr(
                        zipfile.ZipInfo(f"{fname}/{k}_{step}.txt", fixed), job.render(records)
                    )


README_HEAD = """\
# smartmon development set: labelled GitHub Actions job logs

Generated by `tests/data/make_logs.py` (deterministic: run it again and `git diff` stays empty);
checked by `tests/data/validate_logs.py` (format, zips, expected files, sizes; it knows nothing about
the engine). Do not edit the logs by hand: change the generator and re-run it. The demo logs in
`examples/logs/` come from the same builders (fresh timestamps, same texts).

    .venv/bin/python tests/data/make_logs.py && .venv/bin/python tests/data/validate_logs.py

## What is in here
- {n_inputs} inputs: {n_txt} single job logs (`.txt`) and {n_zip} run-log zips; {n_pass} of the inputs
  pass and must give zero findings. File names are `<expected type>-<slug>`, `passing-<slug>` and
  `run-<layout>-<slug>.zip`.
- **Exact downloaded format** (research `github-api.md` §1.4, §2; `classification.md` §4.10): every
  record starts with `YYYY-MM-DDTHH:MM:SS.fffffffZ ` (7 digits, `Z`, one space); "Set up job"
  boilerplate (runner version, `##[group]Operating System`, `Runner Image`, `GITHUB_TOKEN Permissions`,
  `Download action repository ... (SHA:...)`, `Complete job name:`); action steps with `with:`
  blocks; `run:` steps with cyan script lines, the `shell:` line and `env:` blocks (a missing secret is
  an empty value); tool output with its own ANSI colours; `##[error]Process completed with exit code
  N.`; `Post job cleanup.`; `Cleaning up orphan processes`.
- **Variants**: UTF-8 BOM ({n_bom} files), CRLF ({n_crlf} files), multi-line records whose
  continuation lines have no timestamp (e.g. `missing_tool-setup-python-version`,
  `yaml_syntax_error-pyyaml-scanner`, `runner_failure-dotnet-ioexception-no-space`, multi-line
  `with:` values in `permission_error-resource-not-accessible`, `passing-docs-build-warnings`,
  `passing-pip-check-resolver-warning`), Windows (pwsh `shell:` line, `D:\\a\\...`, `C:\\hostedtoolcache`)
  and macOS (`/Users/runner/work/...`) jobs, pytest `E   ` tracebacks, long noise (pip installs,
  hundreds of verbose pytest lines, test names containing error/fail/timeout/permission_denied,
  grep output quoting error texts, `##[warning]` deprecations on passing jobs), `##[debug]` lines,
  2026 composite-step markers (`##[start-action ...]`), and annotation-style `##[error]` lint output.
- **Zips** (Python `zipfile`, entry dates 1980-01-01): layout *folders* has top-level
  `<n>_<job>.txt` plus `<job>/<k>_<step>.txt` step files (`/` removed from step names; the step files
  concatenate to the job file); layout *flat* has only top-level files (the post-2025 layout).
  `run-flat-matrix-legacy-duplicate.zip` also holds a legacy `-<n>_<job>.txt` copy of its failing job
  (it is the same job: `jobs` does not count it). Ordinals are not in time order.

## Expected files
Next to each input `<name>.txt|zip` is `<name>.expected.json`:

```json
{{"passing": false,
 "top": {{"type": "missing_dependency", "data": {{"module": "yaml"}}, "job": "test", "line": 212}},
 "jobs": 1,
 "notes": "why this is the right answer"}}
```
- `passing: true`: the analysis must produce **zero findings** (notices allowed); `top` is absent.
- `top.type`: the required top-1 finding type (the root cause a careful human names, not a symptom:
  a `ModuleNotFoundError` that makes 40 tests error is `missing_dependency`; pytest's `ImportError
  while loading conftest` wrapper around a pydantic error is `missing_env_vars`; `The operation was
  canceled.` after a timeout is not the cause; `##[error]Process completed with exit code N.` never
  is).
- `top.data`: only facts that **must** be captured (a subset of the finding's `data`), keys from:
  module, name, from, var, file, line, action, version, label, command, package, exit_code, tool,
  test, scope, url, host. Values are as printed in the log, except `file`, which is repo-relative.
  Absent keys mean "not checked", not "must be absent".
- `top.job`: the job name, only for zips (for a `.txt` the job is the file stem).
- `top.line`: raw 1-based physical line number, in the job's top-level file, of the line that proves
  the cause (a BOM is not a line; for a multi-line record the physical line holding the proof). It
  is pinned only when exactly one line of the log states the cause; it is left out when the cause is
  stated on several lines (repeated errors, an error-code line plus a message line, a test's header
  plus its summary line, a block of lint errors) so any of them is right (`UNPINNED` in the generator).
- `jobs`: how many jobs the input holds.

`INDEX.tsv` lists name, type and source of every input.

## Where the texts come from
Every error text is a real one quoted with its source in `../shared/research/classification.md` §4,
`workflow-yaml.md` §5–6 or found with the search tool (raw timestamped copies of the deprecated
artifact failure and the setup-python message were checked that way); the `source` column cites it.
Reconstructed layouts, said plainly:
- `retired_runner-*`: GitHub shows the retirement/brownout text as a run annotation; the job log
  holds `Requested labels: ...` and the waiting line. The text is placed as the job's `##[error]`.
- `runner_failure-lost-communication`: the annotation text is appended where the log stops.
- `unknown-*`: constructed project-specific failures (nothing in a catalog should explain them).
- Workflow-file YAML errors (`Invalid workflow file` / `You have an error in your yaml syntax on line
  N`) produce no job log at all (run annotations only), so the YAML cases here are the ones that do
  appear in job logs: an invalid local composite `action.yml` (runner template errors), PyYAML and
  kubectl parse errors of repository YAML files.

## Cases
| input | expected | must capture | line | notes | source |
|---|---|---|---|---|---|
"""


def readme(rows: list[tuple[Case, dict[str, object]]]) -> str:
    n_zip = sum(1 for c, _ in rows if c.zip_layout)
    head = README_HEAD.format(
        n_inputs=len(rows),
        n_txt=len(rows) - n_zip,
        n_zip=n_zip,
        n_pass=sum(1 for _, e in rows if e["passing"]),
        n_bom=sum(1 for c, _ in rows if c.bom),
        n_crlf=sum(1 for c, _ in rows if c.crlf),
    )
    out = [head.rstrip("\n")]
    for c, e in rows:
        t = e.get("top") or {}
        assert isinstance(t, dict)
        data = ", ".join(f"{k}={v}" for k, v in t.get("data", {}).items())
        if t.get("job"):
            data = f"job={t['job']}; " + data
        ext = ".zip" if c.zip_layout else ".txt"
        cell = lambda s: str(s).replace("|", "\\|").replace("\n", " ")  # noqa: E731
        out.append(
            f"| `{c.name}{ext}` | {t.get('type', 'passing')} | {cell(data)} | {t.get('line', '')} "
            f"| {cell(e['notes'])} | {cell(c.source)} |"
        )
    return "\n".join(out) + "\n"


# Cases where more than one line states the cause (error code line and message line, a test's
# header and its summary line, a block of lint errors ...): any of them is a right answer, so the
# expected file pins no line. A line is pinned only when exactly one line of the log states the cause.
UNPINNED = {
    "dependency_conflict-npm-eresolve",
    "dependency_conflict-pip-resolution-impossible",
    "lint_failure-black",
    "lint_failure-eslint",
    "lint_failure-ruff-new-format",
    "missing_env_vars-pydantic-field-required",
    "missing_env_vars-pydantic-v1-field-required",
    "network_error-apt-503",
    "network_error-npm-etimedout",
    "network_error-pip-read-timeout",
    "auth_error-npm-e401",
    "auth_error-git-authentication-failed",
    "permission_error-resource-not-accessible",
    "test_failure-pytest",
    "test_failure-jest",
    "test_failure-go",
    "test_failure-cargo",
    "test_failure-unittest",
    "run-flat-matrix-legacy-duplicate",
    "unknown-deploy-verification",
    "unknown-segfault",
    "unknown-make-custom-check",
    "yaml_syntax_error-composite-action-invalid",
}


def main() -> None:
    for d in (LOGS, EXAMPLES):
        d.mkdir(parents=True, exist_ok=True)
        for old in d.iterdir():
            if old.suffix in {".txt", ".zip", ".json"} and old.name != "README.md":
                old.unlink()
    rows = ["name\ttype\tsource"]
    labelled: list[tuple[Case, dict[str, object]]] = []
    for c in CASES:
        jobs, expected = c.build()
        if c.name in UNPINNED:
            top_ = expected["top"]
            assert isinstance(top_, dict)
            top_.pop("line", None)
        out_dir = EXAMPLES if c.name.startswith("example:") else LOGS
        name = c.name.removeprefix("example:")
        if c.zip_layout:
            write_zip(out_dir / f"{name}.zip", jobs, c.zip_layout, c.legacy_dup)
            fname = f"{name}.zip"
        else:
            (out_dir / f"{name}.txt").write_bytes(jobs[0].render(bom=c.bom, crlf=c.crlf))
            fname = f"{name}.txt"
        if out_dir is LOGS:
            (out_dir / f"{name}.expected.json").write_text(
                json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
            )
            rows.append(f"{fname}\t{c.type}\t{c.source}")
            labelled.append((c, expected))
    (LOGS / "INDEX.tsv").write_text("\n".join(rows) + "\n")
    (LOGS / "README.md").write_text(readme(labelled))


if __name__ == "__main__":
    main()
