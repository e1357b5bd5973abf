"""`west boards --format` with a field its Zephyr lacks is a Zephyr release mismatch, only where
boards.py's format call raised the KeyError (kumamuk-git/zmk-config-roBa #126's traceback)."""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import paste_top

_HEAD = [
    'Run if ! (grep "CONFIG_ZMK_BOARD_COMPAT=y" "/tmp/tmp.x/zephyr/.config" > /dev/null)',
    "  then",
    '    west boards --board-root "${GITHUB_WORKSPACE}/config" --format "{name} {qualifiers}"',
    "  shell: sh -e {0}",
    "Traceback (most recent call last):",
    '  File "/usr/local/lib/python3.12/dist-packages/west/commands.py", line 200, in run',
    "    self.do_run(args, unknown)",
]
_BOARDS = [
    '  File "/tmp/zmk-config/zephyr/scripts/west_commands/boards.py", line 87, in do_run',
    "    log.inf(args.format.format(name=board.name, arch=board.arch,",
    "            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
]
_END = ["KeyError: 'qualifiers'", "Error: Process completed with exit code 1."]


def _top(tmp_path: Path, lines: list[str]) -> str | None:
    top = paste_top(tmp_path, lines)
    return top.type.value if top else None


def test_boards_format_keyerror_is_a_zephyr_mismatch(tmp_path: Path) -> None:
    assert _top(tmp_path, [*_HEAD, *_BOARDS, *_END]) == "dependency_conflict"


def test_boards_format_keyerror_without_caret_line(tmp_path: Path) -> None:
    assert _top(tmp_path, [*_HEAD, *_BOARDS[:2], *_END]) == "dependency_conflict"


def test_boards_format_keyerror_python_313_multiline_call(tmp_path: Path) -> None:
    # rev55 w2: Python 3.13 prints the whole call and a caret row under each of its lines.
    frame = [
        _BOARDS[0],
        _BOARDS[1],
        "            ~~~~~~~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        "                                       dir=board.dir))",
        "                                       ^^^^^^^^^^^^^^",
    ]
    assert _top(tmp_path, [*_HEAD, *frame, *_END]) == "dependency_conflict"
    stamped = [f"2025-05-02T00:19:58.1268944Z {line}" for line in [*_HEAD, *frame, *_END]]
    stamped[0] = stamped[0].replace("Run ", "##[group]Run ", 1)
    assert _top(tmp_path, stamped) == "dependency_conflict"


def test_same_keyerror_from_other_code_is_not(tmp_path: Path) -> None:
    other = [
        '  File "/home/runner/work/app/app/tools/boards.py", line 12, in render',
        "    row = fields['qualifiers']",
    ]
    assert _top(tmp_path, [*_HEAD, *other, *_END]) == "unknown"
