"""The unescaping rewrite of `::set-output` run in real bash: the environment file it writes must
hold what the runner would have stored from the original line.

The runner's side is modelled from its source (RUNNER `ActionCommand.TryParseV2` and
`FileCommandManager`): a stdout line (lines end at LF, CR or CRLF) that starts, after leading
spaces, with `::set-output name=N::` sets N to the rest of the line with %0D -> CR, %0A -> LF and,
last, %25 -> %; an environment file holds `N=value` lines and `N<<DELIMITER` blocks.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from smartmon.fixers.set_output import rewrite_line

BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="bash not installed")
_COMMAND = re.compile(r"::(set-output|save-state|set-env) name=([\w.-]+)::(.*)", re.S)
FILES = {"set-output": "GITHUB_OUTPUT", "save-state": "GITHUB_STATE", "set-env": "GITHUB_ENV"}


def _unescape(data: str) -> str:
    return data.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def runner_commands(stdout: str) -> dict[str, dict[str, str]]:
    """What the runner stored from ::commands in a step's stdout, per file."""
    found: dict[str, dict[str, str]] = {}
    for line in re.split(r"\r\n|\r|\n", stdout):
        match = _COMMAND.match(line.lstrip(" \t"))
        if match:
            found.setdefault(FILES[match[1]], {})[match[2]] = _unescape(match[3])
    return found


def runner_file(text: str) -> dict[str, str]:
    """What the runner reads from an environment file (Linux: lines end at LF)."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    while i < len(lines):
        line = lines[i]
        eq, here = line.find("="), line.find("<<")
        if eq >= 0 and (here < 0 or eq < here):
            values[line[:eq]] = line[eq + 1 :]
            i += 1
            continue
        assert here > 0, f"invalid line {line!r}"
        name, delimiter = line[:here], line[here + 2 :]
        end = lines.index(delimiter, i + 1)  # ValueError: no matching delimiter
        values[name] = "\n".join(lines[i + 1 : end])
        i = end + 1
    return values


def _run(script: str, tmp: Path) -> tuple[str, dict[str, dict[str, str]]]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp)}
    for name in FILES.values():
        (tmp / name).write_text("")
        env[name] = str(tmp / name)
    (tmp / "step.sh").write_text(script)
    assert BASH is not None
    proc = subprocess.run(
        [BASH, "--noprofile", "--norc", "-eo", "pipefail", str(tmp / "step.sh")],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    files = {name: runner_file((tmp / name).read_bytes().decode()) for name in FILES.values()}
    return proc.stdout, {k: v for k, v in files.items() if v}


PRELUDE = "x=$(printf 'one %% two\\r\\nthree\\n\\nfour')\n"
ESCAPE = "x=\"${x//'%'/'%25'}\"\nx=\"${x//$'\\n'/'%0A'}\"\nx=\"${x//$'\\r'/'%0D'}\"\n"


@pytest.mark.parametrize(
    ("before", "line"),
    [
        ("", 'echo "::set-output name=v::a%0Ab"'),
        ("", "echo '::set-output name=v::100%25 sure%0D%0Anext %3A%2C'"),
        ("", 'echo "::set-output name=v::%250A stays%2525"'),
        ("", 'echo "::set-output name=v::ends with a newline%0A"'),
        ("", 'echo "::set-output name=v::"'),
        ("", 'echo "::set-output name=v::a%0AEOF%0Aghadelimiter_%0Ab=c"'),
        ("", "echo ::set-output name=v::a%0A   b   c"),  # unquoted: echo joins with one space
        ("", 'echo "::set-output name=v::$(printf "a%%0Ab")"'),
        ("", 'true && echo "::set-output name=v::x%0Ay" || true'),
        ("", 'if true; then echo "::set-output name=v::x%0Ay"; fi'),
        ("v=$'first\\nsecond'\n", 'echo "::set-output name=v::$v%0Athird"'),  # 1st line only
        ("v=$'first\\rsecond'\n", 'echo "::set-output name=v::$v"'),
        (PRELUDE + ESCAPE, 'echo "::set-output name=body::$x"'),  # httpie/cli's benchmark step
        (PRELUDE + ESCAPE, "  echo ::set-output name=body::$x  # unquoted, after spaces"),
        ("", 'echo "::save-state name=s::a%0Ab"'),
        ("", 'echo "::set-env name=E::a%0Ab"'),
        ("IFS=:\n", 'echo "::set-output name=v::a:b%0Ac" ::d'),
    ],
)
def test_rewritten_line_stores_what_the_runner_stored(
    before: str, line: str, tmp_path: Path
) -> None:
    new = rewrite_line(line, "bash", escaped=True)
    assert new is not None and "::set-output" not in new and "::save-state" not in new
    stdout, files = _run(before + line + "\n", tmp_path)
    assert files == {}  # the original wrote no file: the runner read its stdout
    expected = runner_commands(stdout)
    assert expected  # the case really sets something
    new_stdout, got = _run(before + new + "\n", tmp_path)
    assert got == expected
    assert runner_commands(new_stdout) == {}


def test_two_runs_use_different_delimiters(tmp_path: Path) -> None:
    new = rewrite_line('echo "::set-output name=v::$x%0Ab"', "bash", escaped=True)
    assert new is not None and "ghadelimiter_" in new
    _, got = _run(f"x=a\n{new}\n{new}\n", tmp_path)
    heads = [
        line
        for line in (tmp_path / "GITHUB_OUTPUT").read_bytes().decode().split("\n")
        if "<<" in line
    ]
    assert len(heads) == 2 and heads[0] != heads[1] and got == {"GITHUB_OUTPUT": {"v": "a\nb"}}


@pytest.mark.parametrize(
    ("line", "shell"),
    [
        ('echo "::set-output name=v::a%0Ab"', "sh"),  # no ${v//...} in dash
        ('echo "::set-output name=v::a%0Ab"', "pwsh"),
        ('echo "::add-path::/opt/a%0Ab"', "bash"),  # GITHUB_PATH has no multi-line form
        ('echo "::set-output name=v::${x:=a%0Ab}"', "bash"),  # assigns in the calling shell
    ],
)
def test_escaped_values_outside_plain_bash_are_left_for_a_human(line: str, shell: str) -> None:
    assert rewrite_line(line, shell, escaped=True) is None


@pytest.mark.parametrize(
    ("line", "new"),
    [
        # A literal value is unescaped now and written with a delimiter no line of it equals.
        (
            'echo "::set-output name=v::a%0Ab"',
            "printf '%s\\n' 'v<<EOF' 'a' 'b' EOF >> \"$GITHUB_OUTPUT\"",
        ),
        (
            "echo ::set-output name=v::EOF%0A%25",
            "printf '%s\\n' 'v<<EOF_1' 'EOF' '%' EOF_1 >> \"$GITHUB_OUTPUT\"",
        ),
        # %3A, %2C and a lower-case %0a were never unescaped in data: the plain form keeps them.
        ('echo "::set-output name=v::a%3Ab%0ac"', 'echo "v=a%3Ab%0ac" >> "$GITHUB_OUTPUT"'),
    ],
)
def test_literal_values_stay_readable(line: str, new: str) -> None:
    assert rewrite_line(line, "bash") == new
