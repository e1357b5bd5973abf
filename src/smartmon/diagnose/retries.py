"""Errors a tool retried past: it said it would try again, then that the work succeeded.

pip, curl, the runner's own set-up, @actions/toolkit, Composer and others announce a retry; a wait
loop polls a database until it answers. The hit before such a success is no cause (`settle.py`).
`succeeded` and `AFTER_FAILURE_STEP` are shared with settle's other checks.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER

# A tool that says it is trying again: pip "Retrying (Retry(total=4, …))", @actions/artifact
# "Exponential backoff for retry #1", curl "Will retry in 1 seconds. 3 retries left.", npm/yarn
# "retrying", gradle "Attempt 2 of 3", Composer's fallback from a dist (_FALLBACK).
# pip before 21 falls back from a wheel it could not build to `setup.py install`: "Failed building
# wheel for pyrfr" / "Running setup.py install for pyrfr ... done" (pip -v and non-tty: "Running
# setup.py install for pyrfr: finished with status 'done'"), then "Successfully installed …"
# (automl/SMAC3 #294, giampaolo/psutil #721). emsdk asks for a release's .tar.xz first and, on a 404,
# fetches the older archive: "Downloading: <path>/wasm-binaries.tbz2 from https://…" then "Done
# installing tool …" (emscripten-core/emscripten #23117). Only the fallback that worked counts.
_FALLBACK = (
    r"^\s*Now trying to download from source\b"
    r"|^\s*Running setup\.py install for [\w.-]+(?: \.\.\. |: finished with status ')done\b"
    r"|^(?:#\d+ [\d.]+ )?Downloading: \S+ from https?://"
)
_RETRY = re.compile(
    r"(?i)\bretr(?:y|ying|ies|ied)\b|\bback(?:ing )?off\b|\btrying again\b|\battempt \d+ (?:of|/) \d+|"
    + _FALLBACK
)
# The hit's own line may announce the retry (pip's "WARNING: Retrying (Retry(total=0, …)) after
# connection broken by …"); "Max retries exceeded" is the end of retrying, not an announcement.
# The waits clients announce before an attempt that prints nothing when it works: @actions/toolkit
# (actions/checkout) "Waiting 13 seconds before trying again"; curl --retry "Warning: Problem :
# timeout. Will retry in 3 seconds. 3 retries left." (curl 7.x "Transient problem: … Will retry in 1
# seconds."), the runner's "Docker pull failed with exit code 1, back off 5.965 seconds before retry."
# and "Warning: Back off 16.985 seconds before retry." between its tries at downloading an action;
# Composer's "Failed to download x from dist: … (HTTP/2 502)" / "Now trying to download from source".
_RETRY_WAIT = re.compile(r"Waiting \d+ seconds before trying again|" + _FALLBACK)
_CLIENT_RETRY_WAIT = re.compile(
    r"Will retry in \d+ seconds?\b|[Bb]ack off [\d.]+ seconds before retry"
)
_ANNOUNCES_RETRY = re.compile(r"(?i)\bretrying\b|\bwill retry\b|\bbacking off\b|\btrying again\b")
# A line that says some work succeeded; one that also speaks of a failure does not count
# ("3 passed, 1 failed", "finished with errors"). docker pull ends "Status: Downloaded newer image
# for redis:7" or "Status: Image is up to date for redis:7"; mocha's tally, "  312 passing (2m)" (its
# "1 failing" is a line of its own, under it). The runner's own set-up retry ends in
# the download it was retrying: "Failed to resolve action download info. Error: Service Unavailable"
# / "Retrying in 22.535 seconds" / "Download action repository 'actions/checkout@v4' (SHA:…)"
# (googleapis/google-cloud-java #12055 shows the retry). softprops/action-gh-release retries a
# create that raced another job ("⚠️ GitHub release failed with status: 422" / its errors as JSON /
# "retrying... (2 retries remaining)"), updates the release that now exists and ends "🎉 Release
# ready at https://github.com/…/releases/tag/v1.2.0" (its src/github.ts).
# The runner's v1 artifact plugin: "1 files download succeed after retry." / "File upload complete
# after retry." (actions/runner FileContainerServer.cs).
_SUCCEEDED = re.compile(
    r"(?i)\bsuccess(?:ful(?:ly)?)?\b|\bsucceeded\b|\bpassed\b|\bfinished\b|\bdone\b|[✓✔]"
    r"|\bready at https?://"
    r"|\bcompleted\b(?! with exit code)|^ok\s+\S+\s+(?:[\d.]+s|\(cached\))|^\s*\d+ passing \(\d"
    r"|^Status: (?:Downloaded newer image|Image is up to date) for \S"
    r"|^Download (?:action repository|immutable action package) '"
    r"|\b(?:download succeed|upload complete) after retry\b"
    r"|^\s*Restored \S+ \(in [\d.]+ m?sec\)\."
)
_FAILURE_WORDS = re.compile(
    r"(?i)\bfail|\berror|\bdenied\b|\bunable\b|\bcannot\b|\bfatal\b|\bnot found\b|[✗✘✖]"
)
# Steps that run after a failure by design (`if: always()` / `failure()`): logging out, cleaning
# up, uploading logs and reports. One of them running says nothing about whether the job went on.
AFTER_FAILURE_STEP = re.compile(
    r"(?i)log ?out|clean ?up|tear ?down|\bstop\b|\bkill\b|upload|artifact|report|notif|slack"
    r"|summary|\bdump|\bprint|\bshow\b|\bcat\b|\btail\b|collect|archive|always\(\)|failure\(\)"
    r"|\bsave\b|\blogs?\b|debug|diagnos|comment|annotat|results\b"
)


def succeeded(line: str) -> bool:
    return bool(_SUCCEEDED.search(line)) and not _FAILURE_WORDS.search(line)


# NuGet announces the retry on the line above the socket error it retries ("Retrying
# 'FindPackagesByIdAsync' for source 'https://api.nuget.org/v3-flatcontainer/x/index.json'." over
# "Name or service not known (api.nuget.org:443)") and ends "Restored /…/App.csproj (in 12.3 sec)."
# (NuGet/Home #6140).
_NUGET_RETRY = re.compile(r"^\s*Retrying '\w+' for source '")


def retried(hit: Hit) -> bool:
    """The tool said it would try again after the hit (NuGet: on the line above), then that the work
    succeeded."""
    above = [line for line in hit.before[-2:] if line.strip()]
    retrying = bool(_ANNOUNCES_RETRY.search(hit.text)) or bool(
        above and _NUGET_RETRY.match(above[-1])
    )
    for i, line in enumerate(hit.after):
        if line.startswith(("##[error]", "Error: ")):
            return False  # failed after all
        if line.startswith("##[group]Run ") or STEP_HEADER.match(line):
            # actions/checkout's retry ("Waiting 13 seconds before trying again") and curl's print
            # no success line: the next step beginning with no failure line in between is their
            # success (for curl, unless that step runs after a failure: `if: always()`)
            seen = hit.after[:i]
            if any(_RETRY_WAIT.search(w) for w in seen):
                return retrying
            return (
                retrying
                and any(_CLIENT_RETRY_WAIT.search(w) for w in seen)
                and not AFTER_FAILURE_STEP.search(line)
            )
        if retrying and succeeded(line):
            return True
        retrying = retrying or bool(_RETRY.search(line))
    return False


# A wait loop that polls a database or cache until it answers: libpq and psql refused while the
# container starts, then pg_isready's "localhost:5432 - accepting connections", the server's own
# "database system is ready to accept connections" / mysqld's "ready for connections", mysqladmin's
# "mysqld is alive", redis-cli's "PONG", or the script's "Postgres is up" (tests/data/real/cases/
# passing-init-db-postgres-refused-until-ready.log). The refusals before it are no cause; libpq's own
# hint ("Is the server running locally and accepting connections on that socket?") is not an answer.
_SERVICE_UP = re.compile(
    r"(?i) - accepting connections\s*$|ready (?:to accept|for) connections|\bmysqld is alive\b"
    r"|^\s*PONG\s*$|\b(?:postgres(?:ql)?|mysql|mariadb|redis|mongo(?:db)?|database|db) is (?:up|ready)\b"
    # Docker Compose's own verdict on a later attempt: " Container app-db-1  Healthy".
    r"|^\s*Container \S+\s+Healthy\s*$"
)


def service_came_up(hit: Hit) -> bool:
    """A database or cache refused the client, and then, before any failure, came up."""
    if "service-came-up" not in hit.rule.checks:
        return False
    for line in hit.after:
        if line.startswith(("##[error]", "Error: ")):
            return False
        if _SERVICE_UP.search(line):
            return True
    return False
