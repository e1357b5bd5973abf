"""Errors rustc raised in a crate cargo downloaded (its registry or git sources), not in the
project's own code: an E0463 there names a dependency of that crate, which cargo resolved and built
from its manifest, so nothing is missing from the project's Cargo.toml. `settle` clears the rule's
hit where the error's location is the project's own file.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STAMP_PREFIX

# rustc's location arrow under the error line: "   --> /cargo/registry/src/index.crates.io-1949cf8c6b5b557f/
# thiserror-1.0.69/src/lib.rs:278:9" (cargo's CARGO_HOME layout: registry/src/<index>/<crate>-<version>/
# for crates.io and other registries, git/checkouts/<repo>-<hash>/<rev>/ for git dependencies; on
# Windows "C:\Users\runneradmin\.cargo\registry\src\…").
_ARROW = re.compile(r"^(?:" + STAMP_PREFIX + r")?\s*--> (?P<path>\S+)")
_DOWNLOADED = re.compile(r"[/\\](?:registry[/\\]src|git[/\\]checkouts)[/\\]")


def error_in_project_source(hit: Hit) -> bool:
    """A rule with `checks: [registry-source-below]` whose error rustc located outside cargo's
    downloaded sources (or at no location), or that names `std`."""
    if "registry-source-below" not in hit.rule.checks:
        return False
    if hit.data.get("name") == "std":
        return True  # a no_std target's standard library, not a dependency (rust-crate-not-found)
    for line in hit.after[:3]:
        if m := _ARROW.match(line):
            return not _DOWNLOADED.search(m["path"])
    return True
