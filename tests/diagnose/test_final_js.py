"""JavaScript bundlers' missing exports (import_error with name/from), Jest's unresolved relative
import (the suite's test file), and a JavaScript action's uncaught crash as a failure marker."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import classify
from tests.diagnose.joblog import FAILED, run_step, write_job


def _action(uses: str, *body: str) -> list[str]:
    return [f"##[group]Run {uses}", "with:", "  target: prod", "##[endgroup]", *body]


CLEANUP = ["Post job cleanup.", "[command]/usr/bin/git version", "Cleaning up orphan processes"]


def _one(tmp_path: Path, lines: list[str]) -> tuple[str, dict[str, str], str]:
    analysis = classify.analyze_paths([write_job(tmp_path, lines)])
    [finding] = analysis.findings
    return finding.type.value, dict(finding.data), analysis.jobs[0].conclusion


def test_webpack4_attempted_import_error(tmp_path: Path) -> None:
    log = run_step(
        "npm run build",
        "Failed to compile.",
        "",
        "./src/App.js",
        "Attempted import error: 'Home' is not exported from './components/Home'.",
        FAILED,
    )
    kind, data, _ = _one(tmp_path, log)
    assert kind == "import_error"
    assert (data["name"], data["from"]) == ("Home", "./components/Home")


def test_rollup_quoted_export_not_found(tmp_path: Path) -> None:
    log = run_step(
        "npx vite build",
        "error during build:",
        'RollupError: src/main.ts (1:9): "createApp" is not exported by "src/app.ts",'
        ' imported by "src/main.ts".',
        FAILED,
    )
    kind, data, _ = _one(tmp_path, log)
    assert kind == "import_error"
    assert (data["name"], data["from"]) == ("createApp", "src/app.ts")


def test_node_esm_missing_named_export(tmp_path: Path) -> None:
    log = run_step(
        "node scripts/build.mjs",
        "SyntaxError: The requested module 'lodash' does not provide an export named 'debounce'",
        FAILED,
    )
    kind, data, _ = _one(tmp_path, log)
    assert kind == "import_error"
    assert (data["name"], data["from"]) == ("debounce", "lodash")


def test_jest_relative_module_is_the_suites_failure(tmp_path: Path) -> None:
    log = run_step(
        "npx jest",
        "FAIL src/components/Button.test.tsx",
        "  ● Test suite failed to run",
        "",
        "    Cannot find module '../utils/format' from 'src/components/Button.test.tsx'",
        "Test Suites: 1 failed, 3 passed, 4 total",
        FAILED,
    )
    kind, data, _ = _one(tmp_path, log)
    assert kind == "test_failure"
    assert data["file"] == "src/components/Button.test.tsx"


def test_jest_bare_package_stays_a_missing_dependency(tmp_path: Path) -> None:
    log = run_step(
        "npx jest",
        "  ● Test suite failed to run",
        "    Cannot find module 'lodash' from 'src/index.js'",
        FAILED,
    )
    kind, data, _ = _one(tmp_path, log)
    assert (kind, data["module"]) == ("missing_dependency", "lodash")


CRASH = [
    "/home/runner/work/_actions/acme/deploy-action/v2/dist/index.js:4021",
    "    const host = config.server.host;",
    "                               ^",
    "",
    "TypeError: Cannot read properties of undefined (reading 'host')",
    "    at run (/home/runner/work/_actions/acme/deploy-action/v2/dist/index.js:4021:32)",
    "    at Module._compile (node:internal/modules/cjs/loader:1376:14)",
    "",
    "Node.js v20.11.1",
]


def test_uncaught_action_crash_without_marker_fails_the_job(tmp_path: Path) -> None:
    log = (
        run_step("npm ci", "added 12 packages") + _action("acme/deploy-action@v2", *CRASH) + CLEANUP
    )
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.jobs[0].conclusion == "failure"
    [finding] = analysis.findings
    assert finding.step == "Run acme/deploy-action@v2"
    assert finding.text.startswith("TypeError: Cannot read properties of undefined")


def test_uncaught_crash_keeps_the_cause_a_rule_found(tmp_path: Path) -> None:
    crash = [
        "node:internal/modules/cjs/loader:1147",
        "  throw err;",
        "  ^",
        "",
        "Error: Cannot find module '@actions/core'",
        "Require stack:",
        "- /home/runner/work/_actions/acme/deploy-action/v2/index.js",
        "    at Module._resolveFilename (node:internal/modules/cjs/loader:1144:15)",
        "    at Module._load (node:internal/modules/cjs/loader:985:27) {",
        "  code: 'MODULE_NOT_FOUND',",
        "  requireStack: [ '/home/runner/work/_actions/acme/deploy-action/v2/index.js' ]",
        "}",
        "",
        "Node.js v20.11.1",
    ]
    kind, data, conclusion = _one(tmp_path, _action("acme/deploy-action@v2", *crash) + CLEANUP)
    assert (kind, data["module"], conclusion) == ("missing_dependency", "@actions/core", "failure")


def test_node_version_output_is_no_crash(tmp_path: Path) -> None:
    log = run_step("node --version", "v20.11.0") + run_step("npm test", "Tests: 3 passed") + CLEANUP
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.jobs[0].conclusion == "success"
    assert analysis.findings == ()


def test_crash_in_a_step_the_job_went_on_past_is_no_failure(tmp_path: Path) -> None:
    log = (
        run_step("node scripts/probe.js || true", *CRASH)
        + run_step("npm test", "Tests: 3 passed")
        + CLEANUP
    )
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.jobs[0].conclusion == "success"


def test_node_banner_without_a_stack_is_no_crash(tmp_path: Path) -> None:
    log = (
        run_step("node -e 'console.log(`Node.js ${process.version}`)'", "Node.js v20.11.0")
        + CLEANUP
    )
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.jobs[0].conclusion == "success"


def test_last_step_that_swallowed_the_crash_is_no_failure(tmp_path: Path) -> None:
    log = run_step("node scripts/probe.js || true", *CRASH) + CLEANUP
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.jobs[0].conclusion == "success"


def test_crash_with_the_runners_marker_is_unchanged(tmp_path: Path) -> None:
    log = run_step("node scripts/deploy.js", *CRASH, FAILED) + CLEANUP
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.jobs[0].conclusion == "failure"
    assert analysis.findings[0].step == "Run node scripts/deploy.js"
