"""Where a workflow file is wrong, from the runner's own messages about it.

The runner prints a workflow's or an action.yml's problems as "(Line: N, Col: M): …", and names the
file in several ways: on the line above ("Invalid workflow file: x#L1"), run into the page's title,
once after a run of places ("Fail to load …/action.yaml"), or, for a reusable workflow, the caller
quoted under the head. `fill_location` asks here for a `yaml_syntax_error`'s file and line, and
`enrich` for the caller a wrapped permission message of a called workflow leaves above it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.locations import location
from smartmon.diagnose.repo_paths import repo_path

# The runner's message alone, the file named on the line above ("Invalid workflow file: x#L1").
_RUNNER_BARE = re.compile(r"^\s*\(Line: (?P<line>\d+), Col: \d+\)")
# The same message run into the page's title when copied as one line: "Invalid workflow file:
# .github/workflows/x.yml#L1(Line: 24, Col: 13): Unrecognized named-value: 'secrets'. …"
# (PavanMudigonda/html-reporter-github-pages #55): the runner's place, not the anchor, is the line.
_RUNNER_AFTER_ANCHOR = re.compile(r"\.ya?ml#L\d+\]?\S*?\s*\(Line: (?P<line>\d+), Col: \d+\)")
# The workflow file the run page names above the runner's bare "(Line: 3, Col: 1): …" message: "Invalid
# workflow file: .github/workflows/x.yml#L1", "Check failure on line 1 in .github/workflows/x.yml", the
# annotation's "/ .github/workflows/x.yml" title (Comfy-Org/publish-node-action #7).
_WORKFLOW_NAMED = re.compile(
    r"(?:Invalid workflow file: |Check failure on line \d+ in |^\s*/ )(?P<file>\S+\.ya?ml)(?:#L\d+)?\b"
)
# The runner's newer message about a reusable workflow puts the caller, quoted, on the line under the
# head and the called one after "->": 'error parsing called workflow' / '".github/workflows/common.yml"'
# / '-> "owner/ci/.github/workflows/lintr.yml@main"' / ': failed to fetch workflow: …' (pharmaverse/
# sdtm.oak #27, alandtse/CrashLoggerSSE #23). The caller is the file whose `uses:` needs fixing.
_CALLED_HEAD = re.compile(r"error parsing called workflow\s*$")
# The page's head with no anchor at all, the runner's place on the next line: "Invalid workflow file:
# .github/workflows/x.yml" then "(Line: 28, Col: 5): Unexpected value ''" (openvinotoolkit/openvino
# #37043), as with an "#L1" anchor.
_HEAD_UNANCHORED = re.compile(r"Invalid [Ww]orkflow [Ff]ile ?: \S+\.ya?ml\]?(?:\(\S*\))?\s*$")
# Runners before 2.280 printed an action.yml's problems without its path, then named it once:
# "##[error](Line: 25, Col: 18): Unrecognized named-value: 'github'. …" then "##[error]Fail to load
# /home/runner/work/_actions/newrelic/deployment-marker-action/master/action.yaml" (newrelic/deployment-
# marker-action #6; lukka/run-cmake #11; gradle/wrapper-validation-action #10, whose first one has no
# text). The first place of the run just above is the line; the runner's stack trace may sit between.
_LOAD_FAILED = re.compile(r"\bFail(?:ed)? to load \S+\.ya?ml\s*$")
_PLACE_ABOVE = re.compile(r"^\s*(?:##\[error\]|Error: )?\(Line: (?P<line>\d+), Col: \d+\)")
_RUNNER_TRACE = re.compile(
    r"^\s*(?:##\[error\]|Error: )?(?:at GitHub\.|System\.\w+Exception|GitHub\.DistributedTask\.)"
)
# Runners of 2021 printed a job's strategy or value error with the place but no file: "Error when
# evaluating 'strategy' for job 'split_monorepo'. (Line: 66, Col: 26): Matrix vector 'package' does
# not contain any values" (GatoGraphQL/GatoGraphQL PR #317); the file is the run's, the line is this.
_EVALUATING_BARE = re.compile(
    r"Error when evaluating '[\w-]+'(?: for job '[^']*')?\. \(Line: (?P<line>\d+), Col: \d+\)"
)
_CALLER_BELOW = re.compile(r'^\s*"(?:\./)?(?P<file>[^"\s@]+\.ya?ml)"\s*$')
# The workflow parser's own message names no file either: the annotation's title above it does,
# "GitHub Actions" / "/ .github/workflows/checkin.yml" / "Invalid workflow file" / "You have an error
# in your yaml syntax on line 11" (hbstarjason/glados-checkin #1; ScottBrenner/cfn-lint-action #15).
_PARSER_BARE = re.compile(r"^\s*(?:##\[error\]|Error: )?You have an error in your yaml syntax\b")
# A called workflow's permission message wrapped where it was pasted names its place at the head, a
# few lines above the "is requesting" line: ".github/workflows/release-stable.yml (Line: 536, Col: 3):
# Error calling workflow" (microsoft/hve-core #2423), or only the page's "Invalid workflow file:
# .github/workflows/main.yml#L32" (microsoft/edge-ai #596). An "#L1" anchor is the page's, not a place.
_REQUEST_BARE = re.compile(r"^\s*(?:(?:The )?(?:nested job '[^']+'|workflow) )?is requesting '")
_CALL_PLACE = re.compile(
    r"(?P<file>[^\s(]+\.ya?ml) \(Line: (?P<line>\d+), Col: \d+\): Error calling workflow\b"
)
_ANCHORED_HEAD = re.compile(
    r"Invalid [Ww]orkflow [Ff]ile ?: (?P<file>\S+\.ya?ml)#L(?P<line>[2-9]|\d\d+)\b"
)


def _first_place_above(before: Sequence[str]) -> str | None:
    """The line of the first bare runner place in the run of errors just above a "Fail to load"."""
    first = None
    for text in reversed(before[-40:]):
        m = _PLACE_ABOVE.match(text)
        if m:
            first = m.group("line")
        elif not _RUNNER_TRACE.match(text):
            break
    return first


def fill_workflow_place(
    out: dict[str, str], text: str, before: Sequence[str], after: Sequence[str], cwd: str
) -> None:
    """A workflow error's line from the runner's place, and the caller a reusable workflow names."""
    inline = _RUNNER_AFTER_ANCHOR.search(text)
    evaluating = None if "line" in out else _EVALUATING_BARE.search(text)
    if inline:
        out["line"] = inline.group("line")
    elif "line" not in out and _LOAD_FAILED.search(text):
        place = _first_place_above(before)
        if place:
            out["line"] = place
    elif evaluating:
        out["line"] = evaluating.group("line")
    elif after and (
        out.get("line") == "1" or ("line" not in out and _HEAD_UNANCHORED.search(text))
    ):
        # The run page anchors "Invalid workflow file: x#L1" at the top; the runner's message on
        # the next line has the real place: "(Line: 33, Col: 13): Unexpected symbol: …".
        below = next((t for t in after[:2] if t.strip()), "")
        bare = _RUNNER_BARE.match(below)
        named = location(below)
        if bare:
            out["line"] = bare.group("line")
        elif named and named[0] == out.get("file"):
            out["line"] = named[1]
    if "file" not in out and _CALLED_HEAD.search(text):
        caller = next((_CALLER_BELOW.match(t) for t in after[:2] if t.strip()), None)
        if caller:
            out["file"] = repo_path(caller.group("file"), cwd) or caller.group("file")


def named_workflow(text: str, before: Sequence[str], cwd: str) -> str | None:
    """The workflow file the page names above the runner's bare "(Line: 3, Col: 1): …" message, or
    above the parser's "You have an error in your yaml syntax …"."""
    if not (_RUNNER_BARE.match(text) or _PARSER_BARE.match(text)):
        return None
    for prev in reversed(before):
        m = _WORKFLOW_NAMED.search(prev)
        workflow = repo_path(m.group("file"), cwd) if m else None
        if workflow:
            return workflow
    return None


def fill_request_place(out: dict[str, str], text: str, before: Sequence[str], cwd: str) -> None:
    """The caller's file and line for a called workflow's permission message pasted without them."""
    if "file" in out or not _REQUEST_BARE.match(text):
        return
    for prev in reversed(before[-4:]):
        m = _CALL_PLACE.search(prev) or _ANCHORED_HEAD.search(prev)
        if m:
            out["file"] = repo_path(m.group("file"), cwd) or m.group("file")
            out["line"] = m.group("line")
            return
