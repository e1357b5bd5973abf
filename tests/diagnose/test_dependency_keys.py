"""A missing package keeps `package` and is named under `module`, the type's own key; a person reads it
once (`Finding.shown_data`); the Python fixer's rules keep `package` alone."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from smartmon.report.render import render_text
from tests.diagnose.joblog import FAILED, run_step, write_job


def _top(tmp_path: Path, line: str) -> tuple[str, dict[str, str], str]:
    analysis = analyze_paths([write_job(tmp_path, [*run_step("./build.sh", line), FAILED])])
    finding = analysis.findings[0]
    return finding.rule, dict(finding.data), render_text(analysis)


def test_a_missing_cmake_package_is_named_under_both_keys_and_shown_once(tmp_path: Path) -> None:
    line = (
        "  Could NOT find OpenSSL, try to set the path to OpenSSL root folder in the system variable"
        " OPENSSL_ROOT_DIR (missing: OPENSSL_CRYPTO_LIBRARY OPENSSL_INCLUDE_DIR)"
    )
    rule, data, text = _top(tmp_path, line)
    assert rule == "cmake-package-not-found"
    assert data["package"] == data["module"] == "OpenSSL"
    assert "package=OpenSSL" in text
    assert "module=" not in text


def test_a_python_distribution_keeps_its_package_alone(tmp_path: Path) -> None:
    line = (
        "pkg_resources.DistributionNotFound: The 'flask>=2' distribution was not found and is"
        " required by the application"
    )
    rule, data, _ = _top(tmp_path, line)
    assert rule == "python-distribution-not-found"
    assert "module" not in data
