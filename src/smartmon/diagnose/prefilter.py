"""Say which of many patterns match somewhere in a block of text, in one pass.

RE2's set compiles every pattern into one DFA, so a block is read once whatever the number of
rules. This is only a prefilter: the caller confirms each reported pattern with its exact regex.
(Hyperscan was measured as well, on the whole catalog: no faster than RE2's set once the patterns
are anchored the way the classifier anchors them, so it is not worth a platform-specific wheel.)

One set over the whole catalog is fast only once its DFA has seen text like the text it reads.
A new DFA state costs work that grows faster than the number of patterns, so on text full of lines
it has never met (a log of a thousand different error messages, or the test suite's examples) the
whole set reads about 0.05 MB/s, against 200 MB/s once warm on a repetitive build log: 46 s for a
1.2 MB log of varied errors. Sets of 16 patterns build small states and meet far fewer of them
(about 1.5 MB/s on the same text), but read the text once per set (3-9x slower than the whole set
on the 256 MiB yardstick log). So `Prefilter` measures: it reads with the whole set, and when a
window of text went slower than `SLOW_RATE`, the next windows go to the small sets, with the whole
set tried again (on a short window) after one window, then 4, 16 and at most 64, since it may have
warmed. Both give the same indexes; only the time differs (the varied log: 6-7 s; the yardstick log
and ordinary logs: unchanged).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import re2

# The small sets read a window of text before the whole set is tried again.
WINDOW = 32 << 10
# The whole set's windows (the first, and each try again) are short: on text new to it they are
# the slow part. A cold start looks slow over its first 4 KiB even on a repetitive log (measured
# 0.08 MB/s, then 0.9 MB/s over the next 4 KiB), so the first window is not judged.
PROBE = 4 << 10
# Below this the whole set is building states for nearly every byte (measured 0.04-0.1 MB/s on
# varied errors; 1-200 MB/s while it warms on a repetitive log).
SLOW_RATE = 0.5e6  # bytes per second
SHARD_SIZE = 16  # patterns per small set
_WHOLE_MEM = 64 << 20  # the whole set's DFA budget: a repetitive log needs a few MiB
_SHARD_MEM = 1 << 20  # each small set's DFA budget: they are many, and their states small
_MEM_CEILING = 256 << 20
_MAX_BACKOFF = 64  # windows


def re2_options(max_mem: int = 256 << 20) -> Any:
    opts = re2.Options()
    opts.never_nl = True  # `\s`, `[^x]` and `.` stay inside one line
    opts.max_mem = max_mem  # room for the set's DFA, or RE2 falls back to slower matching
    return opts


def _compile(patterns: Sequence[bytes], max_mem: int) -> Any:
    """One set; `max_mem` bounds its program as well as its DFA, so a set that does not fit is
    compiled again with twice the room (up to RE2's default budget times 32)."""
    while True:
        found = re2.Set.SearchSet(re2_options(max_mem))
        for pattern in patterns:
            found.Add(pattern)
        try:
            found.Compile()
        except re2.error:
            if max_mem >= _MEM_CEILING:
                raise
            max_mem *= 2
            continue
        return found


class Prefilter:
    """The indexes of the patterns (RE2 syntax, bytes) that match somewhere in a block."""

    def __init__(self, patterns: Sequence[bytes]) -> None:
        self._patterns = tuple(patterns)
        self._whole = _compile(self._patterns, _WHOLE_MEM)
        self._shards: list[tuple[int, Any]] | None = None  # compiled when first needed
        # The window being measured: which matcher, bytes read, seconds spent.
        self._on_whole = True
        self._bytes = 0
        self._seconds = 0.0
        self._window = PROBE
        self._warming = True
        self._shard_windows = 0  # windows left before the whole set is tried again
        self._backoff = 1

    def match(self, data: bytes) -> list[int]:
        found: set[int] = set()
        start = 0
        while start < len(data):
            # Up to the end of the window being measured (whole lines: patterns never cross one).
            end = data.find(b"\n", start + self._window - self._bytes) + 1 or len(data)
            piece = data[start:end]
            began = time.perf_counter()
            found.update(self._match_whole(piece) if self._on_whole else self._match_shards(piece))
            self._learn(len(piece), time.perf_counter() - began)
            start = end
        return sorted(found)

    def _match_whole(self, data: bytes) -> list[int]:
        found: list[int] = self._whole.Match(data) or []
        return found

    def _match_shards(self, data: bytes) -> list[int]:
        if self._shards is None:
            self._shards = [
                (at, _compile(self._patterns[at : at + SHARD_SIZE], _SHARD_MEM))
                for at in range(0, len(self._patterns), SHARD_SIZE)
            ]
        return [at + i for at, shard in self._shards for i in (shard.Match(data) or [])]

    def _learn(self, size: int, seconds: float) -> None:
        """Close the window once it is full, and choose the matcher for the next one."""
        self._bytes += size
        self._seconds += seconds
        if self._bytes < self._window:
            return
        slow = self._bytes < SLOW_RATE * self._seconds
        self._bytes, self._seconds, self._window = 0, 0.0, WINDOW
        if self._warming:  # the very first window builds the DFA's first states: not judged
            self._warming, self._window = False, PROBE
            return
        if self._on_whole:
            if slow:  # to the small sets, for as many windows as the backoff says
                self._on_whole = False
                self._shard_windows = self._backoff
                self._backoff = min(self._backoff * 4, _MAX_BACKOFF)
            else:
                self._backoff = 1
            return
        self._shard_windows -= 1
        if self._shard_windows <= 0:
            self._on_whole, self._window = True, PROBE
