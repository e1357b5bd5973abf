"""npm's 404 under its "Publishing to" notice answers the upload of the package being published, not
an install (npm_publish, rule npm-publish-not-in-registry). npm's lines are its formats (npm/cli
lib/commands/publish.js, its E404 message); names are ours.
"""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, write_job

_NOTICE = "npm notice Publishing to https://registry.npmjs.org/ with tag latest and public access"
_NOT_IN = "npm error 404 'widget-cli@2.1.0' is not in this registry."


def _top(tmp_path: Path, lines: list[str]) -> tuple[str | None, str | None]:
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    return (findings[0].type.value, findings[0].rule) if findings else (None, None)


def test_under_the_publish_notice_it_is_no_missing_package(tmp_path: Path) -> None:
    lines = [*run_step("npm publish --access public", "npm notice 📦  widget-cli@2.1.0", _NOTICE)]
    lines += [_NOT_IN, FAILED]
    assert _top(tmp_path, lines) == ("unknown", "npm-publish-not-in-registry")


def test_with_the_put_row_it_stays_a_refused_login(tmp_path: Path) -> None:
    put = "npm error 404 Not Found - PUT https://registry.npmjs.org/widget-cli - Not found"
    lines = [*run_step("npm publish", _NOTICE, "npm error code E404", put, _NOT_IN), FAILED]
    assert _top(tmp_path, lines) == ("auth_error", "npm-auth-failed")


def test_an_install_404_is_a_missing_package(tmp_path: Path) -> None:
    missing = "npm error 404 'left-padd@1.0.0' is not in this registry."
    lines = [*run_step("npm ci", "npm error code E404", missing), FAILED]
    assert _top(tmp_path, lines) == ("missing_dependency", "npm-package-not-found")


def test_a_notice_in_an_earlier_step_does_not_count(tmp_path: Path) -> None:
    missing = "npm error 404 'left-padd@1.0.0' is not in this registry."
    lines = [*run_step("npm publish", _NOTICE, "+ widget-cli@2.1.0")]
    lines += [*run_step("npm install left-padd", missing), FAILED]
    assert _top(tmp_path, lines) == ("missing_dependency", "npm-package-not-found")


def test_another_packages_404_after_a_finished_publish_is_a_missing_package(tmp_path: Path) -> None:
    # a monorepo loop: A published ("+ @acme/a@1.0.0"), then B's prepublishOnly ran npx for a package
    # the registry lacks
    lines = run_step(
        "for p in packages/*; do (cd $p && npm publish --access public); done",
        "npm notice 📦  @acme/a@1.0.0",
        _NOTICE,
        "+ @acme/a@1.0.0",
        "> npx @acme/codegen@2.0.1 build",
        "npm error code E404",
        "npm error 404 Not Found - GET https://registry.npmjs.org/@acme%2fcodegen - Not found",
        "npm error 404  '@acme/codegen@2.0.1' is not in this registry.",
    )
    assert _top(tmp_path, [*lines, FAILED]) == ("missing_dependency", "npm-package-not-found")


def test_a_404_for_another_package_than_the_notices_is_no_publish_answer(tmp_path: Path) -> None:
    lines = run_step(
        "npm publish",
        "npm notice 📦  widget-cli@2.1.0",
        _NOTICE,
        "npm error 404  'left-pad@1.3.1' is not in this registry.",
    )
    assert _top(tmp_path, [*lines, FAILED]) == ("missing_dependency", "npm-package-not-found")
