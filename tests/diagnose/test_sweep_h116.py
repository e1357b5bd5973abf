"""Verdicts of the dependency-update and scheduled-run sweep: whole jobs, pasted and downloaded.

Texts are the tools' real formats with names changed; each rule (rules/20-setup.yaml,
30-python.yaml, 65-hints.yaml, 70-lint.yaml, 90-generic.yaml) names the thread it comes from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import assert_finding, assert_step_finding

_PWSH_WRAPPED = [
    "Import-Module: The specified module 'BcContainerHelper' was not loaded because no valid",
    "  module file was found in any module directory.",
]
_PWSH_51 = [
    "Import-Module : The specified module 'SqlServer' was not loaded because no valid module file"
    " was found in any module directory.",
    "At D:\\a\\_temp\\1b2c3d.ps1:2 char:1",
    "+ Import-Module SqlServer",
    "    + FullyQualifiedErrorId : Modules_ModuleNotFound,"
    "Microsoft.PowerShell.Commands.ImportModuleCommand",
]
_PWSH_BOX = [
    "Import-Module: D:\\a\\_temp\\1b2c3d.ps1:2",
    "Line |",
    "   2 |  Import-Module Az.Accounts",
    "     |  ~~~~~~~~~~~~~~~~~~~~~~~~~",
    "     | The specified module 'Az.Accounts' was not loaded because no valid module file was"
    " found in any module directory.",
]
_DEPENDABOT = [
    "updater | 2025/04/03 21:16:54 INFO <job_992720506> Finished job processing",
    "updater | 2025/04/03 21:16:54 INFO Results:",
    "Dependabot encountered '1' error(s) during execution, please check the logs for more details.",
    "+---------------------------+",
    "|          Errors           |",
    "+---------------------------+",
    "| dependency_file_not_found |",
    "+---------------------------+",
    "Failure running container 8fc2652dfc6bfe10bbe91cc64e0fa63347c0031374edc8419b45c3ce073dcff5",
]
_CONDA_COLLECTED = [
    "=========================== short test summary info ============================",
    "ERROR ../../../env/python/pkgs/menuinst-2.1.1-py312h06a4308_0/info/test/tests -"
    " ModuleNotFoundError: No module named 'menuinst'",
    "!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
]


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        (_PWSH_WRAPPED, "missing_dependency", {"module": "BcContainerHelper"}),
        (_PWSH_51, "missing_dependency", {"module": "SqlServer"}),
        (_PWSH_BOX, "missing_dependency", {"module": "Az.Accounts"}),
        (_DEPENDABOT, "unknown", {}),
        (_CONDA_COLLECTED, "unknown", {}),
        (
            [
                "You passed the --record flag but did not provide us your Record Key.",
                "",
                "You can also set the key as an environment variable with the name: CYPRESS_RECORD_KEY",
            ],
            "missing_env_vars",
            {"var": "CYPRESS_RECORD_KEY"},
        ),
        # rustc's crash outranks cargo's closing "could not compile" line.
        (
            [
                "   Compiling bincode v1.3.3",
                "error: internal compiler error: compiler/rustc_middle/src/ty/normalize_erasing_regions.rs"
                ":187:90: Failed to normalize Alias(Projection, AliasTy { args: [T] })",
                "thread 'rustc' panicked at compiler/rustc_middle/src/ty/normalize_erasing_regions.rs:187:90:",
                "error: could not compile `bincode` (lib)",
            ],
            "unknown",
            {},
        ),
        (
            [
                "GraphQL: Pull request Auto merge is not allowed for this repository (enablePullRequestAutoMerge)"
            ],
            "permission_error",
            {},
        ),
        (
            [" INFO: Validating renovate.json", " ERROR: renovate.json contains errors"],
            "lint_failure",
            {"tool": "renovate-config-validator", "file": "renovate.json"},
        ),
    ],
)
def test_pasted_and_downloaded_forms(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    # As pasted (no trailer), then as the runner's downloaded log of a failed step.
    assert_finding(tmp_path, lines, want, facts)
    assert_step_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    "lines",
    [
        # A script that caught the failed import and went on.
        [
            "WARNING: Failed to import Build-Tools: The specified module 'Build-Tools' was not"
            " loaded because no valid module file was found in any module directory.",
            "All 12 tests passed.",
        ],
        # Dependabot's summary of a run that only opened pull requests.
        [
            "updater | 2024/11/24 11:34:29 INFO Results:",
            "+--------------------------------------------------+",
            "|          Changes to Dependabot Pull Requests      |",
            "+---------+----------------------------------------+",
            "| created | lodash ( from 4.17.20 to 4.17.21 )      |",
            "+---------+----------------------------------------+",
        ],
    ],
)
def test_passing_lookalikes_give_no_finding(tmp_path: Path, lines: list[str]) -> None:
    assert_finding(tmp_path, lines, None, {})
