"""The real-log corpus (tests/data/real/): labels are well formed, the split holds, scores never fall.

The floors below are the scores measured when they were last raised (see tests/data/real/README.md);
a change that loses a case on either side fails here. The held-out part is never tuned on: when it
drops, the fix is a more general rule, written against a tuning case of the same kind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smartmon.model import DATA_KEYS, IssueType
from tests.data.real.corpus import Case, load_cases, score, where

CASES = load_cases()
# Floors: (top-1 type, facts) per side, as measured on 2026-12-07 at the end of issue 12's seventeenth
# pass (tuning 3284/3442 and 1483/1518, most misses kept from the sampled waves: lines that do not
# show their cause, or writers' labels the catalog reasons otherwise; held-out, scored at the end of
# the pass, totals only: 102/105 and 67/70), and the false alarms on passing jobs: none held out; one
# in the tuning part, an action that printed `##[error]HttpError: Not Found` twice and then "All
# dependencies have been resolved!" in a job that passed (no rule for one action's summary).
TUNING_FLOOR = (0.953, 0.976)
HELDOUT_FLOOR: tuple[float, float] | None = (0.971, 0.957)
FALSE_ALARMS_AT_MOST = {"tuning": 1, "held-out": 0}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
def test_label_is_well_formed(case: Case) -> None:
    label = case.label
    assert re.fullmatch(
        r"https://github\.com/[\w.-]+/[\w.-]+/(issues|pull|discussions)/\d+\S*", label["source"]
    )
    assert re.fullmatch(r"[\w.-]+/[\w.-]+", label["repo"])
    assert label["source"].lower().startswith(f"https://github.com/{case.repo}/")
    assert label["form"] in ("downloaded", "pasted")
    if case.passing:
        assert "type" not in label or not label["type"]
    else:
        IssueType(label["type"])
        assert set(label.get("data") or {}) <= DATA_KEYS
    text = case.log.read_text(encoding="utf-8")
    assert text.strip(), "an empty log proves nothing"
    assert len(text.splitlines()) <= 400, "keep the decisive lines, not a whole third-party log"


def test_split_is_by_repository() -> None:
    sides: dict[str, set[bool]] = {}
    for case in CASES:
        sides.setdefault(case.repo, set()).add(case.heldout)
    both = sorted(repo for repo, side in sides.items() if len(side) > 1)
    assert not both, f"repositories on both sides (move their held-out cases to cases/): {both}"
    heldout = sum(c.heldout for c in CASES)
    assert heldout >= 80, f"only {heldout} held-out cases: add cases from new repositories"


def test_where_tells_a_writer_which_part_holds_a_repository() -> None:
    held = next(c for c in CASES if c.heldout)
    tuned = next(c for c in CASES if not c.heldout)
    assert "held-out: do not read" in where(CASES, held.label["repo"].upper())
    assert "tuning: already in the corpus" in where(CASES, f" {tuned.label['repo']} ")
    assert where(CASES, "nobody-here/never-sampled").endswith(": new")


# A thread cited as a source in a rule or an extractor's comment has been read to write that code:
# its held-out case would measure the tuning, not the generalisation. "owner/repo #12",
# "owner/repo#12" and the thread's URL are the ways the catalog cites one.
_SOURCE = re.compile(r"github\.com/([\w.-]+)/([\w.-]+)/(?:issues|pull|discussions)/(\d+)")
_CODE = Path(__file__).resolve().parents[2] / "src" / "smartmon" / "diagnose"


def test_no_held_out_thread_is_a_cited_source() -> None:
    cited = "\n".join(
        p.read_text(encoding="utf-8").lower()
        for p in sorted(_CODE.rglob("*"))
        if p.suffix in (".py", ".yaml")
    )
    found = []
    for case in (c for c in CASES if c.heldout):
        m = _SOURCE.search(str(case.label.get("source", "")))
        if m is None:
            continue
        owner, repo, number = (g.lower() for g in m.groups())
        forms = (
            f"{owner}/{repo} #{number}",
            f"{owner}/{repo}#{number}",
            f"{owner}/{repo}/issues/{number}",
            f"{owner}/{repo}/pull/{number}",
            f"{repo} #{number}",
            f"{repo}#{number}",
        )
        if any(re.search(re.escape(form) + r"(?!\d)", cited) for form in forms):
            found.append(case.slug)
    assert not found, f"held-out cases whose thread the code cites (move them to cases/): {found}"


def test_slugs_are_unique_across_parts() -> None:
    slugs = [case.slug for case in CASES]
    assert len(slugs) == len(set(slugs))


@pytest.mark.slow
def test_scores_do_not_fall() -> None:
    tuning, heldout = score(CASES)
    assert tuning.false_alarms <= FALSE_ALARMS_AT_MOST["tuning"], tuning.misses
    if HELDOUT_FLOOR is None:
        return  # the held-out part is being written: it is not scored before the release
    # The held-out part's numbers only, never its Score (whose misses name cases): a failure here
    # must not show which held-out case it was, or the part would be tuned on while fixing it.
    held = heldout.line("held-out")
    false_alarms, type_rate, facts_rate = (
        heldout.false_alarms,
        heldout.type_rate,
        heldout.facts_rate,
    )
    del heldout
    assert false_alarms <= FALSE_ALARMS_AT_MOST["held-out"], held
    report = tuning.line("tuning") + "\n" + "\n".join(tuning.misses)
    assert tuning.type_rate >= TUNING_FLOOR[0], report
    assert tuning.facts_rate >= TUNING_FLOOR[1], report
    assert type_rate >= HELDOUT_FLOOR[0], held
    assert facts_rate >= HELDOUT_FLOOR[1], held
