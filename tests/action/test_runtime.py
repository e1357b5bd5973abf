"""The runtime adapter, checked the way the runner reads it: stdout parsed line by line with
the runner's command rules, and the output and summary files read back as the runner would."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from smartmon.action.runtime import ANNOTATION_LIMIT, SUMMARY_LIMIT, Runtime
from smartmon.errors import InputError

TOKEN = "ghp_" + "A1b2C3d4" * 5
SECRET = "hunter2-very-secret"


# -- what the runner does with our stdout (RUNNER ActionCommandManager / ActionCommand) --------


@dataclass
class Command:
    name: str
    props: dict[str, str]
    data: str


def _unescape(value: str, *, prop: bool) -> str:
    value = value.replace("%0D", "\r").replace("%0A", "\n")
    if prop:
        value = value.replace("%3A", ":").replace("%2C", ",")
    return value.replace("%25", "%")


def _parse(line: str) -> Command | None:
    """`::name props::data` at the start (after whitespace), else legacy `##[name props]data`."""
    stripped = line.lstrip()
    if stripped.startswith("::"):
        end = stripped.find("::", 2)
        if end < 0:
            return None
        head, data = stripped[2:end], stripped[end + 2 :]
        name, _, raw = head.partition(" ")
        props = dict(p.split("=", 1) for p in raw.split(",") if "=" in p)
    elif "##[" in line:
        start = line.index("##[") + 3
        end = line.find("]", start)
        if end < 0:
            return None
        head, data = line[start:end], line[end + 1 :]
        name, _, raw = head.partition(" ")
        props = dict(p.split("=", 1) for p in raw.split(";") if "=" in p)
    else:
        return None
    if not name:
        return None
    return Command(
        name,
        {k: _unescape(v, prop=True) for k, v in props.items()},
        _unescape(data, prop=False),
    )


def runner_commands(stream: str) -> list[Command]:
    """The commands the runner would execute; lines end at CR, LF or CRLF like .NET ReadLine."""
    executed: list[Command] = []
    stop: str | None = None
    for line in re.split(r"\r\n|\r|\n", stream):
        command = _parse(line)
        if command is None:
            continue
        if stop is not None:
            if command.name.lower() == stop.lower():
                stop = None
            continue
        if command.name == "stop-commands":
            stop = command.data
        executed.append(command)
    return executed


def test_the_parser_sees_commands_outside_a_stop_region() -> None:
    stream = "  ::set-env name=X::y\nlog ##[error]boom\n::stop-commands::t\n::error::x\n::t::\n"
    names = [c.name for c in runner_commands(stream)]
    assert names == ["set-env", "error", "stop-commands"]


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    return {
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_ACTIONS": "true",
    }


def runtime(env: dict[str, str], secrets: tuple[str, ...] = ()) -> tuple[Runtime, io.StringIO]:
    out = io.StringIO()
    return Runtime(env=env, out=out, secrets=secrets), out


def read_outputs(path: str) -> dict[str, str]:
    """GITHUB_OUTPUT as RUNNER EnvFileKeyValuePairs reads it (LF framing on Linux)."""
    text = Path(path).read_text(encoding="utf-8")
    values: dict[str, str] = {}
    lines = text.split("\n")
    assert lines[-1] == "", "the file must end with a newline"
    i = 0
    while i < len(lines) - 1:
        line = lines[i]
        eq, heredoc = line.find("="), line.find("<<")
        if eq >= 0 and (heredoc < 0 or eq < heredoc):
            name, value = line.split("=", 1)
            i += 1
        else:
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            value = "\n".join(lines[i + 1 : end])
            i = end + 1
        values[name] = value
    return values


# -- annotations -------------------------------------------------------------------------------


def test_annotation_properties_and_data_are_escaped(files: dict[str, str]) -> None:
    rt, out = runtime(files)
    assert rt.error("50% done\r\nnext", file="src/a:b,c%.py", line=3, title="T: 1,2\nx")
    printed = out.getvalue()
    assert printed == (
        "::error title=T%3A 1%2C2%0Ax,file=src/a%3Ab%2Cc%25.py,line=3::50%25 done%0D%0Anext\n"
    )
    [command] = runner_commands(printed)
    assert command == Command(
        "error", {"title": "T: 1,2\nx", "file": "src/a:b,c%.py", "line": "3"}, "50% done\r\nnext"
    )


def test_a_property_cannot_inject_another_property_or_command(files: dict[str, str]) -> None:
    rt, out = runtime(files)
    rt.warning("m", file="x.py,line=99::evil", title="::add-mask::y")
    [command] = runner_commands(out.getvalue())
    assert command.props == {"file": "x.py,line=99::evil", "title": "::add-mask::y"}
    assert command.data == "m"


def test_annotations_are_capped_per_type_with_one_notice(files: dict[str, str]) -> None:
    rt, out = runtime(files)
    results = [rt.error(f"e{i}", file="a.py", line=i + 1) for i in range(12)]
    results += [rt.warning(f"w{i}") for i in range(11)]
    assert results == [True] * 10 + [False] * 2 + [True] * 10 + [False]
    names = [c.name for c in runner_commands(out.getvalue())]
    assert names.count("error") == ANNOTATION_LIMIT
    assert names.count("warning") == ANNOTATION_LIMIT
    assert names.count("notice") == 1
    assert rt.dropped == {"error": 2, "warning": 1, "notice": 0}


def test_the_drop_message_never_makes_an_eleventh_notice(files: dict[str, str]) -> None:
    rt, out = runtime(files)
    for i in range(ANNOTATION_LIMIT + 1):
        rt.notice(f"n{i}")
    for i in range(ANNOTATION_LIMIT + 1):
        rt.error(f"e{i}")
    names = [c.name for c in runner_commands(out.getvalue())]
    assert names.count("notice") == ANNOTATION_LIMIT
    assert "more annotations than the runner shows" in out.getvalue()


# -- untrusted log text ------------------------------------------------------------------------

HOSTILE = "\n".join(
    [
        "normal line",
        "  ::set-env name=X::y",
        "::add-mask::the whole report",
        "ok ##[set-output name=a]b",
        "::stop-commands::abc",
        "::abc::",
        "::endgroup::",
        "::error file=x.py,line=1::fake failure",
        "tail\r::warning::after a bare CR",
        "2026-01-01T00:00:00.0000000Z ##[group]Run evil",
    ]
)


def test_log_block_keeps_every_command_in_the_text_inert(files: dict[str, str]) -> None:
    rt, out = runtime(files)
    rt.log_block("Log of job 'test' ::error::t", HOSTILE)
    printed = out.getvalue()
    executed = runner_commands(printed)
    assert [c.name for c in executed] == ["group", "stop-commands", "endgroup"]
    assert executed[0].data == "Log of job 'test' ::error::t"
    token = executed[1].data
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    # The text is shown, not swallowed.
    for line in re.split(r"\r|\n", HOSTILE):
        assert line in printed.splitlines()


def test_each_block_has_its_own_random_token(files: dict[str, str]) -> None:
    rt, out = runtime(files)
    rt.log_block("a", "x")
    rt.log_block("b", "y")
    tokens = [c.data for c in runner_commands(out.getvalue()) if c.name == "stop-commands"]
    assert len(tokens) == 2 and tokens[0] != tokens[1]


def test_info_prints_plain_lines_plainly_and_command_lines_inertly(files: dict[str, str]) -> None:
    rt, out = runtime(files)
    rt.info("Run 42: 2 findings")
    assert out.getvalue() == "Run 42: 2 findings\n"
    rt.info("branch: ::add-mask::x\n  ::error::y")
    assert [c.name for c in runner_commands(out.getvalue())] == ["stop-commands"]


def test_utf8_through_a_real_binary_stdout(
    files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # With GITHUB_ACTIONS=true the library writes UTF-8 bytes to stdout's buffer.
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="latin-1", write_through=True)
    rt = Runtime(env=files, out=out)
    rt.log_block("Größe ✓", "naïve ##[error]x 😀")
    rt.notice("fertig ✓")
    out.flush()
    text = raw.getvalue().decode("utf-8")
    assert [c.name for c in runner_commands(text)] == [
        "group",
        "stop-commands",
        "endgroup",
        "notice",
    ]
    assert "naïve ##[error]x 😀" in text


# -- outputs -----------------------------------------------------------------------------------


def test_outputs_keep_multiline_values_and_pick_fresh_delimiters(files: dict[str, str]) -> None:
    rt, _ = runtime(files)
    tricky = "line 1\nline 2\n\nghadelimiter_guess\nname=value\nlast"
    assert rt.set_output("report", tricky)
    assert rt.set_output("fixed", "3")
    assert rt.set_output("empty", "")
    assert read_outputs(files["GITHUB_OUTPUT"]) == {"report": tricky, "fixed": "3", "empty": ""}
    delimiters = re.findall(r"<<(\S+)", Path(files["GITHUB_OUTPUT"]).read_text())
    assert len(set(delimiters)) == 3
    with pytest.raises(ValueError):
        rt.set_output("bad\nname", "x")


def test_outputs_outside_actions_are_skipped() -> None:
    rt, _ = runtime({})
    assert not rt.set_output("x", "y")
    assert not rt.append_summary("# hi")


# -- summary -----------------------------------------------------------------------------------


def test_summary_appends_within_the_limit(files: dict[str, str]) -> None:
    rt, _ = runtime(files)
    assert rt.append_summary("# smartmon\n")
    assert rt.append_summary("| a | b |")
    assert Path(files["GITHUB_STEP_SUMMARY"]).read_text() == "# smartmon\n| a | b |\n"


def test_summary_is_cut_at_a_line_boundary_and_never_passes_1_mib(files: dict[str, str]) -> None:
    path = Path(files["GITHUB_STEP_SUMMARY"])
    path.write_text("written by an earlier step: ✓\n" * 1000, encoding="utf-8")  # counts too
    before = path.read_bytes()
    rt, _ = runtime(files)
    line = "| ünïcödé | €€€ | 😀 | ✓ |\n"
    markdown = "".join(f"{i} {line}" for i in range(60_000))
    assert len(markdown.encode()) + len(before) > SUMMARY_LIMIT
    assert not rt.append_summary(markdown)
    data = path.read_bytes()
    assert len(data) <= SUMMARY_LIMIT
    text = data.decode("utf-8")  # no multibyte character was split
    assert data.startswith(before)
    added = text[len(before.decode()) :]
    body, _, note = added.partition("\n> **Summary truncated:**")
    assert note, "the truncation note is there"
    assert markdown.startswith(body) and body.endswith("\n") and len(body) > 500_000
    # Once full, nothing else is appended.
    assert not rt.append_summary("more")
    assert path.read_bytes() == data


def test_summary_exactly_at_the_limit_fits(files: dict[str, str]) -> None:
    path = Path(files["GITHUB_STEP_SUMMARY"])
    path.write_bytes(b"x" * (SUMMARY_LIMIT - 10))
    rt, _ = runtime(files)
    assert rt.append_summary("123456789")  # 9 bytes + newline
    assert path.stat().st_size == SUMMARY_LIMIT
    assert not rt.append_summary("a")
    assert path.stat().st_size == SUMMARY_LIMIT


def test_a_cut_code_block_is_closed_before_the_note(files: dict[str, str]) -> None:
    rt, _ = runtime(files)
    markdown = "## Log\n```\n" + "log line ✓\n" * 120_000 + "```\n"
    assert not rt.append_summary(markdown)
    data = Path(files["GITHUB_STEP_SUMMARY"]).read_bytes()
    assert len(data) <= SUMMARY_LIMIT
    body = data.decode().split("\n> **Summary truncated:**")[0]
    assert body.endswith("log line ✓\n```\n")


# -- redaction ---------------------------------------------------------------------------------


def test_secrets_and_tokens_never_reach_any_output(files: dict[str, str]) -> None:
    rt, out = runtime(files, secrets=(SECRET,))
    masked = rt.input("token", secret=True) or "x"  # unset here: nothing to register
    assert masked == "x"
    rt.add_mask("late-secret-value")
    leak = f"token {TOKEN} and {SECRET} and late-secret-value and https://u:{SECRET}@h/x"
    rt.append_summary(f"## Log\n{leak}")
    rt.set_output("report", leak)
    rt.error(leak, file=f"{SECRET}.py", title=TOKEN)
    rt.notice(leak)
    rt.log_block(f"job {SECRET}", leak)
    rt.info(leak)
    rt.debug(leak)
    written = "\n".join(
        [
            out.getvalue(),
            Path(files["GITHUB_STEP_SUMMARY"]).read_text(),
            Path(files["GITHUB_OUTPUT"]).read_text(),
        ]
    )
    assert TOKEN not in written and SECRET not in written
    assert "***" in Path(files["GITHUB_STEP_SUMMARY"]).read_text()
    assert "***" in read_outputs(files["GITHUB_OUTPUT"])["report"]
    # The mask command itself is the one place the masked value appears.
    assert written.count("late-secret-value") == 1
    masks = [c.data for c in runner_commands(out.getvalue()) if c.name == "add-mask"]
    assert masks == ["late-secret-value"]


# -- inputs and the event ----------------------------------------------------------------------


def test_inputs_read_our_env_names_then_the_node_style_ones() -> None:
    env = {
        "SMARTMON_MAX_ATTEMPTS": " 3 ",
        "INPUT_MODE": "commit",
        "SMARTMON_DRY_RUN": "TRUE",
        "SMARTMON_CREATE_SECRETS": "",  # composite actions pass "" for an unset input
        "SMARTMON_FIX_TYPES": "missing_dependency, executable_bit\nimport_error,,",
        "SMARTMON_TOKEN": TOKEN,
        "SMARTMON_BAD_BOOL": "yes",
        "SMARTMON_BAD_INT": "2.5",
    }
    rt, _ = runtime(env)
    assert rt.int_input("max-attempts", 2, minimum=1) == 3
    assert rt.input("mode", "auto") == "commit"
    assert rt.input("log-level", "info") == "info"
    assert rt.bool_input("dry-run") is True
    assert rt.bool_input("create-secrets", default=False) is False
    assert rt.list_input("fix-types") == ["missing_dependency", "executable_bit", "import_error"]
    assert rt.input("token", secret=True) == TOKEN
    assert rt.redact(f"x {TOKEN[:-1]}Z") != f"x {TOKEN[:-1]}Z"  # token shape redacted anyway
    assert TOKEN in rt.secrets
    with pytest.raises(InputError, match="bad-bool: 'yes' is not a boolean"):
        rt.bool_input("bad-bool")
    with pytest.raises(InputError, match="not a whole number"):
        rt.int_input("bad-int", 1)
    with pytest.raises(InputError, match="below the minimum"):
        rt.int_input("max-attempts", 1, minimum=5)


def test_event_payload_and_is_actions(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "completed", "workflow_run": {"id": 7}}))
    rt, _ = runtime({"GITHUB_EVENT_PATH": str(event), "GITHUB_ACTIONS": "true"})
    assert rt.event_payload()["workflow_run"]["id"] == 7
    assert rt.is_actions()
    assert not runtime({"GITHUB_ACTIONS": "1"})[0].is_actions()
    with pytest.raises(InputError, match="GITHUB_EVENT_PATH is not set"):
        runtime({})[0].event_payload()
    event.write_text("{not json")
    with pytest.raises(InputError, match="not JSON"):
        rt.event_payload()
    event.write_text("[1, 2]")
    with pytest.raises(InputError, match="not a JSON object"):
        rt.event_payload()
    with pytest.raises(InputError, match="cannot read"):
        runtime({"GITHUB_EVENT_PATH": str(tmp_path / "missing.json")})[0].event_payload()
