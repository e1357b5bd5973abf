"""What a paste put around a job log's lines, taken off again.

People paste failed jobs into issue threads with markdown code fences and quote markers, the log
viewer's line numbers (plain or as links), `gh run view --log`'s job and step names, nektos/act's job
prefixes (`act_output.py`), a docs host's clock, the page's titles copied as links, colour codes that
lost their ESC byte, the run page's annotations box and its old `[error]` tags. `paste_cleaned` undoes those on a small input only (at
most PASTE_MAX), keeping the line count so line numbers hold; a log of any size is never read line
by line here (logs.py calls this for small inputs only).
"""

from __future__ import annotations

import itertools
import re

from smartmon.diagnose.act_output import act_cleaned, is_act_output

# A paste from an issue thread is small: it alone is read line by line, to take off what the paste
# added around the log's lines (never a log of any size, whose lines are the runner's own).
PASTE_MAX = 256 << 10
# SGR codes whose ESC byte the paste lost ("[31mError[0m", "[1;31m"), and erase-line "[2K"; always
# with a number, so "[modernize-use-nullptr]", "[Kotlin]", "[5m]" and VSTest's "[134ms]" stay.
_BARE_SGR = re.compile(rb"\[\d{1,3}(?:;\d{1,3})*m(?!s?\])|\[[012]K(?!\])")
# A quoted URL that a paste wrapped over lines: "Could not PUT 'https://central.sonatype.com/repository/
# maven-snapshots/" / "app/cash/…/-androidnativearm32-2.4.0-20260821.180125-86.klib'. Received status
# code 403 from server: Forbidden" (sqldelight/sqldelight #6339). A line ending inside a quoted URL is
# joined with the lines that go on with the URL's characters alone, at the margin, up to the quote
# that closes it: the message is one line again.
_URL_CHARS = rb"[\w.~%+=&?#:;@!$*,/()\[\]-]"
_OPEN_URL = re.compile(rb"'https?://" + _URL_CHARS + rb"*$")
_URL_GOES_ON = re.compile(rb"^" + _URL_CHARS + rb"*(?=')|^" + _URL_CHARS + rb"+$")
_URL_LINES = 4
# A markdown quote marker ("> " before every line of a quoted paste; one level: npm's own
# "> pkg@1.0.0 test" prompt inside a quote stays).
_QUOTE = re.compile(rb"^ {0,3}> ?")
# The log viewer's line number copied with its line ("12  ERROR: ...", "12\tERROR: ...", or the
# number alone on its own line), and a markdown code fence ("```", "```text", "~~~").
_NUMBERED = re.compile(rb"^ {0,6}(\d{1,6})(?P<sep>[ \t]+|$)")
# The log viewer's line number as a markdown editor pastes it, a link before the line's text
# ("[10](https://github.com/o/r/actions/runs/1/job/2#step:4:11)fatal: detected dubious ownership"),
# and a number inside a line linked the same way ("npm@[5](…#step:4:6)": the number stays).
_LINKED_NUMBER = re.compile(rb"(?m)^ {0,3}\[\d{1,7}\]\(https?://[^()\s]*#step:\d+:\d+\)")
_LINKED_INLINE = re.compile(rb"\[(\d{1,7})\]\(https?://[^()\s]*#step:\d+:\d+\)")
# A run page's title copied as the link the page made of it: "[Invalid workflow file:
# .github/workflows/ci.yml#L10](https://github.com/o/r/actions/runs/1967062695/workflow)"
# (devstream-io/devstream #305, dfinity/examples PR #433), and a pull request's annotation, "[Check
# failure on line 25 in Dockerfile](https://github.com/o/r/pull/16/files#annotation_70470867753)":
# the text stays, the link goes.
_LINKED_RUN_TEXT = re.compile(
    rb"\[([^\[\]\n]{1,300})\]\(https?://github\.com/[^()\s]*/"
    rb"(?:actions/runs/\d+|pull/\d+/files#annotation_\d+)[^()\s]*\)"
)
# The early web page's error and warning lines ("[error]Input required and not supplied: GITHUB_TOKEN",
# "[error]Node run failed with exit code 1", actions/create-release#36): today's page says "Error: ".
_OLD_PAGE_TAG = re.compile(rb"(?m)^\[(error|warning)\](?=\S)")
# The run page's annotations box as people paste it: "build: Process completed with exit code 1.", or
# the job's name on a line of its own above "Process completed with exit code 1."; the page's own
# form of that line is "Error: Process completed with exit code 1.".
_ANNOTATION_EXIT = re.compile(
    rb"(?m)^(?:[^\s:#][^:\n]{0,200}: )?(?=Process completed with exit code \d+\.?\s*$)"
)
# The same box shows an action's failure, @actions/exec's sentence, bare too: "The process
# '/usr/bin/git' failed with exit code 1" (Loyalsoldier/v2ray-rules-dat #276, dorny/paths-filter
# #24, arichornlover/uYouEnhanced #602); its page line is "Error: The process …". Only a line of its
# own at the margin, and not @actions/toolkit's retry note, which the next line follows with "Waiting
# 13 seconds before trying again" (actions/checkout; a paste may lose the group's indentation); a
# warning keeps its own words before it ("Failed to save: …"). An action's own error sentence around
# that one is an error too: JamesIves/github-pages-deploy-action's "There was an error creating the
# worktree: The process '/usr/bin/git' failed with exit code 128" (gcapes/git-course #129), "There was
# an error initializing the repository: … ❌" (JamesIves/github-pages-deploy-action #1229), behind its
# "The deploy step encountered an error: " (#1626), which also stands right before @actions/exec's
# sentence when the failed git call had no message of the action's own (RConsortium/rtrs-wg #79).
# The action ends every error it throws with " ❌" (its worktree.ts and git.ts); other programs log
# "There was an error <doing>: …" and go on, so without the action's prefix or mark the sentence
# counts only as the paste's last line (the annotations box copied alone: review rev51).
_ANNOTATION_PROCESS = re.compile(
    rb"(?m)^(?=(?:The deploy step encountered an error: (?:There was an error [a-z][^:\n]{0,80}: )?"
    rb"|There was an error [a-z][^:\n]{0,80}: (?=[^\n]*\xe2\x9d\x8c|[^\n]*\n?\s*\Z))?"
    rb"The process '[^'\n]+' failed with exit code -?\d+(?: \xe2\x9d\x8c)*[ \t\r]*$"
    rb"(?!\n\s*Waiting \d+ seconds before trying again))"
)
# The runner's refusal of a step's file command, as the annotations box shows it without "Error: ":
# "Unable to process file command 'output' successfully." (Smana/cloud-native-ref #552; the page line
# "Error: Unable to process file command 'env' successfully.", IAGA-DVI-DataStandards/mth5 #282).
_ANNOTATION_FILE_COMMAND = re.compile(
    rb"(?m)^(?=Unable to process file command '\w+' successfully\.?[ \t\r]*$)"
)
# The run page's annotations box headed by warnings alone ("Annotations" / "1 warning" / the job's
# name / the message) lists notices, each copied bare: the ubuntu-18.04 image's deprecation sentence
# under a job that succeeded (mkdocs build, issue 12's passing cases), "Requested labels: …". Up to
# the box's end (an empty line), each line is written as the page's warning line, "Warning: …".
_WARNINGS_BOX = re.compile(rb"(?m)^Annotations[ \t]*\r?\n[ \t]*\d+ warnings?[ \t]*\r?$")
_TAGGED = re.compile(rb"^\s*(?:Warning|Error|Notice): ")
# The page indents what a `##[group]` holds by two spaces, its failure marker too: actions/checkout's
# "  Error: The process '/usr/bin/git' failed with exit code 1" after its retries (actions/checkout#391).
# A thread that quotes the marker under its own words often keeps one stray space before it ("the log
# error:\n Error: Codecov: Failed to properly upload: …", jdiasn/lidarwind PR #50).
_GROUPED_ERROR = re.compile(rb"(?m)^ {1,2}(?=Error: \S)")
_FENCE = re.compile(rb"^ {0,3}(?:`{3,}|~{3,})[\w+-]*\s*$")
# A linter's "stylish" report pasted from its start: the file alone, then its rows indented
# ("src/app.js" / "  12:5  error  …", eslint; ".github/workflows/ci.yml" / "  12:1  error  …
# (indentation)", yamllint's standard format). The rows' indentation is their shape: kept.
_FILE_HEADER = re.compile(rb"^\s*(?:[A-Za-z]:)?[\w.~@+\\/-]*[\w-]\.[A-Za-z]\w{0,9}\s*$")
_STYLISH_ROW = re.compile(rb"^\s+\d+:\d+\s+\S")
# `gh run view --log` / `--log-failed` puts the job's and the step's names before each runner line,
# tab-separated: "test (ubuntu-latest, 3.12)\tRun pytest\t2024-05-02T10:11:12.1234567Z FAILED …"
# (cli/cli's run view; "UNKNOWN STEP" where it could not tell).
_GH_RUN_LOG = re.compile(rb"^[^\t\n]{1,300}\t[^\t\n]{1,300}\t(?=\d{4}-\d\d-\d\dT\d\d:\d\d)")
# The clock a docs host's build log puts before each line, copied with it: Vercel's "12:01:26.483
# [ERROR] Client bundle compiled with errors …" (deepset-ai/haystack PR #10470), Netlify's "6:34:54 PM:
# [ERROR] …" (dagger/dagger #13384).
_HOST_CLOCK = re.compile(rb"^\d{1,2}:\d\d:\d\d(?:\.\d{1,3}| [AP]M:)? ")
# BuildKit's failure summary repeats the failed step's last lines with their seconds but without the
# step's "#12 " (which anchors.py sees past): " > [6/9] RUN npm install:" then "319.9 npm error gyp
# ERR! stack Error: not found: make" up to "------" (jo-inc/camofox-browser #2812). People paste that
# summary alone; its prefix is taken off when the summary's frame is there or most lines carry it.
# RubyGems indents its reasons with a tab: "14.92 \tbundler requires Ruby version >= 3.0.0. …"
# (apache/arrow #39421). Docker Compose and older docker CLIs end the build with "failed to solve: …"
# without buildx's "ERROR: ".
_BUILDKIT_SECONDS = re.compile(rb"^\d{1,5}\.\d{1,3} (?=\S|\t)")
_BUILDKIT_SUMMARY = re.compile(
    rb"(?m)^ > \[[^\]\n]+\] [^\n]*:\s*$|^(?:ERROR: )?failed to (?:build|solve): "
)
# A downloaded log's own tags: the runner's `##[group]`, `##[endgroup]`, `##[command]`, `##[error]`,
# `##[warning]`, `##[notice]` (`##[section]` on old runners), which the web page renders (a fold, a
# coloured command, "Error: …") and never shows; or any `##[` tag after the runner's timestamp, which
# every downloaded line has and the page's lines lack. With step debug logging on, the page shows
# `##[debug]` lines (and `##[add-matcher]`) as they are, beside its "Error: …" lines and without
# timestamps: "Error: Resource not accessible by integration" over "##[debug]Node Action run
# completed with exit code 1" (sudojia/AutoTaskScript #11, its step links copied with it), "Error:
# Process completed with exit code 2." between "##[debug]Starting: …" and "##[debug]Finishing: …"
# (azat-io/actions-up #44), a whole job page with its "4s" step durations, "##[add-matcher]/home/
# runner/work/_actions/actions/setup-node/v4/.github/tsc.json" and bare "Run npm ci" headers
# (noisycontents/daily-cx-report). Downloaded, the same lines read "2024-08-26T04:12:39.0549314Z
# ##[debug]Docker Action run completed with exit code 1" (pypi/warehouse #16569). So `##[debug]`
# lines alone do not make a paste a downloaded log.
DOWNLOAD_TAGS = (
    rb"##\[(?:group|endgroup|command|error|warning|notice|section)\]"
    rb"|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z ##\["
)
_DOWNLOAD_TAG = re.compile(DOWNLOAD_TAGS)
# A marker on this share of a paste's non-empty lines is the paste's, not the log's.
_PASTE_SHARE = 0.6
# CodeQL's build tracer relays the build it runs with its clock and a tag before each line, inside
# the action's indented output: "  [2023-02-28 09:07:22] [autobuild] > Task :compileJava FAILED" (the
# Java autobuilder; github/codeql-action #1417, github/codeql #10040), the CLI's "[build-stdout] " /
# "[build-stderr] " and, run by hand, "[build] " before it (github/codeql-cli-binaries #3). The build
# tool's own line starts after the last tag; a runner's timestamp before it stays.
_CODEQL_BUILD = re.compile(
    rb"(?m)(?P<lead>^|(?<=\S) )[ \t]*"
    rb"(?:\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] \[(?:autobuild|build|build-stdout|build-stderr)\] )+"
)


