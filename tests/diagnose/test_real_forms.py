"""A verdict does not depend on the form a log arrives in: a sample of the real corpus's tuning part,
each case read again as its author might have met it in another form, gives the same type and facts.

- `paste`: a downloaded log as the run page shows it (no timestamps, `##[group]`, `##[command]` and
  `##[endgroup]` gone, a group's body indented under its title, `##[error]` shown as "Error: "; no
  pasted case in the corpus keeps a `##[command]` tag);
- `cut`: that paste stopped just above the runner's "Process completed with exit code N." (people
  paste the error, not the annotation), everything after it gone too;
- `crlf`: Windows line endings;
- `colour`: the first word of each tool line in SGR colour codes, as tools print to a terminal.

Passing cases are left out of `paste` and `cut`: a passing job's `##[error]` annotation (a step with
continue-on-error) reads "Error: …" on the page, as a failed step's does. `cut` leaves out cases whose
only evidence is the exit code itself (a silent kill, curl's exit 7) or a tally that fails only when
the runner's failure line follows it (rules with `checks: [failure-follows]`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.rules import load_rules
from tests.data.real.corpus import Case, load_cases

# Every SAMPLE-th tuning case: a tenth of the corpus keeps the suite fast and still crosses every type.
SAMPLE = 10
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z ?")
_TRAILER = re.compile(r"(?:##\[error\]|Error: )Process completed with exit code \d+")
_FIRST_WORD = re.compile(r"^(\s*)(\S+)")
_PAGE_TAGS = {"##[error]": "Error: ", "##[warning]": "Warning: ", "##[notice]": "Notice: "}


def _paste(text: str) -> str:
    out = []
    grouped = False
    for line in text.splitlines():
        line = _TIMESTAMP.sub("", line)
        if line.startswith("##[endgroup]"):
            grouped = False
        # the run page shows neither the runner's debug lines nor the old "##[section]" markers
        if line.startswith(("##[endgroup]", "##[debug]", "##[section]")):
            continue
        # an annotation reads "Error: …" on the page, inside a group too (a group the log never
        # closed, as an action's "##[group]Install micromamba" before its ##[error] lines)
        for tag, shown in _PAGE_TAGS.items():
            if line.startswith(tag):
                line = shown + line[len(tag) :]
        if grouped:
            line = "  " + line  # the page indents a group's body under its title
        elif line.startswith("##[group]"):
            grouped = True
        line = line.removeprefix("##[group]").removeprefix("##[command]")
        out.append(line)
    return "\n".join(out) + "\n"


def _cut(text: str) -> str:
    lines = _paste(text).splitlines()
    ends = [i for i, line in enumerate(lines) if _TRAILER.search(line)]
    return "\n".join(lines[: ends[-1]] if ends else lines) + "\n"


def _colour(text: str) -> str:
    out = []
    for line in text.splitlines():
        m = _TIMESTAMP.match(line)
        stamp, rest = (line[: m.end()], line[m.end() :]) if m else ("", line)
        if not rest.startswith("##["):
            rest = _FIRST_WORD.sub(lambda w: f"{w[1]}\x1b[1m\x1b[31m{w[2]}\x1b[0m", rest, count=1)
        out.append(stamp + rest)
    return "\n".join(out) + "\n"


FORMS: dict[str, Callable[[str], str]] = {
    "paste": _paste,
    "cut": _cut,
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "colour": _colour,
}
_FAILS_ONLY_WITH_MARKER = {r.id for r in load_rules() if "failure-follows" in r.checks}


def _verdict(path: Path) -> tuple[str | None, dict[str, str], str]:
    findings = analyze_paths([path]).findings
    if not findings:
        return None, {}, ""
    return findings[0].type.value, dict(findings[0].data), findings[0].rule


def _sample() -> list[Case]:
    tuning = [c for c in load_cases() if not c.heldout]
    return tuning[::SAMPLE]


@pytest.mark.slow
@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_verdict_survives_a_change_of_form(form: str, tmp_path: Path) -> None:
    changed: list[str] = []
    for case in _sample():
        if case.passing and form in ("paste", "cut"):
            continue
        text = case.log.read_text(encoding="utf-8")
        tags_only = "##[debug]" in text or "##[error]" not in text
        if form in ("paste", "cut") and tags_only and not _TRAILER.search(text):
            # its failure shows only in the runner's debug lines or its structure (a step's group
            # cut off by the post-job steps), which a paste leaves out
            continue
        was = _verdict(case.log)
        if form == "cut" and ("exit_code" in was[1] or was[2] in _FAILS_ONLY_WITH_MARKER):
            continue
        path = tmp_path / f"{case.slug}.log"
        path.write_bytes(FORMS[form](case.log.read_text(encoding="utf-8")).encode())
        now = _verdict(path)
        if now[:2] != was[:2]:
            changed.append(f"{case.slug}: {was[:2]} -> {now[:2]}")
    assert not changed, "\n".join(changed)
