"""Verdicts the dependency-resolution sweep (helper h33) relies on beyond the rules' own examples:
the pin pip's conflict report names, the crate cargo names above its prerelease reason, and whole
blocks as the tools print them (downloaded and pasted).

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.fill_ins import cargo_crate_above, pip_conflict_pin, registry_package
from tests.diagnose.joblog import FAILED, TS, assert_finding, run_step, top_finding

_RESOLUTION_IMPOSSIBLE = (
    "ERROR: ResolutionImpossible: for help visit "
    "https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts"
)


@pytest.mark.parametrize(
    ("package", "lines", "want"),
    [
        # ddalcino/aqt-list-server #18: the user's pin, printed four times alike, is the one.
        (
            "py7zr",
            [
                "ERROR: Cannot install aqtinstall==3.1.0, aqtinstall==3.1.1 and py7zr==0.19.* because"
                " these package versions have conflicting dependencies.",
                "The conflict is caused by:",
                "    The user requested py7zr==0.19.*",
                "    aqtinstall 3.1.1 depends on py7zr>=0.20.2",
                "    The user requested py7zr==0.19.*",
                "    aqtinstall 3.1.0 depends on py7zr>=0.20.2",
            ],
            "py7zr==0.19.*",
        ),
        # Names compare as pip compares them: "Werkzeug" in the cause, "werkzeug==1.0.1" requested.
        (
            "Werkzeug",
            ["    The user requested werkzeug==1.0.1", "    flask 2.0.0 depends on Werkzeug>=2.0"],
            "werkzeug==1.0.1",
        ),
        # Two pins of one package: which is meant is not printed, so the bare name stays.
        (
            "streamlit",
            [
                "    The user requested streamlit==1.31.0",
                "    The user requested streamlit==1.30.0",
            ],
            None,
        ),
        # A requirement without a version is no pin.
        ("urllib3", ["    The user requested urllib3"], None),
        # Another package's pin does not count.
        ("ipython", ["    The user requested widget==4.1"], None),
        # ravsamhq/notify-slack-action #15: no cause lines; the one pinned item of "Cannot install".
        (
            None,
            [
                "ERROR: Cannot install -r requirements.txt (line 10) and astroid==2.5.7 because these"
                " package versions have conflicting dependencies.",
                _RESOLUTION_IMPOSSIBLE,
            ],
            "astroid==2.5.7",
        ),
        # Several pinned items: none is singled out.
        (
            None,
            [
                "ERROR: Cannot install flask==2.0.0 and werkzeug==1.0.1 because these package"
                " versions have conflicting dependencies."
            ],
            None,
        ),
        # chipsalliance/sv-tests PR #8465: a VCS requirement is listed as "name version (from url)".
        (
            None,
            [
                "ERROR: Cannot install -r conf/requirements.txt (line 14) and edalize 0.3.3 (from"
                " git+https://github.com/lowRISC/edalize.git@ot) because these package versions"
                " have conflicting dependencies."
            ],
            "edalize",
        ),
        # Thanatisia/makefile-parser-python PR #17: one project from two sources is one name.
        (
            None,
            [
                "ERROR: Cannot install mkparse 0.6.0 (from /home/dev/makefile-parser-python) and"
                " mkparse 0.6.0 (from git+https://github.com/acme/makefile-parser-python) because"
                " these package versions have conflicting dependencies."
            ],
            "mkparse",
        ),
        # bauwenst/TkTkT #1: a direct reference beside two pins singles none out.
        (
            None,
            [
                "ERROR: Cannot install bpe-knockout[github]==2024.4.1, tktkt 2024.6.1 (from"
                " git+https://github.com/acme/TkTkT.git) and tktkt[github]==2024.6.1 because these"
                " package versions have conflicting dependencies."
            ],
            None,
        ),
        # pip's resolver notice after an install that worked is no conflict report.
        (
            None,
            [
                "ERROR: pip's dependency resolver does not currently take into account all the"
                " packages that are installed. This behaviour is the source of the following"
                " dependency conflicts.",
                "semgrep 1.5.1 requires packaging~=21.0, but you have packaging 23.1 which is"
                " incompatible.",
            ],
            None,
        ),
    ],
)
def test_pip_conflict_pin(package: str | None, lines: list[str], want: str | None) -> None:
    assert pip_conflict_pin(package, lines) == want


def test_cargo_crate_above() -> None:
    before = [
        "    Updating crates.io index",
        "error: no matching package named `tendermint` found",
        "location searched: /home/runner/work/chain/chain/tendermint",
    ]
    assert cargo_crate_above(before) == "tendermint"
    assert cargo_crate_above(["error: no matching package found"]) is None
    # Too far above: another error's crate.
    assert cargo_crate_above([before[1], "a", "b", "c", "d"]) is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            'error An unexpected error occurred: "https://registry.yarnpkg.com/@acme%2freact-native:'
            ' Not found".',
            "@acme/react-native",
        ),
        (
            " ERR_PNPM_FETCH_404  GET https://registry.npmjs.org/@acme%2Fnext: Not Found - 404",
            "@acme/next",
        ),
        (
            'error An unexpected error occurred: "https://npm.pkg.github.com/left-padd: Not found".',
            "left-padd",
        ),
        # A tarball URL names a file; yarn's network failures are no answer about the package.
        (
            'error An unexpected error occurred: "https://registry.yarnpkg.com/@acme/ui/-/ui-4.0.0.tgz:'
            ' Request failed \\"404 Not Found\\"".',
            None,
        ),
        (
            'error An unexpected error occurred: "https://registry.yarnpkg.com/@acme/icons/-/icons-4.5.1'
            '.tgz: ESOCKETTIMEDOUT".',
            None,
        ),
    ],
)
def test_registry_package(text: str, want: str | None) -> None:
    assert registry_package(text) == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # ravsamhq/notify-slack-action #15: pip inside an action's Docker build, downloaded.
        (
            [
                "##[group]Build container for action use: '/home/runner/work/_actions/acme/notify/v1/Dockerfile'.",
                "Step 3/6 : RUN pip install -r requirements.txt",
                "ERROR: Cannot install -r requirements.txt (line 10) and astroid==2.5.7 because these"
                " package versions have conflicting dependencies.",
                "",
                _RESOLUTION_IMPOSSIBLE,
                "The command '/bin/sh -c pip install -r requirements.txt' returned a non-zero code: 1",
                "##[endgroup]",
                "##[error]Docker build failed with exit code 1",
            ],
            "dependency_conflict",
            {"package": "astroid==2.5.7"},
        ),
        # cometbft/tendermint-rs #224: the crate exists only as a prerelease; a version to ask for.
        (
            [
                *run_step("cargo generate-lockfile"),
                "    Updating crates.io index",
                "error: no matching package named `tendermint` found",
                "location searched: /home/runner/work/chain/chain/tendermint",
                "prerelease package needs to be specified explicitly",
                'tendermint = { version = "0.13.0-dev" }',
                "required by package `light_node v0.1.0 (/home/runner/work/chain/chain/light-node)`",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "tendermint"},
        ),
        # Without the prerelease line the name itself is missing.
        (
            [
                *run_step("cargo build"),
                "error: no matching package named `serde_jsn` found",
                "location searched: registry `crates-io`",
                "required by package `app v0.1.0 (/home/runner/work/app/app)`",
                FAILED,
            ],
            "missing_dependency",
            {"package": "serde_jsn"},
        ),
        # sigstore/gitsign #16: Go's ambiguous import under "x imports" lines.
        (
            [
                *run_step("go mod tidy"),
                "app imports",
                "\tgithub.com/acme/app imports",
                "\tgithub.com/pborman/getopt/v2: ambiguous import: found package"
                " github.com/pborman/getopt/v2 in multiple modules:",
                "\tgithub.com/pborman/getopt v0.0.0-20180811024354-2b5b3bfb099b"
                " (/home/runner/go/pkg/mod/github.com/pborman/getopt@v0.0.0-20180811024354-2b5b3bfb099b/v2)",
                "\tgithub.com/pborman/getopt/v2 v2.1.0"
                " (/home/runner/go/pkg/mod/github.com/pborman/getopt/v2@v2.1.0)",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "github.com/pborman/getopt/v2"},
        ),
        # actions/runner-images #8554: xcodebuild indents SwiftPM's reason under its own error.
        (
            [
                *run_step("xcodebuild -resolvePackageDependencies"),
                "xcodebuild: error: Could not resolve package dependencies:",
                "  Dependencies could not be resolved because root depends on 'screenshotableview'"
                " 1.0.0..<2.0.0.",
                "'screenshotableview' >= 1.0.0 cannot be used because 'screenshotableview' 1.0.0"
                " contains incompatible tools version (5.9.0) and no versions of"
                " 'screenshotableview' match the requirement 1.0.1..<2.0.0.",
                "##[error]Process completed with exit code 74.",
            ],
            "dependency_conflict",
            {"package": "screenshotableview"},
        ),
        # leboncoin/spark-ios #1063: a local package path the job never checked out.
        (
            [
                *run_step("xcodebuild -list"),
                "Resolve Package Graph",
                "the package at '/Users/runner/work/ui-switch/ui-common' cannot be accessed (Error"
                ' Domain=NSCocoaErrorDomain Code=260 "The folder “ui-common” doesn’t exist."'
                " UserInfo={NSFilePath=/Users/runner/work/ui-switch/ui-common, NSUserStringVariant=(",
                "    Folder",
                "), NSUnderlyingError=0x600001555e100 {Error Domain=NSOSStatusErrorDomain Code=-43"
                ' "fnfErr: File not found"}})',
                "##[error]Process completed with exit code 74.",
            ],
            "missing_dependency",
            {},
        ),
        # actions/runner-images #3240: packages.config restore names the package, not a tool.
        (
            [
                *run_step("nuget restore App.sln"),
                "Errors in packages.config projects",
                "    Unable to find version '12.0.3' of package 'Newtonsoft.Json'.",
                "      C:\\Program Files (x86)\\Microsoft SDKs\\NuGetPackages\\: Package"
                " 'Newtonsoft.Json.12.0.3' is not found on source"
                " 'C:\\Program Files (x86)\\Microsoft SDKs\\NuGetPackages\\'.",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "Newtonsoft.Json"},
        ),
        # pnpm's 404: the package URL-encoded on the error line, plainly in the hint below it.
        (
            [
                *run_step("pnpm install --frozen-lockfile"),
                " ERR_PNPM_FETCH_404  GET https://registry.npmjs.org/@acme%2Fnext: Not Found - 404",
                "",
                "This error happened while installing a direct dependency of /home/runner/work/app/app/apps/web",
                "",
                "@acme/next is not in the npm registry, or you have no permission to fetch it.",
                "",
                "No authorization header was set for the request.",
                FAILED,
            ],
            "missing_dependency",
            {"package": "@acme/next"},
        ),
        # PDM's resolvelib verdict under "Lock failed" (its documentation's example).
        (
            [
                *run_step("pdm lock"),
                "Lock failed",
                "Unable to find a resolution for asgiref because of the following conflicts:",
                "  asgiref<3 (from project)",
                "  asgiref<4,>=3.2.10 (from <Candidate django 3.1.4 from https://pypi.org/simple/django/>)",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "asgiref"},
        ),
        # Maven 3.9's remembered miss, under "dependency: …": the pin to change (h51: a conflict).
        (
            [
                *run_step("mvn -B verify"),
                "Error:  Failed to execute goal on project app: Could not resolve dependencies for"
                " project com.acme:app:jar:1.0-SNAPSHOT",
                "Error:  dependency: com.acme:lib:jar:2.0 (compile)",
                "Error:  \tcom.acme:lib:jar:2.0 was not found in https://repo.maven.apache.org/maven2"
                " during a previous attempt. This failure was cached in the local repository and"
                " resolution is not reattempted until the update interval of central has elapsed or"
                " updates are forced",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "com.acme:lib:jar:2.0"},
        ),
        # hotwired/stimulus-rails PR #58: a yanked gem version the lock pins, wrapped as printed.
        (
            [
                *run_step("bundle install"),
                "Fetching gem metadata from https://rubygems.org/............",
                "Your bundle is locked to mimemagic (0.3.5), but that version could not be found",
                "in any of the sources listed in your Gemfile. If you haven't changed sources,",
                "that means the author of mimemagic (0.3.5) has removed it. You'll need to update",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "mimemagic (0.3.5)"},
        ),
    ],
)
def test_dependency_sweep_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, [TS + line for line in lines], want, facts)


@pytest.mark.parametrize(
    "lines",
    [
        # brave/security-action #160: pip's notice after an install that succeeded.
        [
            *run_step("pip install -r requirements.txt"),
            "ERROR: pip's dependency resolver does not currently take into account all the packages"
            " that are installed. This behaviour is the source of the following dependency"
            " conflicts.",
            "semgrep 1.5.1 requires packaging~=21.0, but you have packaging 23.1 which is"
            " incompatible.",
            "Successfully installed packaging-23.1 semgrep-1.5.1",
        ],
        # Poetry 1.x only warns about an outdated lock file when it installs from it.
        [
            *run_step("poetry install"),
            "Installing dependencies from lock file",
            "Warning: poetry.lock is not consistent with pyproject.toml. You may be getting improper"
            " dependencies. Run `poetry lock [--no-update]` to fix it.",
            "Installing the current project: widget (0.1.0)",
        ],
        # NU1608 as a warning does not fail the restore.
        [
            *run_step("dotnet build"),
            "/home/runner/work/app/app/App.csproj : warning NU1608: Detected package version outside"
            " of dependency constraint: Acme.Client 5.5.1 requires Polly (>= 7.2.3 && < 8.0.0) but"
            " version Polly 8.5.2 was resolved.",
            "Build succeeded.",
        ],
    ],
)
def test_dependency_sweep_passing(tmp_path: Path, lines: list[str]) -> None:
    got, _ = top_finding(tmp_path, [TS + line for line in lines])
    assert got is None
