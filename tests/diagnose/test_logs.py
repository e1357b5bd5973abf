"""Log reading: formats, zip layouts, line numbers, steps, bad inputs, and a fuzz of the parser."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmon.diagnose import logs, pastes, sources
from smartmon.errors import InputError

TS = "2025-04-07T12:57:33.2904078Z "

JOB_LOG = [
    TS + "Current runner version: '2.323.0'",
    TS + "##[group]Operating System",
    TS + "Ubuntu",
    TS + "##[endgroup]",
    TS + "Complete job name: test (3.12)",
    TS + "##[group]Run actions/checkout@v4",
    TS + "with:",
    TS + "##[endgroup]",
    TS + "##[group]Run pytest -q",
    TS + "\x1b[36;1mpytest -q\x1b[0m",
    TS + "shell: /usr/bin/bash -e {0}",
    TS + "##[endgroup]",
    TS + "Traceback (most recent call last):",
    '  File "app.py", line 1, in <module>',
    TS + "\x1b[31mE   ModuleNotFoundError: No module named 'yaml'\x1b[0m",
    TS + "##[error]Process completed with exit code 1.",
    TS + "Post job cleanup.",
    TS + "Cleaning up orphan processes",
]


def _write(path: Path, lines: list[str], *, bom: bool = False, crlf: bool = False) -> Path:
    sep = "\r\n" if crlf else "\n"
    data = sep.join(lines) + sep if lines else ""
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode())
    return path


@pytest.mark.parametrize(
    ("bom", "crlf"), [(False, False), (True, False), (True, True), (False, True)]
)
def test_job_log_lines_steps_and_numbers(tmp_path: Path, bom: bool, crlf: bool) -> None:
    path = _write(tmp_path / "job.txt", JOB_LOG, bom=bom, crlf=crlf)
    [source] = sources.discover(path)
    lines = list(logs.iter_lines(source))
    assert [ln.line for ln in lines] == list(range(1, len(JOB_LOG) + 1))
    err = lines[14]
    assert err.text == "E   ModuleNotFoundError: No module named 'yaml'"
    assert (err.step, err.step_number, err.step_line) == ("Run pytest -q", 3, 7)
    assert lines[13].timestamp is None  # a continuation line keeps no timestamp
    assert lines[13].step == "Run pytest -q"
    assert lines[0].step == logs.SETUP_STEP and lines[0].step_number == 1
    assert lines[5].step == "Run actions/checkout@v4"
    assert lines[16].step == logs.POST_STEP
    assert lines[17].step == logs.COMPLETE_STEP
    assert "\x1b" not in "".join(ln.text for ln in lines)


def test_small_blocks_give_the_same_lines(tmp_path: Path) -> None:
    path = _write(tmp_path / "job.txt", JOB_LOG * 30)
    [source] = sources.discover(path)
    big = [(ln.line, ln.step_number, ln.text) for ln in logs.iter_lines(source)]
    small = [(ln.line, ln.step_number, ln.text) for ln in logs.iter_lines(source, block_size=37)]
    assert big == small


def test_overlong_line_is_cut_without_losing_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "job.txt"
    path.write_bytes(b"a\n" + b"x" * (logs.LONG_LINE * 3) + b"\nb\n")
    [source] = sources.discover(path)
    parsed = list(logs.iter_lines(source, block_size=1024))
    assert [(p.line, p.text[:1]) for p in parsed] == [(1, "a"), (2, "x"), (3, "b")]


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), text)
    return path


def test_zip_with_step_folders(tmp_path: Path) -> None:
    text = "\n".join(JOB_LOG) + "\n"
    path = _zip(
        tmp_path / "run.zip",
        {
            "1_build.txt": text,
            "build/1_Set up job.txt": TS + "Current runner version\n",
            "build/3_Run pytest -q.txt": text,
            "build/system.txt": "x\n",
            "lint/1_Set up job.txt": TS + "setup\n",
            "lint/2_Run ruff check.txt": TS + "a\n" + TS + "##[error]ruff failed\n",
        },
    )
    jobs = {j.name: j for j in sources.discover(path)}
    assert set(jobs) == {"build", "lint"}
    assert len(jobs["build"].parts) == 1  # the whole-job file wins over its step files
    lint = list(logs.iter_lines(jobs["lint"]))
    assert [(ln.step, ln.step_number, ln.line) for ln in lint] == [
        ("Set up job", 1, 1),
        ("Run ruff check", 2, 1),
        ("Run ruff check", 2, 2),
    ]


def test_zip_top_level_only_prefers_non_legacy(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "run.zip",
        {
            "-3_test.txt": TS + "legacy\n",
            "3_test.txt": TS + "current\n",
            "24_job-19.txt": TS + "x\n",
        },
    )
    jobs = {j.name: j for j in sources.discover(path)}
    assert set(jobs) == {"test", "job-19"}
    assert [ln.text for ln in logs.iter_lines(jobs["test"])] == ["current"]


def test_folder_of_logs(tmp_path: Path) -> None:
    _write(tmp_path / "1_a.txt", JOB_LOG)
    (tmp_path / "b").mkdir()
    _write(tmp_path / "b" / "2_Run x.txt", JOB_LOG[:3])
    names = sorted(j.name for j in sources.discover(tmp_path))
    assert names == ["a", "b"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.txt", None, "no such file"),
        ("bad.zip", b"PK\x03\x04 not really a zip", "not a zip file"),
        ("binary.txt", b"\x7fELF\x00\x00\x01", "not a text log"),
    ],
)
def test_bad_inputs_raise_one_line(
    tmp_path: Path, name: str, content: bytes | None, expected: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as info:
        sources.discover(path)
    assert expected in str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_utf16_output_at_the_top_of_a_log_is_text_not_binary(tmp_path: Path) -> None:
    # wsl.exe writes UTF-16LE; the runner logs its bytes as they come (pasteurlabs/tesseract-core
    # #280): a NUL after each letter, here in the first 8 KB that the binary check reads.
    letters = "".join(ch + "\x00" for ch in "Forbidden (403).")
    path = tmp_path / "1_wsl.txt"
    path.write_bytes(f"Run Vampire/setup-wsl@v5\n{letters}\nError: wsl failed\n".encode())
    assert [j.name for j in sources.discover(path)] == ["wsl"]


def test_truncated_zip_is_an_input_error(tmp_path: Path) -> None:
    path = _zip(tmp_path / "run.zip", {"1_build.txt": "\n".join(JOB_LOG) * 50})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="zip"):
        sources.discover(path)


def test_cli_bad_input_exit_code_and_one_line(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "smartmon", "analyze", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("smartmon: error: ") and "nope.txt" in proc.stderr


_line = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_characters="\n\r\x00", blacklist_categories=("Cs",)),
        max_size=40,
    ),
    st.sampled_from(
        ["##[group]Run x", "Post job cleanup.", "##[endgroup]", "\x1b[31mred\x1b[0m", ""]
    ),
)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(st.tuples(st.booleans(), _line), max_size=40),
    crlf=st.booleans(),
    bom=st.booleans(),
    block=st.integers(min_value=1, max_value=64),
)
def test_fuzz_parser_never_crashes_and_keeps_line_numbers(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[tuple[bool, str]],
    crlf: bool,
    bom: bool,
    block: int,
) -> None:
    raw = [(TS if stamped else "") + text for stamped, text in lines]
    path = tmp_path_factory.mktemp("fuzz") / "job.txt"
    _write(path, raw, bom=bom, crlf=crlf)
    [source] = sources.discover(path)
    parsed = list(logs.iter_lines(source, block_size=block))
    assert [p.line for p in parsed] == list(range(1, len(raw) + 1))
    # A small input may be a paste: what the paste added (quote markers, fences, the viewer's
    # line numbers) is taken off (pastes.paste_cleaned). Where that changes nothing, text is kept.
    joined = logs.strip_ansi("\n".join(raw).encode())
    kept = pastes.paste_cleaned(joined) == joined
    for p, (stamped, text) in zip(parsed, lines, strict=True):
        assert "\x1b" not in p.text and "\r" not in p.text
        if stamped:
            assert p.timestamp is not None
        plain = "\x1b" not in text and not (not stamped and logs.TIMESTAMP_RE.match(text.encode()))
        if kept and plain:
            assert p.text == text


def test_zip_bomb_and_unsafe_names_are_refused_but_others_analysed(tmp_path: Path) -> None:
    from smartmon.diagnose import classify

    path = tmp_path / "run.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("1_good.txt", TS + "##[error]boom\n")
        zf.writestr("../2_evil.txt", TS + "x\n")
        zf.writestr("/abs/3_evil.txt", TS + "x\n")
        with zf.open("4_bomb.txt", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(sources.RATIO_FLOOR // len(chunk) + 8):
                member.write(chunk)
    analysis = classify.analyze_paths([path])
    assert {j.name: j.conclusion for j in analysis.jobs}["good"] == "failure"
    assert len(analysis.errors) == 3
    assert any("zip bomb" in e for e in analysis.errors)
    assert sum("unsafe member name" in e for e in analysis.errors) == 2
