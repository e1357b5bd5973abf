"""File commands, workflow commands and the timestamped, masked job log."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from smartmon.sandbox.runner.joblog import JobLog, Masker, timestamp
from smartmon.sandbox.runner.step_commands import (
    CommandProcessor,
    FileCommandError,
    parse_key_value_file,
    parse_path_file,
)
from tests.sandbox.runner_support import StepClock, body


def test_timestamp_has_seven_fraction_digits() -> None:
    moment = datetime(2025, 4, 7, 12, 57, 33, 290407, tzinfo=UTC)
    assert timestamp(moment) == "2025-04-07T12:57:33.2904070Z"


def test_every_physical_line_gets_its_own_timestamp() -> None:
    log = JobLog(StepClock(), Masker(["hunter2"]))
    log.write("one\ntwo\r\nthree with hunter2")
    log.group("Run x")
    log.script_lines("echo a\necho b\n")
    text = log.text()
    assert body(text) == [
        "one",
        "two",
        "three with ***",
        "##[group]Run x",
        "\x1b[36;1mecho a\x1b[0m",
        "\x1b[36;1mecho b\x1b[0m",
        "##[endgroup]",  # an open group is closed when the log is read
    ]
    stamps = [line[:28] for line in text.splitlines()]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_masker_masks_multiline_secrets_line_by_line() -> None:
    masker = Masker(["line-one\nline-two", "", "  "])
    assert masker.mask("x line-two y") == "x *** y"
    assert masker.mask("line-one\nline-two") == "***"
    assert masker.values == frozenset({"line-one\nline-two", "line-one", "line-two"})


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_key_value_file_both_forms(tmp_path: Path) -> None:
    path = write(
        tmp_path / "out",
        "a=1\nb=x=y\n\nmulti<<EOF\nline 1\nline 2\nEOF\nempty=\nweird<<ghadelimiter_1\n=\nghadelimiter_1\n",
    )
    assert parse_key_value_file(path) == {
        "a": "1",
        "b": "x=y",
        "multi": "line 1\nline 2",
        "empty": "",
        "weird": "=",
    }
    # whichever of '=' and '<<' comes first decides the form
    assert parse_key_value_file(write(tmp_path / "o2", "k=v<<x\n")) == {"k": "v<<x"}
    assert parse_key_value_file(tmp_path / "missing") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("novalue\n", "Invalid format 'novalue'"),
        ("=x\n", "Name must not be empty"),
        ("k<<EOF\nvalue\n", "Matching delimiter not found 'EOF'"),
    ],
)
def test_key_value_file_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(FileCommandError, match=message):
        parse_key_value_file(write(tmp_path / "bad", text))


def test_path_file(tmp_path: Path) -> None:
    assert parse_path_file(write(tmp_path / "p", "/opt/a\n\n  /opt/b  \n")) == ["/opt/a", "/opt/b"]


def processor(tmp_path: Path, **kwargs: bool) -> CommandProcessor:
    return CommandProcessor(JobLog(StepClock(), Masker()), tmp_path, **kwargs)


def test_annotations_and_groups(tmp_path: Path) -> None:
    p = processor(tmp_path)
    for line in [
        "::group::Compile",
        "  ::error file=src/app.py,line=3,endLine=4,title=Bad%2C very bad::it broke%0Areally",
        f"::warning file={tmp_path}/lib/x.py,line=9::careful",
        "::notice::fyi",
        "::endgroup::",
        "::debug::hidden",
        "::unknown-cmd::stays as text",
        ":: not a command",
    ]:
        p.line(line)
    assert body(p.log.text()) == [
        "##[group]Compile",
        "##[error]it broke",
        "really",
        "##[warning]careful",
        "##[notice]fyi",
        "##[endgroup]",
        "::unknown-cmd::stays as text",
        ":: not a command",
    ]
    first, second, third = p.annotations
    assert (first.level, first.path, first.start_line, first.end_line, first.title) == (
        "failure",
        "src/app.py",
        3,
        4,
        "Bad, very bad",
    )
    assert first.message == "it broke\nreally"
    assert (second.level, second.path, second.start_line) == ("warning", "lib/x.py", 9)
    assert (third.level, third.path) == ("notice", ".github")


def test_add_mask_and_stop_commands(tmp_path: Path) -> None:
    p = processor(tmp_path, debug=True)
    for line in [
        "::add-mask::tok3n-value",
        "using tok3n-value now",
        "::stop-commands::pause-token-123",
        "::error::not an annotation while stopped",
        "::pause-token-123::",
        "::debug::visible in debug mode",
    ]:
        p.line(line)
    assert body(p.log.text()) == [
        "using *** now",
        "::error::not an annotation while stopped",
        "##[debug]visible in debug mode",
    ]
    assert p.annotations == []
    assert "pause-token-123" in p.log.masker.values  # tokens longer than 6 characters are masked


def test_set_output_is_deprecated_but_works(tmp_path: Path) -> None:
    p = processor(tmp_path)
    p.line("::set-output name=version::1.2.3")
    assert p.outputs == {"version": "1.2.3"}
    assert not p.failed
    assert body(p.log.text()) == [
        "##[warning]The `set-output` command is deprecated and will be disabled soon. Please "
        "upgrade to using Environment Files. For more information see: "
        "https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-"
        "set-output-commands/"
    ]
    assert p.annotations[0].level == "warning"


def test_set_env_is_disabled_and_fails_the_step(tmp_path: Path) -> None:
    p = processor(tmp_path)
    p.line("::set-env name=A::1")
    assert p.failed and p.env == {}
    assert body(p.log.text()) == [
        "##[error]Unable to process command '::set-env name=A::1' successfully.",
        "##[error]The `set-env` command is disabled. Please upgrade to using Environment Files "
        "or opt into unsecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_COMMANDS` "
        "environment variable to `true`. For more information see: "
        "https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-"
        "path-commands/",
    ]
    allowed = processor(tmp_path, allow_unsecure=True)
    allowed.line("::set-env name=A::1")
    allowed.line("::add-path::/opt/bin")
    assert allowed.env == {"A": "1"} and allowed.paths == ["/opt/bin"] and not allowed.failed


def test_annotation_cap_per_level(tmp_path: Path) -> None:
    p = processor(tmp_path)
    for i in range(12):
        p.line(f"::error::e{i}")
    assert len(p.annotations) == 10
    assert body(p.log.text())[-1] == "##[error]e11"  # the log still shows every line
