"""Say which of many patterns match somewhere in a block of text, in one pass.

RE2's set compiles every pattern into one DFA, so a block is read once whatever the number of
rules. This is only a prefilter: the caller confirms each reported pattern with its exact regex.
(Hyperscan was measured as well, on the whole catalog: no faster than RE2's set once the patterns
are anchored the way the classifier anchors them, so it is not worth a platform-specific wheel.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import re2


def re2_options() -> Any:
    opts = re2.Options()
    opts.never_nl = True  # `\s`, `[^x]` and `.` stay inside one line
    opts.max_mem = 256 << 20  # room for the set's DFA, or RE2 falls back to slower matching
    return opts


class Prefilter:
    """The indexes of the patterns (RE2 syntax, bytes) that match somewhere in a block."""

    def __init__(self, patterns: Sequence[bytes]) -> None:
        self._set = re2.Set.SearchSet(re2_options())
        for pattern in patterns:
            self._set.Add(pattern)
        self._set.Compile()

    def match(self, data: bytes) -> list[int]:
        found: list[int] = self._set.Match(data) or []
        return found
