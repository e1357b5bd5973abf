"""Pastes and families the h115 sampled wave (Docker, Ruby, Elixir, docs deploys) relies on.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
or in the comment of the shape (diagnose/pastes.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.pastes import paste_cleaned
from tests.diagnose.joblog import text_finding

_GEM_REASON = "\tbundler requires Ruby version >= 3.0.0. The current ruby version is 2.7.0.0."


def test_buildkit_seconds_before_a_tab_are_taken_off() -> None:
    text = (
        "14.92 ERROR:  Error installing bundler:\n"
        f"14.92 {_GEM_REASON}\n"
        "------\n"
        " > [4/7] RUN gem install bundler:\n"
        "------\n"
    )
    assert f"\n{_GEM_REASON}\n".encode() in paste_cleaned(text.encode())


def test_numbers_before_a_tab_stay_without_buildkit_frame() -> None:
    text = "3.14 \tpi\nsome line\nanother line\nlast line\n"
    assert paste_cleaned(text.encode()).startswith(b"3.14 \tpi")


@pytest.mark.parametrize(
    ("text", "want", "facts"),
    [
        # Seconds and a tab, with BuildKit's summary frame (apache/arrow #39421).
        (
            "14.92 ERROR:  Error installing bundler:\n"
            f"14.92 {_GEM_REASON}\n"
            "------\n > [4/7] RUN gem install bundler:\n------\n"
            'failed to solve: process "/bin/sh -c gem install bundler" did not complete'
            " successfully: exit code: 1\n",
            "dependency_conflict",
            {"package": "bundler"},
        ),
        # The same with Compose's bare "failed to solve:" as the only frame.
        (
            "14.92 ERROR:  Error installing bundler:\n"
            f"14.92 {_GEM_REASON}\n"
            'failed to solve: process "/bin/sh -c gem install bundler" did not complete'
            " successfully: exit code: 1\n",
            "dependency_conflict",
            {"package": "bundler"},
        ),
        # A gem that needs a newer RubyGems.
        (
            "ERROR:  Error installing ffi:\n\tffi requires RubyGems version >= 3.3.22. The current"
            " RubyGems version is 3.1.6. Try 'gem update --system' to update RubyGems itself.\n",
            "dependency_conflict",
            {"package": "ffi"},
        ),
        # Mix's Elixir requirement, pasted without the trailer.
        (
            "Run mix compile --warnings-as-errors\n** (Mix) You're trying to run :site on Elixir"
            " v1.14.5 but it has declared in its mix.exs file it supports only Elixir ~> 1.15\n",
            "dependency_conflict",
            {},
        ),
        # Any other Mix.raise, pasted alone: a cause, not a passing job.
        ('** (Mix) The task "phx.digest" could not be found\n', "unknown", {}),
        # A dependency's Elixir requirement is a warning; the tests pass.
        (
            'warning: the dependency :nimble_options requires Elixir "~> 1.12" but you are running'
            " on v1.11.4\nFinished in 0.2 seconds\n4 tests, 0 failures\n",
            None,
            {},
        ),
        # build-push-action and bake-action without buildx.
        (
            "Run docker/bake-action@v5\nError: Docker buildx is required. See"
            " https://github.com/docker/setup-buildx-action to set up buildx.\n",
            "missing_tool",
            {},
        ),
        # cpanm's reason for giving up, pasted without the trailer.
        (
            "! Installing the dependencies failed: Module 'DBD::Pg' is not installed\n"
            "! Bailing out the installation for App-Foo-0.01.\n",
            "missing_dependency",
            {"module": "DBD::Pg"},
        ),
        # MkDocs stops on a page whose Markdown extension is not installed.
        (
            "ERROR    -  Error reading page 'index.md': No module named 'pymdownx'\n",
            "missing_dependency",
            {"module": "pymdownx"},
        ),
        # R's dlopen text on a line of its own under the namespace load failure.
        (
            "  Error: package or namespace load failed for \u2018terra\u2019 in dyn.load(file,"
            " DLLpath = DLLpath, ...):\n"
            "   unable to load shared object '/usr/local/lib/R/site-library/terra/libs/terra.so':\n"
            "    libgdal.so.30: cannot open shared object file: No such file or directory\n",
            "missing_dependency",
            {"module": "libgdal.so.30"},
        ),
        # composer require's check of the named package, under its exception banner.
        (
            "Run composer require --dev laravel/pint\n\n  [InvalidArgumentException]\n"
            "  Could not find a matching version of package laravel/pint. Check the package"
            " spelling, your version constraint and that the package is available in a stability"
            " which matches your minimum-stability (stable).\n",
            "dependency_conflict",
            {"package": "laravel/pint"},
        ),
        # A PHP compile-time fatal no rule knows: a cause, not a passing job.
        (
            "PHP Fatal error:  Declaration of App\\Foo::bar(): void must be compatible with"
            " App\\Base::bar(): int in /home/runner/work/shop/shop/src/Foo.php on line 14\n",
            "unknown",
            {},
        ),
        # install.packages only warns; the job goes on.
        (
            "Warning message:\npackage \u2018rgdal\u2019 is not available for this version of R\n"
            "\u2714 Done\n",
            None,
            {},
        ),
    ],
)
def test_family(tmp_path: Path, text: str, want: str | None, facts: dict[str, str]) -> None:
    got, data = text_finding(tmp_path, text)
    assert got == want
    assert {k: data.get(k) for k in facts} == facts


_MINIFIED_CRASH = [
    "Run acme/project-action@v3",
    "with:",
    "  project_number: 31",
    "/home/runner/work/_actions/acme/project-action/v3/dist/index.js:1",
    '(()=>{var e={351:function(e,t,r){"use strict";var n=this&&this.__createBinding;',
]


def test_node_crash_header_pasted_alone_is_a_cause(tmp_path: Path) -> None:
    got, _ = text_finding(tmp_path, "\n".join(_MINIFIED_CRASH) + "\n")
    assert got == "unknown"


@pytest.mark.parametrize("stamp", ["", "2024-09-06T10:12:41.5262830Z "])
def test_node_action_that_exited_zero_is_no_failure(tmp_path: Path, stamp: str) -> None:
    lines = [
        "##[group]Run acme/project-action@v3",
        "with:",
        "  project_number: 31",
        "##[endgroup]",
        *_MINIFIED_CRASH[3:],
        "##[debug]Node Action run completed with exit code 0",
        "##[debug]Finishing: Update project item",
    ]
    got, _ = text_finding(tmp_path, "".join(stamp + line + "\n" for line in lines))
    assert got is None
    crashed = [line.replace("exit code 0", "exit code 1") for line in lines]
    got, _ = text_finding(tmp_path, "".join(stamp + line + "\n" for line in crashed))
    assert got == "unknown"
