"""A link checker's dead links that are all a server's refusal to answer now, not a dead page.

markdown-link-check lists the dead links under its tally, "ERROR: 2 dead links found!" then
"  [✖] https://… → Status: 429" (tcort/markdown-link-check's CLI; github-action-markdown-link-check
runs it). 429 is the host rate-limiting the checker ("Link checker fails due to 429 Too Many
requests", NLeSC/python-template #298; mongodb/mongo-go-driver PR #2181 retries it with the tool's
`retryOn429`), and 0 is no answer at all (tcort/link-check reports `res ? res.statusCode : 0`). A
run whose every listed status is one of the two, a 429 among them, failed on the network; one 404
or 5xx among them is a dead link the lint rule reports, and so is a `[✖]` link that no row gives a
status (a relative link to a file that is not there, "[✖] ./setup.md"; the file's own listing names
the others without one above the tally's "[✖] … → Status: 429"). Only the `[✖]` rows count: verbose
mode also lists the live links, "[✓] … → Status: 200".
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STAMP_PREFIX, STEP_HEADER

_DEAD_ROW = re.compile(
    r"^(?:" + STAMP_PREFIX + r")?\s*\[✖\]\s+(?P<link>\S+)(?:\s+→ Status: (?P<status>\d+))?\s*$"
)
_NO_PAGE_VERDICT = frozenset({"429", "0"})


def _rows(lines: tuple[str, ...] | list[str]) -> dict[str, set[str]]:
    """The `[✖]` rows in `lines`, up to the first step header: each link's statuses ("" for none)."""
    rows: dict[str, set[str]] = {}
    for line in lines:
        if STEP_HEADER.match(line):
            break
        m = _DEAD_ROW.match(line)
        if m:
            rows.setdefault(m["link"], set()).add(m["status"] or "")
    return rows


def other_status_listed(hit: Hit) -> bool:
    """A rule with `checks: [dead-links-all-refused]` whose step lists a dead link with a status
    other than 429 or 0 (a page that answered 404 or 5xx), or with none at all: the links are dead,
    not rate-limited."""
    if "dead-links-all-refused" not in hit.rule.checks:
        return False
    rows = _rows(list(reversed(hit.before)))
    for link, statuses in [*_rows([hit.text]).items(), *_rows(hit.after).items()]:
        rows.setdefault(link, set()).update(statuses)
    # A link listed without a status is dead only where no row gives it one.
    return any(
        any(status not in _NO_PAGE_VERDICT for status in statuses if status) or statuses == {""}
        for statuses in rows.values()
    )
