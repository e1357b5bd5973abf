"""A hint that can explain a missing folder (`checks: [hint-only, explains-missing-folder]`) printed
above lines that say only what stopped (rules of type unknown: a step's working directory missing),
in their step or a step before, names the cause they leave open; a real cause anywhere in the job, a
hint printed after the unknown line, or a hint that explains no folder (a set-up action's unexpected
input) still leaves the hint out (diagnose/hint_above.py, the rule check `hint-above-is-cause`)."""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import assert_finding

BLOCKED = (
    "magento/composer-root-update-plugin contains a Composer plugin which is blocked by your"
    " allow-plugins config. You may add it to the list if you consider it safe. See"
    " https://getcomposer.org/allow-plugins"
)
NO_DIR = (
    "Error: An error occurred trying to start process '/usr/bin/bash' with working directory"
    " '/home/runner/work/shop/shop/../magento/dev/tests/integration'. No such file or directory"
)
INSTALL = ["Run composer install", "Installing dependencies from lock file (including require-dev)"]
PHPUNIT = ["Run ../../vendor/bin/phpunit -c phpunit.xml"]


def test_the_disabled_plugin_above_the_missing_folder_is_the_cause(tmp_path: Path) -> None:
    lines = [*INSTALL, BLOCKED, "", *PHPUNIT, NO_DIR]
    assert_finding(
        tmp_path,
        lines,
        "permission_error",
        {"package": "magento/composer-root-update-plugin"},
    )


def test_a_hint_below_the_missing_folder_explains_nothing(tmp_path: Path) -> None:
    lines = [*PHPUNIT, NO_DIR, *INSTALL, BLOCKED]
    assert_finding(tmp_path, lines, "unknown", {})


def test_a_real_cause_still_outranks_the_hint(tmp_path: Path) -> None:
    lines = [
        *INSTALL,
        BLOCKED,
        "",
        "Run vendor/bin/phpunit",
        'PHP Fatal error:  Uncaught Error: Class "Magento\\Framework\\App\\Bootstrap" not found',
        "Error: Process completed with exit code 255.",
    ]
    assert_finding(
        tmp_path, lines, "missing_dependency", {"module": "Magento\\Framework\\App\\Bootstrap"}
    )


def test_a_hint_that_explains_no_folder_leaves_the_missing_folder(tmp_path: Path) -> None:
    lines = [
        "Run google-github-actions/setup-gcloud@v1",
        "with:",
        "  service_account_key: ***",
        "##[warning]Unexpected input(s) 'service_account_key', valid inputs are ['version',"
        " 'project_id', 'install_components', 'skip_install']",
        "Successfully installed gcloud Cloud SDK",
        *PHPUNIT,
        NO_DIR,
    ]
    assert_finding(
        tmp_path,
        lines,
        "unknown",
        {"file": "/home/runner/work/shop/shop/../magento/dev/tests/integration"},
    )
