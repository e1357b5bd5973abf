"""A job run locally by nektos/act, as people paste its output, read as the run page shows a job.

act prefixes each line with the job's name: its own lines as "[CI/build] ⭐ Run Main npm test",
"[CI/build]   ❌  Failure - Main npm test [1.2s]", "[CI/build] exitcode '1': failure", and the
step's output as "[CI/build]   | npm ERR! …" when piped, or "| npm ERR! …" on a terminal (the job's
name goes with the colour codes). Formats: act's pkg/runner/logger.go (`[%s]   | %s` for raw
output), pkg/runner/step.go ("⭐ Run %s %s", "❌  Failure - %s %s [%s]", "❗  ::error::…" for a
workflow command) and pkg/container's "exitcode '%d': failure" (127: "exitcode '127': command not
found, please refer to …"). `act_cleaned` takes the prefixes off, writes act's step header as the
page's "Run …" and its exit line as the page's "Error: Process completed with exit code N.", and
keeps the line count.
"""

from __future__ import annotations

import re

# The job's name act puts in front of its own lines: "[CI/build] ".
_PREFIX = rb"^\[[^\[\]\n]{1,200}\] "
_JOB = re.compile(_PREFIX)
# act's step start, its marks for a step's end and a job's (⭐ ✅ ❌ 🏁), behind the job's name.
_ACT_MARK = re.compile(_PREFIX + rb" *(?:\xe2\xad\x90|\xe2\x9c\x85|\xe2\x9d\x8c|\xf0\x9f\x8f\x81)")
_RAW = re.compile(rb"^(?:\[[^\[\]\n]{1,200}\] +)?\| ?")
_STEP = re.compile(_PREFIX + rb" *\xe2\xad\x90 +Run (?:(?P<post>Post )|(?:Main|Pre) )?")
_EXIT = re.compile(_PREFIX + rb" *exitcode '(?P<code>\d+)': ")
_COMMAND = re.compile(_PREFIX + rb" *\xe2\x9d\x97 +::(?P<kind>error|warning)(?: [^:\n]*)?::")
# A share of the paste's lines carrying act's prefixes that makes it act's output.
_ACT_SHARE = 0.6


def is_act_output(lines: list[bytes], filled: list[int]) -> bool:
    """act's output: a step mark of its own, and most lines behind its job prefix or raw `| `."""
    if not any(_ACT_MARK.match(lines[i]) for i in filled):
        return False
    prefixed = sum(1 for i in filled if _JOB.match(lines[i]) or lines[i].startswith(b"| "))
    return prefixed >= _ACT_SHARE * len(filled)


def act_cleaned(lines: list[bytes], filled: list[int]) -> None:
    """Rewrite act's lines in place, as the run page shows a job's (see the module's doc)."""
    for i in filled:
        line = lines[i]
        if m := _STEP.match(line):
            lines[i] = (b"Post Run " if m["post"] else b"Run ") + line[m.end() :]
        elif m := _EXIT.match(line):
            lines[i] = b"Error: Process completed with exit code " + m["code"] + b"."
        elif m := _COMMAND.match(line):
            lines[i] = m["kind"].capitalize() + b": " + line[m.end() :]
        elif m := _RAW.match(line):
            lines[i] = line[m.end() :]
        elif m := _JOB.match(line):
            lines[i] = line[m.end() :].lstrip(b" ")
