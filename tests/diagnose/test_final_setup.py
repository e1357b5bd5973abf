"""Final round, setup and platform: git's safe.directory refusal, a step's missing working
directory, dotenv-safe's names listed under its message, the run page's annotation as a location for
any located type, and cloud IAM denials that no `permissions:` edit can cure.

Texts are the tools' real formats with names changed; each rule names the thread it comes from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.fill_ins import (
    build_missing_requirement,
    continued_env_var,
    engine_warned,
    listed_env_var,
    pak_unsolved,
)
from smartmon.model import Finding

_FAILED = "##[error]Process completed with exit code 1."
# A raw log (timestamps, no failure marker) of a job that passed.
_TS = "2024-05-01T10:00:02.0000000Z"


def _finding(tmp_path: Path, lines: list[str]) -> Finding | None:
    log = tmp_path / "job.txt"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    findings = analyze_paths([log]).findings
    return findings[0] if findings else None


def test_dubious_ownership_in_a_container_action_is_a_permission_without_a_scope(
    tmp_path: Path,
) -> None:
    found = _finding(
        tmp_path,
        [
            "##[group]Run actions/jekyll-build-pages@v1",
            "##[endgroup]",
            "/usr/bin/docker run --name ghcrioactionsjekyllbuildpages_a1b2 --workdir /github/workspace"
            " --rm ghcr.io/actions/jekyll-build-pages:v1.0.13",
            "fatal: detected dubious ownership in repository at '/github/workspace'",
            "To add an exception for this directory, call:",
            "",
            "\tgit config --global --add safe.directory /github/workspace",
            "##[error]Docker run failed with exit code 128",
        ],
    )
    assert found is not None
    assert found.type.value == "permission_error"
    assert "scope" not in found.data
    assert not found.auto_fixable


def test_dubious_ownership_printed_in_a_passing_job_is_no_finding(tmp_path: Path) -> None:
    found = _finding(
        tmp_path,
        [
            f"{_TS} {line}"
            for line in (
                "##[group]Run bundle exec rake spec",
                "##[endgroup]",
                "fatal: detected dubious ownership in repository at '/__w/tool/tool'",
                "To add an exception for this directory, call:",
                "\tgit config --global --add safe.directory /__w/tool/tool",
                "42 examples, 0 failures",
                "Cleaning up orphan processes",
            )
        ],
    )
    assert found is None


@pytest.mark.parametrize(
    ("line", "file"),
    [
        (
            "##[error]An error occurred trying to start process '/usr/bin/bash' with working"
            " directory '/home/runner/work/app/app/./frontend/site'. No such file or directory",
            "frontend/site",
        ),
        (
            "##[error]An error occurred trying to start process 'C:\\Program Files\\PowerShell\\7"
            "\\pwsh.EXE' with working directory 'D:\\a\\app\\app\\web'. The directory name is invalid.",
            "web",
        ),
    ],
)
def test_missing_working_directory_names_it_repository_relative(
    tmp_path: Path, line: str, file: str
) -> None:
    found = _finding(
        tmp_path,
        ["##[group]Run npm ci", "npm ci", "shell: /usr/bin/bash -e {0}", "##[endgroup]", line],
    )
    assert found is not None
    assert found.rule == "step-working-directory-missing"
    assert found.type.value == "unknown"
    assert found.data.get("file") == file


def test_dotenv_safe_lists_the_missing_names_below_its_message(tmp_path: Path) -> None:
    found = _finding(
        tmp_path,
        [
            "##[group]Run npm test",
            "##[endgroup]",
            "MissingEnvVarsError: The following variables were defined in .env.example but are not"
            " present in the environment:",
            "  API_KEY, DB_URL",
            "Make sure to add them to .env or directly to the environment.",
            "",
            "If you expect any of these variables to be empty, you can use the allowEmptyValues"
            " option:",
            _FAILED,
        ],
    )
    assert found is not None
    assert found.type.value == "missing_env_vars"
    assert found.data.get("var") == "API_KEY"


@pytest.mark.parametrize(
    ("text", "after", "want"),
    [
        ("…are not present in the environment:", ["  API_KEY, DB_URL"], "API_KEY"),
        ("…are not present in the environment:", ["", "  SESSION_SECRET"], "SESSION_SECRET"),
        ("The following variables are missing:", ["  - S3_BUCKET"], "S3_BUCKET"),
        # prose under the message, or a message that does not announce a list
        ("…are not present in the environment:", ["Make sure to add them to .env"], None),
        ("…are not defined in the environment: MAIL_KEY.", ["  OTHER_NAME"], None),
    ],
)
def test_listed_env_var(text: str, after: list[str], want: str | None) -> None:
    assert listed_env_var(text, after) == want


@pytest.mark.parametrize(
    ("after", "want"),
    [
        (
            [
                "         You can generate one at https://app.codeflash.ai/app/apikeys,",
                "         then set it as a CODEFLASH_API_KEY environment variable.",
            ],
            "CODEFLASH_API_KEY",
        ),
        (["    Set the environment variable `ACME_TOKEN` and retry."], "ACME_TOKEN"),
        # a line of its own (not a continuation), and an env block's entry, name nothing
        (["Then set it as a STRAY_KEY environment variable."], None),
        (["  env:", "    ACME_TOKEN: ***"], None),
        # another variable the message mentions is not the one to set (rev30's look-alikes)
        (
            [
                "         Set OPENAI_API_KEY, or point the OPENAI_BASE_URL environment variable at it."
            ],
            None,
        ),
        (["         Note: the DEBUG_MODE environment variable is set, verbose output on"], None),
    ],
)
def test_continued_env_var(after: list[str], want: str | None) -> None:
    assert continued_env_var(after) == want


@pytest.mark.parametrize(
    ("package", "before", "want"),
    [
        (
            "@automattic/vip",
            [
                "npm WARN EBADENGINE Unsupported engine {",
                "npm WARN EBADENGINE   package: '@automattic/vip@3.20.4',",
            ],
            "@automattic/vip@3.20.4",
        ),
        ("sharp", ["npm warn EBADENGINE   package: 'sharp@0.33.2',"], "sharp@0.33.2"),
        (
            "@img\\sharp-linux-x64",
            ["npm warn EBADENGINE   package: '@img/sharp-linux-x64@0.33.2',"],
            "@img/sharp-linux-x64@0.33.2",
        ),
        (
            "sharp",
            ['npm WARN notsup Unsupported engine for sharp@0.33.2: wanted: {"node":">=18"}'],
            "sharp@0.33.2",
        ),
        # Another package's warning, or none: the script failed for a reason of its own.
        ("sharp", ["npm WARN EBADENGINE   package: 'vite@7.0.0',"], None),
        ("sharp-cli", ["npm WARN EBADENGINE   package: 'sharp@0.33.2',"], None),
        ("sharp", ["npm WARN deprecated inflight@1.0.6: This module is not supported"], None),
    ],
)
def test_engine_warned(package: str, before: list[str], want: str | None) -> None:
    assert engine_warned(package, before) == want


_PAK_ROOT = [
    "  * local::.: Can't install dependency ggplot2",
    "  * ggplot2: Can't install dependency MASS",
    "  * MASS: Needs R >= 4.4.0",
]


@pytest.mark.parametrize(
    ("text", "after", "want"),
    [
        ("  ! Could not solve package dependencies:", _PAK_ROOT, "MASS"),
        ("Error: Cannot install packages:", ["* rlang: Conflicts with r-lib/rlang"], "rlang"),
        (
            "  ! Could not solve package dependencies:",
            [
                "  * deps::.: Can't install dependency rstatix",
                "  * any::sessioninfo: dependency conflict",
            ],
            None,
        ),
        (
            "  ! Could not solve package dependencies:",
            ["  * deps::.: ! pkgdepends resolution error for deps::..", "  Caused by error: "],
            None,
        ),
        ("  ! error in pak subprocess", _PAK_ROOT, None),
    ],
)
def test_pak_unsolved(text: str, after: list[str], want: str | None) -> None:
    assert pak_unsolved(text, after) == want


@pytest.mark.parametrize(
    ("message", "want"),
    [
        ("SyntaxError: invalid syntax", "syntax_error"),
        ("src/app.ts(12,5): error TS2304: Cannot find name 'foo'.", None),
    ],
)
def test_run_page_annotation_locates_any_located_type(
    tmp_path: Path, message: str, want: str | None
) -> None:
    found = _finding(
        tmp_path,
        [
            "build",
            "failed 3 days ago in 41s",
            "",
            "Annotations",
            "1 error",
            "Check failure on line 12 in src/app.py",
            "",
            "GitHub Actions",
            "/ build",
            message,
        ],
    )
    assert found is not None
    if want:
        assert found.type.value == want
        assert (found.data.get("file"), found.data.get("line")) == ("src/app.py", "12")
    else:
        # the message's own place wins over the annotation's
        assert (found.data.get("file"), found.data.get("line")) == ("src/app.ts", "12")


@pytest.mark.parametrize(
    "line",
    [
        "ERROR: (gcloud.run.deploy) PERMISSION_DENIED: Permission 'run.services.get' denied on"
        " resource 'namespaces/acme/services/web' (or resource may not exist).",
        "ERROR: (AuthorizationFailed) The client 'abc' with object id 'def' does not have"
        " authorization to perform action 'Microsoft.Web/sites/write' over scope '/subscriptions/x'",
        "##[error]User: arn:aws:sts::123456789012:assumed-role/ci/gha is not authorized to perform:"
        ' s3:PutObject on resource: "arn:aws:s3:::acme-artifacts/logs.zip"',
    ],
)
def test_cloud_iam_denial_is_not_fixable(tmp_path: Path, line: str) -> None:
    found = _finding(tmp_path, ["##[group]Run ./deploy.sh", "##[endgroup]", line, _FAILED])
    assert found is not None
    assert found.type.value == "permission_error"
    assert "scope" not in found.data
    assert not found.auto_fixable


def test_an_action_naming_its_token_scope_is_fixable(tmp_path: Path) -> None:
    found = _finding(
        tmp_path,
        [
            "##[group]Run actions/deploy-pages@v4",
            "##[endgroup]",
            "Error: Failed to create deployment (status: 403) with build version 3f2a1c. Ensure"
            ' GITHUB_TOKEN has permission "pages: write".',
        ],
    )
    assert found is not None
    assert found.type.value == "permission_error"
    assert found.data.get("scope") == "pages"
    assert found.auto_fixable


_MARKDOWN = (
    "The 'markdown' package should be installed and declared as a dependency of the 'pipeflow' "
    "package (e.g., in the 'Suggests' field of DESCRIPTION), because the latter contains "
    "vignette(s) built with the 'markdown' package."
)


@pytest.mark.parametrize(
    ("above", "want"),
    [
        (["  Pandoc (>= 1.12.3) not available. Falling back to R Markdown v1."], "missing_tool"),
        (["--- re-building 'rating-curves.Rmd' using knitr"], "unknown"),
    ],
)
def test_knitr_markdown_call_is_pandoc_only_under_the_fallback(
    tmp_path: Path, above: list[str], want: str
) -> None:
    lines = ["Run rcmdcheck::rcmdcheck()", *above, "Error: Error: processing vignette failed:"]
    found = _finding(
        tmp_path,
        [*lines, _MARKDOWN, "Execution halted", "Error: Process completed with exit code 1."],
    )
    assert found is not None and found.type.value == want


@pytest.mark.parametrize(("verdict", "want"), [("OK", None), ("ERROR", "test_failure")])
def test_testthat_tally_under_r_check_verdict(
    tmp_path: Path, verdict: str, want: str | None
) -> None:
    lines = [
        "Run r-lib/actions/check-r-package@v2",
        "* checking tests ...",
        "  Running ‘testthat.R’",
        f" {verdict}",
        "* DONE",
        "Show testthat output",
        "  [ FAIL 2 | WARN 0 | SKIP 4 | PASS 118 ]",
    ]
    found = _finding(tmp_path, lines)
    assert (found.type.value if found else None) == want


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (["\tsetuptools>=61.0", "make: *** [Makefile:98: wheel] Error 1"], "setuptools"),
        (["    setuptools==75.3.2"], "setuptools"),  # a paste's tab become spaces
        (["\tsetuptools>=61.0", "\t"], "setuptools"),
        # two plain rows: two missing requirements, or one and its missing dependency: the first
        (["\tsetuptools>=61.0", "\twheel"], "setuptools"),
        (["\thatchling>=1.18", "\tpackaging>=21.3 -> typing-extensions"], "typing-extensions"),
        (["\tsetuptools_scm[toml]>=6.2"], "setuptools_scm"),
        (["* Building wheel..."], None),
        ([], None),
    ],
)
def test_build_missing_requirement(after: list[str], expected: str | None) -> None:
    assert build_missing_requirement("ERROR Missing dependencies:", after) == expected


def test_build_missing_requirement_needs_build_s_heading() -> None:
    assert build_missing_requirement("ERROR: Could not install", ["\tsetuptools>=61.0"]) is None
