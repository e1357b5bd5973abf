"""The real-log corpus: load the cases, keep the two parts apart, score the engine.

Each case is `<part>/<slug>.log` (the job log as it was pasted in a public thread, decisive lines kept
exactly, names changed) and `<part>/<slug>.json` (source URL, repository, label). `cases/` is the
tuning part: rules and extractors are written against it. `heldout/` is the held-out part: cases from
repositories that appear nowhere in `cases/`, written after the rules they score, and never opened
while tuning. `python tests/data/real/corpus.py` prints the tuning part's score and misses only;
`--release` adds the held-out totals (once per release), `--show-heldout` its misses (after that).
`--where owner/name` says which part already holds a repository, without scoring: a writer checks a
thread's repository before reading its log (one case per repository; a held-out one is not used at
all, not even as a rule's source).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
HELDOUT = HERE / "heldout"
# The tuning cases the engine gets wrong, one slug per line: kept misses (see README.md), held case
# by case by tests/diagnose/test_real_corpus.py and rewritten by `--write-misses`.
MISSES_FILE = HERE / "tuning_misses.txt"


@dataclass(frozen=True)
class Case:
    slug: str
    log: Path
    label: dict[str, Any]

    @property
    def repo(self) -> str:
        return str(self.label["repo"]).lower()

    @property
    def heldout(self) -> bool:
        return self.log.parent.name == HELDOUT.name

    @property
    def passing(self) -> bool:
        return bool(self.label.get("passing"))


def load_cases() -> list[Case]:
    cases = []
    for part in (CASES, HELDOUT):
        for meta in sorted(part.glob("*.json")):
            log = meta.with_suffix(".log")
            if log.exists():
                label = json.loads(meta.read_text(encoding="utf-8"))
                cases.append(Case(meta.stem, log, label))
    return cases


@dataclass
class Score:
    cases: int = 0
    type_ok: int = 0
    with_facts: int = 0
    facts_ok: int = 0
    passing: int = 0
    false_alarms: int = 0
    # each case the engine got wrong, by slug: what it wanted and what it got
    missed: dict[str, str] = field(default_factory=dict)

    def add(self, case: Case, got_type: str | None, got_data: dict[str, str]) -> None:
        self.cases += 1
        if case.passing:
            self.passing += 1
            if got_type is None:
                self.type_ok += 1
            else:
                self.false_alarms += 1
                self.missed[case.slug] = f"passing job read as {got_type}"
            return
        want = case.label["type"]
        if got_type == want:
            self.type_ok += 1
        else:
            self.missed[case.slug] = f"want {want}, got {got_type}"
        facts = case.label.get("data") or {}
        if facts:
            self.with_facts += 1
            wrong = {k: got_data.get(k) for k, v in facts.items() if got_data.get(k) != str(v)}
            if got_type == want and not wrong:
                self.facts_ok += 1
            elif got_type == want:
                self.missed[case.slug] = f"facts want {facts}, got {wrong}"

    @property
    def misses(self) -> list[str]:
        """One line per case the engine got wrong: its slug, what it wanted and what it got."""
        return [f"{slug}: {why}" for slug, why in self.missed.items()]

    def add_verdict(self, case: Case) -> None:
        """Run the engine on `case` and count it."""
        self.add(case, *verdict(case))

    @property
    def type_rate(self) -> float:
        return self.type_ok / self.cases if self.cases else 1.0

    @property
    def facts_rate(self) -> float:
        return self.facts_ok / self.with_facts if self.with_facts else 1.0

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.cases} cases, top-1 type {self.type_ok}/{self.cases} "
            f"({self.type_rate:.1%}), facts {self.facts_ok}/{self.with_facts} "
            f"({self.facts_rate:.1%}), false alarms {self.false_alarms}/{self.passing} passing"
        )


def verdict(case: Case) -> tuple[str | None, dict[str, str]]:
    """The engine's top finding for one case: (type or None, data)."""
    from smartmon.diagnose import analyze_paths

    analysis = analyze_paths([case.log])
    if not analysis.findings:
        return None, {}
    top = analysis.findings[0]
    return top.type.value, dict(top.data)


def score(cases: list[Case]) -> tuple[Score, Score]:
    tuning, heldout = Score(), Score()
    for case in cases:
        (heldout if case.heldout else tuning).add_verdict(case)
    return tuning, heldout


def read_misses() -> set[str]:
    """The slugs listed in MISSES_FILE (comments and blank lines skipped)."""
    if not MISSES_FILE.exists():
        return set()
    lines = MISSES_FILE.read_text(encoding="utf-8").splitlines()
    return {line.split()[0] for line in lines if line.strip() and not line.startswith("#")}


def write_misses(tuning: Score) -> None:
    """Rewrite MISSES_FILE from a tuning Score: each miss's slug and what the engine said."""
    header = (
        "# Tuning cases the engine gets wrong (kept misses; see README.md). Written by\n"
        "# `python tests/data/real/corpus.py --write-misses`: check the diff before committing it.\n"
    )
    rows = sorted(f"{slug} {why}" for slug, why in tuning.missed.items())
    tmp = MISSES_FILE.with_suffix(".tmp")
    tmp.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    tmp.replace(MISSES_FILE)


def where(cases: list[Case], repo: str) -> str:
    """Which part holds `repo` (owner/name, any case): "held-out: do not use this repository",
    "tuning: already in the corpus", or "new"."""
    parts = {case.heldout for case in cases if case.repo == repo.strip().lower()}
    if True in parts:
        return f"{repo}: held-out: do not read or use this repository's threads"
    if parts:
        return f"{repo}: tuning: already in the corpus (one case per repository)"
    return f"{repo}: new"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="score the held-out part too")
    parser.add_argument("--show-heldout", action="store_true", help="list held-out misses too")
    parser.add_argument(
        "--where", metavar="OWNER/NAME", help="say which part holds a repository, and stop"
    )
    parser.add_argument(
        "--write-misses", action="store_true", help=f"rewrite {MISSES_FILE.name} (tuning part)"
    )
    args = parser.parse_args(argv)
    cases = load_cases()
    if args.where:
        print(where(cases, args.where))
        return 0
    tuning, heldout = score(cases)
    by_type = Counter(c.label.get("type", "passing") for c in cases)
    print(f"{len(cases)} cases from {len({c.repo for c in cases})} repositories: {dict(by_type)}")
    print(tuning.line("tuning"))
    for miss in tuning.misses:
        print("  " + miss)
    if args.write_misses:
        write_misses(tuning)
        print(f"wrote {len(tuning.misses)} misses to {MISSES_FILE}")
    if args.release or args.show_heldout:
        print(heldout.line("held-out"))
    if args.show_heldout:
        for miss in heldout.misses:
            print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
