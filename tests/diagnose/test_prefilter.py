"""The prefilter's two ways of reading give the same indexes, and it moves between them by time.

The whole catalog's set and the small sets are run on the same texts (every rule example in a
timestamped line, and the real corpus's logs); any difference would be a rule the engine never
sees on one path. The switching is driven by a rate, so the tests set the rate instead of timing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import prefilter
from smartmon.diagnose.prefilter import Prefilter
from smartmon.diagnose.rules import load_rules
from smartmon.diagnose.scan import catalog_prefilter

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "cases"
_STAMP = b"2025-04-05T15:00:07.9588411Z "


def _examples(part: int, parts: int) -> bytes:
    lines = [e.text for rule in load_rules() for e in rule.examples_match][part::parts]
    return b"".join(_STAMP + line.encode() + b"\n" for line in lines)


def _corpus_logs() -> list[bytes]:
    return [p.read_bytes() for p in sorted(REAL.rglob("*")) if p.suffix in (".log", ".txt")]


# New text is the whole set's slow case (4 s for this much), so a fixed fifth of the examples and a
# fortieth of the corpus. test_catalog_engine runs every example through whichever path is chosen.
_PART = 0


def test_small_sets_and_whole_set_agree_on_examples_and_corpus_logs() -> None:
    sets = catalog_prefilter()
    texts = [_examples(_PART, 5), *_corpus_logs()[_PART::40]]
    differ = [
        n
        for n, text in enumerate(texts)
        if sorted(sets._match_whole(text)) != sorted(sets._match_shards(text))
    ]
    assert not differ, f"{len(differ)} of {len(texts)} texts differ, the first is #{differ[0]}"
    # And every example line reports its own rule on both paths: the sets are not both empty.
    assert len(sets._match_shards(texts[0])) > len(load_rules()) // 10


def _lines(n: int) -> bytes:
    return b"".join(b"line %d of a log\n" % i for i in range(n))


def test_a_slow_window_moves_to_the_small_sets_and_the_whole_set_is_tried_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    patterns = [rb"(?m)^line 1\d of", rb"(?m)^line 4000 of", rb"(?m)^never"]
    sets = Prefilter(patterns)
    used: list[str] = []
    for name in ("_match_whole", "_match_shards"):
        real = getattr(sets, name)
        monkeypatch.setattr(
            sets, name, lambda data, real=real, name=name: used.append(name) or real(data)
        )
    monkeypatch.setattr(prefilter, "SLOW_RATE", float("inf"))  # every window is slow
    text = _lines(20000)  # ~400 KiB: the first probe, then windows of 32 KiB
    assert sets.match(text) == [0, 1]
    assert used[0] == "_match_whole" and "_match_shards" in used
    # Tried again after 1, 2, 4 ... windows on the small sets: the whole set is not abandoned.
    assert used.count("_match_whole") >= 3
    monkeypatch.setattr(prefilter, "SLOW_RATE", 0.0)  # fast again: back to the whole set
    used.clear()
    assert sets.match(text) == [0, 1]
    assert used[-1] == "_match_whole"


def test_a_fast_whole_set_is_never_left(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "SLOW_RATE", 0.0)
    sets = Prefilter([rb"(?m)^line 7 of"])
    assert sets.match(_lines(20000)) == [0]
    assert sets._shards is None  # never compiled


def test_a_set_too_big_for_its_budget_is_compiled_with_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(prefilter, "_SHARD_MEM", 16 << 10)
    monkeypatch.setattr(prefilter, "SLOW_RATE", float("inf"))
    heavy = [rb"(?m)^(?:[a-z]+\d{1,30}x){1,20}" + str(n).encode() for n in range(16)]
    sets = Prefilter(heavy)
    assert sets._match_shards(b"ab12x3\n") == [3]
