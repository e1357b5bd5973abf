"""A compiler driver's closing summary counts as a compile error only over the errors it counts.

cargo closes a crate's failed build with "error: could not compile `app` (lib) due to 2 previous
errors" (cargo's core/compiler/mod.rs), whatever rustc's errors were: a type error in the code, but
also a target whose standard library is not installed (E0463 "can't find crate for `core`"), a
linker that failed, a rustc the machine killed. Where rustc's own errors are shown above it in its
step ("error[E0425]: …", "error: let chains are only allowed in Rust 2024 or later" over its "-->
src/x.rs:3:5" line), the summary stands for them; where they are not (a paste of the summary alone,
rust-cv/cv PR #27 with rustc's command line cut off; cargo-dist 0.0.3 capturing rustc's output as
JSON and printing only "failed to find bin", axodotdev/cargo-dist #177), the summary says nothing
about the code and is no compile error of its own.
"""

from __future__ import annotations

import re

from smartmon.diagnose.anchors import anchor_timestamps
from smartmon.diagnose.jobstate import Hit, step_above

# rustc's own error lines and its location lines, not cargo's summaries ("could not compile", "build
# failed") nor rustc's "aborting due to N previous errors" count; an annotation prefix (the run page's
# "Error: ", a raw log's "##[error]") may stand before either, and `--message-format=short` puts the
# place first ("src/main.rs:2:13: error[E0425]: cannot find value `x` in this scope"). The line's
# start is widened as the rules' `^` is (anchors.anchor_timestamps): a timestamp, BuildKit's "#10
# 4.001 ", Nix's "       > ", a monorepo task's "web:build: " or Compose's "app-1  | ", so a rule that
# sees the summary past a prefix also sees the errors above it past the same prefix.
_RUSTC_ERROR = re.compile(
    anchor_timestamps(
        r"^\s*(?:##\[error\]|Error: )?\s*(?:\S+\.rs:\d+:\d+: )?(?:"
        r"error\[E\d{4}\]: "
        r"|error: (?![Cc]ould not compile\b|build failed\b|aborting due to\b)\S"
        r"|--> \S+:\d+:\d+\s*$)"
    )
)
# cargo's `--message-format=json` carries rustc's error as one JSON line whose "rendered" field is
# the text rustc would have printed ({"reason":"compiler-message",…,"rendered":"error[E0425]: …"}).
_RENDERED_ERROR = re.compile(r'"rendered":\s*"error(?:\[E\d{4}\])?: (?!aborting due to\b)')


def no_rustc_error_above(hit: Hit) -> bool:
    """`rustc-error-above`: no rustc error or location line above cargo's summary in its step. Only
    where the step's header is among the lines the engine keeps above the hit (jobstate.Hit.before,
    forty at most and fewer after long lines): without it, the step's errors may lie further up."""
    if "rustc-error-above" not in hit.rule.checks:
        return False
    above = step_above(hit)
    if len(above) == len(hit.before):
        return False
    return not any(_RUSTC_ERROR.match(line) or _RENDERED_ERROR.search(line) for line in above)
