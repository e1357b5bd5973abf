"""A command's option run by the shell as a command of its own (its line continuation broken) is no
missing program: shell-ran-option-word reads it, unknown, where the step stopped on it (the exit line
next, or a paste's end); shell-command-not-found and command-not-found-loose leave it alone.
"""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import text_finding


def test_option_before_exit_127_is_no_missing_tool(tmp_path: Path) -> None:
    paste = (
        "Run ./gradlew assembleRelease \\\n"
        "/home/runner/work/_temp/3f2a.sh: line 2: --stacktrace: command not found\n"
        "Error: Process completed with exit code 127.\n"
    )
    assert text_finding(tmp_path, paste) == (
        "unknown",
        {"name": "--stacktrace", "exit_code": "127"},
    )


def test_flag_with_a_path_at_a_paste_end(tmp_path: Path) -> None:
    paste = (
        "Run ./gradlew build\n"
        "BUILD SUCCESSFUL in 1m 52s\n"
        "-Pandroid.injected.signing.store.file=/home/runner/work/app/app/key.jks:"
        " No such file or directory\n"
    )
    assert text_finding(tmp_path, paste)[0] == "unknown"


def test_a_shell_without_e_that_went_on(tmp_path: Path) -> None:
    paste = (
        "Run ./build.sh\n"
        "/home/runner/work/_temp/3f2a.sh: line 2: --stacktrace: command not found\n"
        "Building...\n"
        "Done\n"
    )
    assert text_finding(tmp_path, paste)[0] is None


def test_a_real_missing_program_is_still_one(tmp_path: Path) -> None:
    paste = (
        "Run ./build.sh\n"
        "/home/runner/work/_temp/3f2a.sh: line 2: jq: command not found\n"
        "Error: Process completed with exit code 127.\n"
    )
    assert text_finding(tmp_path, paste)[0] == "missing_tool"


def test_option_under_git_bash_on_a_windows_runner(tmp_path: Path) -> None:
    # Git Bash names the step's script with its drive: "D:\a\_temp\<id>.sh: line 2: …".
    paste = (
        "Run ./gradlew assembleRelease\n"
        "BUILD SUCCESSFUL in 1m 2s\n"
        "D:\\a\\_temp\\3f2a.sh: line 2: --stacktrace: command not found\n"
        "Error: Process completed with exit code 127.\n"
    )
    assert text_finding(tmp_path, paste) == (
        "unknown",
        {"name": "--stacktrace", "exit_code": "127"},
    )


def test_a_real_missing_program_under_git_bash_is_still_one(tmp_path: Path) -> None:
    paste = (
        "Run ./build.sh\n"
        "D:\\a\\_temp\\3f2a.sh: line 2: jq: command not found\n"
        "Error: Process completed with exit code 127.\n"
    )
    assert text_finding(tmp_path, paste)[0] == "missing_tool"