def paste_cleaned(data: bytes) -> bytes:
    """A pasted excerpt (at most PASTE_MAX) without what the paste put around the log's lines:
    markdown code fences and quote markers, the log viewer's line numbers, SGR codes that lost
    their ESC byte; and writes the run page's annotations box and its early `[error]` lines as
    today's page does ("Error: …"). The line count is kept (a fence becomes an empty line), so
    line numbers hold. A downloaded log (timestamps, `##[` tags) is left as it is."""
    if len(data) > PASTE_MAX:
        return data
    if b"] [autobuild] " in data or b"] [build" in data:
        data = _CODEQL_BUILD.sub(rb"\g<lead>", data)
    if b"[" in data:
        data = _BARE_SGR.sub(b"", data)
        if b"#step:" in data:
            data = _LINKED_INLINE.sub(rb"\1", _LINKED_NUMBER.sub(b"", data))
        if b"/actions/runs/" in data or b"#annotation_" in data:
            data = _LINKED_RUN_TEXT.sub(rb"\1", data)
    lines = data.split(b"\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return data
    changed = False
    quoted = [i for i in filled if _QUOTE.match(lines[i])]
    if len(quoted) >= _PASTE_SHARE * len(filled):
        for i in quoted:
            lines[i] = _QUOTE.sub(b"", lines[i], count=1)
        changed = True
    was_quoted = changed
    if any(_FENCE.match(lines[i]) for i in filled):
        for i in filled:
            if _FENCE.match(lines[i]):
                lines[i] = b""
                changed = True
        filled = [i for i in filled if lines[i].strip()]
    indents = [len(lines[i]) - len(lines[i].lstrip(b" \t")) for i in filled]
    # One quoted line keeps no indentation of its own: ">    Error: …" is a code block in a quote
    # (FOME-Tech/fome-fw PR #535). A lone line pasted indented keeps it ("  X Test [134ms]").
    common = min(indents[1:], default=indents[0] if was_quoted and indents else 0)
    if (
        len(filled) > 1
        and indents[0] < common
        and _FILE_HEADER.match(lines[filled[0]])
        and _STYLISH_ROW.match(lines[filled[1]])
    ):
        common = indents[0]
    if common >= 2 and indents[0] <= common:
        # Every line indented alike, bar perhaps the first (pasted into an issue form's block
        # after its first line: "##[debug]Resolving …" / "  Error: Process completed …").
        for i in filled:
            lines[i] = lines[i][min(common, len(lines[i]) - len(lines[i].lstrip(b" \t"))) :]
        changed = True
    elif len(filled) > 1 and min(indents) == 1 and all(lines[i][:1] == b" " for i in filled):
        # A one-space margin on every line is the paste's, not the log's (" tar: out: Cannot open: No
        # such file or directory" / " Error: Process completed with exit code 2.").
        for i in filled:
            lines[i] = lines[i][1:]
        changed = True
    if b"\t" in data:
        prefixed = [i for i in filled if _GH_RUN_LOG.match(lines[i])]
        if len(prefixed) >= _PASTE_SHARE * len(filled):
            for i in prefixed:
                lines[i] = _GH_RUN_LOG.sub(b"", lines[i], count=1)
            changed = True
    if b"] " in data and is_act_output(lines, filled):
        act_cleaned(lines, filled)
        changed = True
    clocked = [i for i in filled if _HOST_CLOCK.match(lines[i])]
    if len(clocked) >= max(2, _PASTE_SHARE * len(filled)):
        for i in clocked:
            lines[i] = _HOST_CLOCK.sub(b"", lines[i], count=1)
        changed = True
    timed = [i for i in filled if _BUILDKIT_SECONDS.match(lines[i])]
    if timed and (len(timed) >= _PASTE_SHARE * len(filled) or _BUILDKIT_SUMMARY.search(data)):
        for i in timed:
            lines[i] = _BUILDKIT_SECONDS.sub(b"", lines[i], count=1)
        changed = True
        filled = [i for i in filled if lines[i].strip()]
    numbered = [(i, m) for i in filled if (m := _NUMBERED.match(lines[i]))]
    alone = _alternating_numbers(lines, filled, numbered)
    most = len(numbered) >= max(3, _PASTE_SHARE * len(filled))
    if alone and not most:
        for i in alone:
            lines[i] = b""
        changed = True
    elif most and _counting_up([int(m.group(1)) for _, m in numbered]):
        # The narrowest separator is the viewer's; more is the line's own indentation.
        sep = min((len(m["sep"]) for _, m in numbered if m["sep"]), default=0)
        for i, m in numbered:
            lines[i] = lines[i][m.start("sep") + min(sep, len(m["sep"])) :]
        changed = True
    if b"'http" in data and _urls_joined(lines, filled):
        changed = True
    if changed:
        data = b"\n".join(lines)
    if b"Annotations" in data:
        data = _warnings_marked(data)
    if b"Process completed with exit code" in data:
        data = _ANNOTATION_EXIT.sub(b"Error: ", data)
    if b"The process '" in data:
        data = _ANNOTATION_PROCESS.sub(b"Error: ", data)
    if b"Unable to process file command" in data:
        data = _ANNOTATION_FILE_COMMAND.sub(b"Error: ", data)
    if b"##[" not in data or _DOWNLOAD_TAG.search(data) is None:
        if b"[error]" in data or b"[warning]" in data:
            data = _OLD_PAGE_TAG.sub(lambda m: m.group(1).capitalize() + b": ", data)
        if b" Error: " in data:
            data = _GROUPED_ERROR.sub(b"", data)
    return data


# The viewer's numbers copied each on a line of its own above its line's text, so that they make up
# only about half of the paste ("Traceback (most recent call last):" / "15" / '  File "…/bin/main",
# line 298, in <module>' / "16" / "    raise SystemExit(main())", pre-commit/pre-commit #3290): a run
# of consecutive numbers, each followed by a line that is not one, is the viewer's.
_ALTERNATE_SHARE = 0.4


def _alternating_numbers(
    lines: list[bytes], filled: list[int], numbered: list[tuple[int, re.Match[bytes]]]
) -> list[int]:
    """The lines holding only a viewer's line number between a paste's lines, else none."""
    alone = [(i, int(m.group(1))) for i, m in numbered if not m["sep"]]
    if len(alone) < max(3, _ALTERNATE_SHARE * len(filled)):
        return []
    bare = {i for i, _ in alone}
    followed = all(i + 1 < len(lines) and i + 1 not in bare for i, _ in alone[:-1])
    if not followed or not _counting_up([n for _, n in alone]):
        return []
    return [i for i, _ in alone]


def _counting_up(numbers: list[int]) -> bool:
    """Most neighbours count up by one, as the log viewer's line numbers do."""
    steps = sum(1 for a, b in itertools.pairwise(numbers) if b == a + 1)
    return steps >= _PASTE_SHARE * (len(numbers) - 1)


def _warnings_marked(data: bytes) -> bytes:
    """The lines of an annotations box headed by warnings alone, as the page's warning lines."""
    box = _WARNINGS_BOX.search(data)
    if box is None:
        return data
    lines = data[box.end() :].split(b"\n")
    for i, line in enumerate(lines):
        if i and not line.strip():
            break
        if line.strip() and not _TAGGED.match(line):
            lines[i] = b"Warning: " + line
    return data[: box.end()] + b"\n".join(lines)


def _urls_joined(lines: list[bytes], filled: list[int]) -> bool:
    """Join each quoted URL wrapped over lines back into its first line (the rest left empty)."""
    joined = False
    for i in filled:
        line = lines[i].rstrip(b" \t\r")
        if not line or _OPEN_URL.search(line) is None:
            continue
        pieces: list[bytes] = []
        for j in range(i + 1, min(i + 1 + _URL_LINES, len(lines))):
            piece = lines[j].rstrip(b" \t\r")
            goes_on = _URL_GOES_ON.match(piece)
            if goes_on is None:
                break
            pieces.append(piece)
            if piece[goes_on.end() :].startswith(b"'"):
                lines[i] = line + b"".join(pieces)
                lines[i + 1 : j + 1] = [b""] * (j - i)
                joined = True
                break
    return joined
