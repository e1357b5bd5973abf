"""Missing tools said in a package manager's, a compiler's or a runtime's own words, in whole job
logs: npm's spawn syscall and ENOGIT, Bundler's git check, runc's stat of an absolute path,
Flutter's and rmarkdown's own PATH checks, Ruby's top-level handler, concurrently's relayed lines
(rules/20-setup.yaml), gcc and clang missing a piece of the toolchain (rules/30-python.yaml);
downloaded and pasted without a trailer, and the look-alikes of a passing job.

Texts are the tools' real formats with names changed; each rule names the thread or source file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, TS, assert_finding, run_step, text_finding

_CASES = [
    # npm 7+ (npm 10 says "npm error") installing a git dependency in a slim node image.
    (
        "npm ci",
        [
            "npm error code ENOENT",
            "npm error syscall spawn git",
            "npm error path git",
            "npm error errno -2",
            "npm error enoent An unknown git error occurred",
        ],
        "git",
    ),
    # npm 6 and @npmcli/git's which(): ENOGIT.
    (
        "npm install",
        [
            "npm ERR! code ENOGIT",
            "npm ERR! Error while executing:",
            "npm ERR! undefined ls-remote -h -t ssh://git@github.com/acme/ws-node.git",
            "npm ERR! ",
            "npm ERR! undefined",
            "npm ERR! No git binary found in $PATH",
            "npm ERR! ",
            "npm ERR! Failed using git.",
            "npm ERR! Please check if you have git installed and in your PATH.",
        ],
        "git",
    ),
    # Bundler resolving a gem from a git source in a runtime image without git.
    (
        "bundle install",
        [
            "Fetching gem metadata from https://rubygems.org/.........",
            "You need to install git to be able to use gems from git repositories. For help "
            "installing git, please refer to GitHub's tutorial at "
            "https://help.github.com/articles/set-up-git",
        ],
        "git",
    ),
    # runc starting a container whose entrypoint names a shell the image lacks.
    (
        "docker run --rm -v $PWD:/app acme/tools:alpine /bin/bash -c make",
        [
            "docker: Error response from daemon: failed to create task for container: failed to "
            "create shim task: OCI runtime create failed: runc create failed: unable to start "
            'container process: exec: "/bin/bash": stat /bin/bash: no such file or directory: '
            "unknown.",
        ],
        "/bin/bash",
    ),
    # Flutter's launcher on a runner whose PATH lacks git.
    ("flutter pub get", ["Error: Unable to find git in your PATH."], "git"),
    # R CMD check rebuilding a vignette without pandoc.
    (
        "R CMD check --no-manual pkg_1.0.tar.gz",
        [
            "--- re-building 'intro.Rmd' using rmarkdown",
            "Error: processing vignette 'intro.Rmd' failed with diagnostics:",
            "pandoc version 1.12.3 or higher is required and was not found (see the help page "
            "?rmarkdown::pandoc_available).",
            "--- failed re-building 'intro.Rmd'",
        ],
        "pandoc",
    ),
    # The compiler driver missing a piece of its toolchain (gcc without g++; clang without binutils).
    (
        "make",
        [
            "g++ -O2 -c src/main.cpp -o build/main.o",
            "g++: fatal error: cannot execute 'cc1plus': execvp: No such file or directory",
            "compilation terminated.",
            "make: *** [Makefile:12: build/main.o] Error 1",
        ],
        "cc1plus",
    ),
    (
        "make LLVM=1",
        [
            "  HOSTCC  scripts/basic/fixdep",
            'clang: error: unable to execute command: Executable "ld" doesn\'t exist!',
            "make[2]: *** [scripts/Makefile.host:95: scripts/basic/fixdep] Error 1",
        ],
        "ld",
    ),
    # Ruby's top-level handler: the message first, the class last.
    (
        "bin/rails assets:precompile",
        [
            "/usr/lib/ruby/3.0.0/open3.rb:213:in `spawn': No such file or directory - yarn "
            "(Errno::ENOENT)",
        ],
        "yarn",
    ),
    # concurrently relaying an npm script's output behind the command's index.
    (
        "npm run dev",
        [
            "[0] > api@1.0.0 dev",
            "[0] > nodemon src/index.ts",
            "[0] sh: 1: nodemon: not found",
            "[0] npm run dev:api exited with code 127",
        ],
        "nodemon",
    ),
]


@pytest.mark.parametrize(("run", "body", "command"), _CASES)
def test_downloaded_log_names_the_missing_tool(
    tmp_path: Path, run: str, body: list[str], command: str
) -> None:
    lines = [TS + line for line in [*run_step(run, *body), FAILED]]
    assert_finding(tmp_path, lines, "missing_tool", {"command": command})


@pytest.mark.parametrize(("run", "body", "command"), _CASES)
def test_paste_without_trailer_names_the_missing_tool(
    tmp_path: Path, run: str, body: list[str], command: str
) -> None:
    text = "\n".join([f"Run {run}", f"  {run}", *body]) + "\n"
    assert text_finding(tmp_path, text) == ("missing_tool", {"command": command})


@pytest.mark.parametrize(
    "body",
    [
        # A git that ran and failed is not a missing git (npm prints no syscall line then).
        [
            "npm ERR! code 128",
            "npm ERR! An unknown git error occurred",
            "npm ERR! command git --no-replace-objects ls-remote ssh://git@github.com/acme/lib.git",
            "npm ERR! git@github.com: Permission denied (publickey).",
        ],
    ],
)
def test_git_that_ran_is_not_a_missing_tool(tmp_path: Path, body: list[str]) -> None:
    lines = [TS + line for line in [*run_step("npm ci", *body), FAILED]]
    got, data = text_finding(tmp_path, "\n".join(lines) + "\n")
    assert got != "missing_tool" or data.get("command") != "git"


def test_passing_job_with_pandoc_check_output_is_clean(tmp_path: Path) -> None:
    # rmarkdown's check printed by a step that found pandoc; the job passed.
    lines = [
        TS + line
        for line in run_step(
            "Rscript -e 'rmarkdown::pandoc_available()'",
            "[1] TRUE",
            "pandoc version 3.1.11 found",
        )
    ]
    got, _ = text_finding(tmp_path, "\n".join(lines) + "\n")
    assert got is None
