"""Missing tools and set-up actions, fourth sweep: what the fill-ins and the new rules give end to end.

Texts are the tools' real formats with names changed; the source of each is named in the rule
(rules/20-setup.yaml, rules/45-langs.yaml) or in diagnose/fill_ins.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.program_fill_ins import env_compiler_below, generator_program, version_below
from tests.diagnose.joblog import FAILED, run_step, top_finding

_NO_PROGRAM = (
    'CMake Error: CMake was unable to find a build program corresponding to "{}".  '
    "CMAKE_MAKE_PROGRAM is not set.  You probably need to select a different build tool."
)


@pytest.mark.parametrize(
    ("generator", "program"),
    [
        ("Ninja", "ninja"),
        ("Ninja Multi-Config", "ninja"),
        ("Unix Makefiles", "make"),
        ("MinGW Makefiles", "mingw32-make"),
        ("NMake Makefiles", "nmake"),
        ("NMake Makefiles JOM", "jom"),
        ("CodeBlocks - Ninja", "ninja"),
        ("Eclipse CDT4 - Unix Makefiles", "make"),
        # A generator this table does not know keeps its name.
        ("Green Hills MULTI", "Green Hills MULTI"),
    ],
)
def test_cmake_generator_names_its_program(generator: str, program: str) -> None:
    assert generator_program(generator, _NO_PROGRAM.format(generator)) == program


def test_a_command_outside_the_cmake_message_is_kept() -> None:
    assert generator_program("Ninja", "bash: Ninja: command not found") == "Ninja"


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        # CMake on macOS without ninja: the program, not the generator (dfleury2/beauty #48).
        (
            [
                *run_step(
                    "cmake -S . -B build -G Ninja",
                    _NO_PROGRAM.format("Ninja"),
                    "CMake Error: CMAKE_C_COMPILER not set, after EnableLanguage",
                    "-- Configuring incomplete, errors occurred!",
                ),
                FAILED,
            ],
            {"command": "ninja"},
        ),
        (
            [*run_step("cmake -S . -B out", _NO_PROGRAM.format("Unix Makefiles")), FAILED],
            {"command": "make"},
        ),
        # setup-beam's current wording puts the version type first.
        (
            [
                "##[group]Run erlef/setup-beam@v1",
                "with:",
                "  otp-version: 27",
                "##[endgroup]",
                "##[error]Requested loose Erlang/OTP version (27) not found in version list, at"
                " https://builds.hex.pm/builds/otp/ubuntu-24.04/builds.txt. Should you be using option"
                " 'version-type': 'strict'?",
            ],
            {"version": "27", "action": "erlef/setup-beam"},
        ),
        # A .tool-versions read with CRLF on Windows breaks the message after the version.
        (
            [
                "##[group]Run erlef/setup-beam@v1",
                "##[endgroup]",
                "##[error]Requested Erlang/OTP version (27.3.4.1",
                ") not found in version list, at https://api.github.com/repos/erlang/otp/releases?"
                "per_page=100; should you be using option 'version-type': 'strict'?",
            ],
            {"version": "27.3.4.1"},
        ),
        # actions/setup-haskell v1 and its successor.
        (
            [
                "##[group]Run actions/setup-haskell@v1",
                "##[endgroup]",
                "##[error]Version 8.8.2 of ghc not found",
                "##[error]Node run failed with exit code 1",
            ],
            {"version": "8.8.2", "tool": "ghc"},
        ),
        (
            [
                "##[group]Run haskell-actions/setup@v2",
                "##[endgroup]",
                "Error: All install methods for ghc 9.8.1 failed",
            ],
            {"version": "9.8.1", "tool": "ghc"},
        ),
        # A rustup proxy whose component the pinned toolchain lacks.
        (
            [
                *run_step(
                    "cargo fmt --check",
                    "error: 'cargo-fmt' is not installed for the toolchain"
                    " '1.70.0-x86_64-unknown-linux-gnu'",
                ),
                FAILED,
            ],
            {"command": "cargo-fmt"},
        ),
        # Gradle's Exec task and Meson on a runner without the program.
        (
            [
                *run_step(
                    "./gradlew assemble",
                    "* What went wrong:",
                    "Execution failed for task ':web:npmInstall'.",
                    "> A problem occurred starting process 'command 'npm''",
                ),
                FAILED,
            ],
            {"command": "npm"},
        ),
        (
            [
                *run_step(
                    "meson setup build",
                    "Program glib-compile-resources found: NO",
                    "",
                    "src/meson.build:12:0: ERROR: Program 'glib-compile-resources' not found or not"
                    " executable",
                ),
                FAILED,
            ],
            {"command": "glib-compile-resources"},
        ),
        # sh's exec builtin in an action's entrypoint.
        (
            [
                "##[group]Run acme/deno-action@0.19.0",
                "##[endgroup]",
                "/usr/local/bin/docker-entrypoint.sh: 9: exec: /root/.deno/bin/deno: not found",
                FAILED,
            ],
            {"command": "/root/.deno/bin/deno"},
        ),
    ],
)
def test_missing_tool_facts(tmp_path: Path, lines: list[str], facts: dict[str, str]) -> None:
    kind, data = top_finding(tmp_path, lines)
    assert kind == "missing_tool"
    assert facts.items() <= data.items()


@pytest.mark.parametrize(
    "lines",
    [
        # tox skipping a missing interpreter and passing (ngine-io/cs #96; tox-dev/tox #2649).
        [
            *run_step(
                "tox",
                "SKIPPED:  py38: InterpreterNotFound: python3.8",
                "  lint: commands succeeded",
                "  congratulations :)",
            ),
        ],
        [
            *run_step(
                "tox -q",
                "py39: skipped because could not find python interpreter with spec(s): py39",
                "  python3.9: SKIP (0.07 seconds)",
                "  congratulations :) (10.22 seconds)",
            ),
        ],
        # Meson's probe of an optional program.
        [*run_step("meson setup build", "Program gperf found: NO", "Build targets in project: 4")],
    ],
)
def test_probes_that_pass_are_not_findings(tmp_path: Path, lines: list[str]) -> None:
    assert top_finding(tmp_path, lines)[0] is None


@pytest.mark.parametrize(
    ("below", "version"),
    [
        (["[ERROR] jdk [ version='11' ]"], "11"),
        (["[ERROR] jdk [ vendor='temurin' version='21' ]", "[ERROR] -> [Help 1]"], "21"),
        (["jdk [ version='[17,)' ]"], "[17,)"),
        (["[ERROR] -> [Help 1]"], None),
    ],
)
def test_maven_toolchain_version_is_read_below(below: list[str], version: str | None) -> None:
    text = (
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-toolchains-plugin:3.1.0:toolchain"
        " (default) on project app: Cannot find matching toolchain definitions for the following"
        " toolchain types:"
    )
    assert version_below(text, below) == version
    assert version_below("[ERROR] jdk [ version='11' ]", below) is None


def test_android_ninja_is_the_program(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "./gradlew assembleRelease",
            "> Configure project :app",
            "[CXX1416] Could not find Ninja on PATH or in SDK CMake bin folders.",
        ),
        FAILED,
    ]
    assert top_finding(tmp_path, lines) == ("missing_tool", {"command": "ninja", "exit_code": "1"})


def test_dotnet_host_names_the_framework_version_below(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "dotnet ef database update",
            "You must install or update .NET to run this application.",
            "",
            "App: /home/runner/.dotnet/tools/dotnet-ef",
            "Architecture: x64",
            "Framework: 'Microsoft.NETCore.App', version '6.0.0' (x64)",
            ".NET location: /usr/share/dotnet/",
        ),
        FAILED,
    ]
    kind, data = top_finding(tmp_path, lines)
    assert (kind, data.get("tool"), data.get("version")) == ("missing_tool", "dotnet", "6.0.0")


@pytest.mark.parametrize(
    ("below", "compiler"),
    [
        (["", "  clang++.", ""], "clang++"),
        (["", "    /opt/llvm/bin/clang-18", ""], "clang-18"),
        (["", "-- Configuring incomplete, errors occurred!"], None),
    ],
)
def test_cmake_env_compiler_is_read_below(below: list[str], compiler: str | None) -> None:
    text = "  Could not find compiler set in environment variable CXX:"
    assert env_compiler_below(text, below) == compiler


def test_cmake_env_compiler_end_to_end(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "cmake -S . -B build",
            "CMake Error at CMakeLists.txt:4 (project):",
            "  Could not find compiler set in environment variable CXX:",
            "",
            "  clang++.",
            "",
            "-- Configuring incomplete, errors occurred!",
        ),
        FAILED,
    ]
    kind, data = top_finding(tmp_path, lines)
    assert (kind, data.get("command")) == ("missing_tool", "clang++")
