"""Rule patterns as the classifier runs them over raw log blocks.

A rule's `^` means "start of the cleaned line". Blocks keep their timestamps (rewriting 256 MB of
text would cost more than all the matching), so each `^` is widened to also match after a timestamp
and a Docker BuildKit prefix. The RE2 set runs these exact patterns, so a hit it reports needs no
second, looser pass to confirm it.
"""

from __future__ import annotations

# The runner's timestamp ("2025-03-04T10:11:12.3456789Z "), written loosely: the widened `^` is
# repeated at every anchor of ~400 rules, and RE2 compiles the set's program in time proportional to
# its size (the exact form cost a cold start 8 ms more, for no difference in what matches). Docker
# BuildKit prefixes each build line with `#<step> <seconds> `; Nix quotes a failed builder's last
# lines as "       > error[E0425]: …" under "error: builder for '/nix/store/…drv' failed"
# (raexera/yuki #13, tiiuae/ghaf #307); monorepo runners put the task in front (turbo "web:build: ",
# pnpm -r "apps/web build: ", as locations.TASK_PREFIX). Rules see past all of them.
_TS = (
    r"(?:\d{4}-[\d:.T-]+Z ?)?(?:#\d+ [\d.]+ | {2,}> )?"
    r"(?:(?:@[\w.-]+/)?[\w.-]+:[A-Za-z][\w:-]*: |(?:[\w.@-]+/)+[\w.-]+ [A-Za-z][\w:-]*: )?"
)


def anchor_timestamps(pattern: str, anchor: str = "^" + _TS) -> str:
    """Let each `^` outside a character class also match after a log timestamp."""
    out: list[str] = []
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            out.append(ch)
            i += 1
            if i < len(pattern) and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < len(pattern) and pattern[i] == "]":
                out.append("]")
                i += 1
            continue
        elif ch == "^":
            out.append(anchor)
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def compile_exact(pattern: str) -> bytes:
    """The pattern as the exact matcher runs it over a block (multi-line, timestamps allowed)."""
    return ("(?m)" + anchor_timestamps(pattern)).encode()
