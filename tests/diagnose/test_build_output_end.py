"""A cause printed after a build box's output ended is no line of that build's (upstream.py,
`_inside_output_below`): RubyGems' native-extension box over extconf's output, then the LoadError of
the gem it left out (review rev51's look-alike; names ours)."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, write_job

_BOX = [
    "Building native extensions. This could take a while...",
    "ERROR:  Error installing sqlite3:",
    "\tERROR: Failed to build gem native extension.",
    "",
    "    current directory: /var/lib/gems/3.0.0/gems/sqlite3-1.3.13/ext/sqlite3",
    "/usr/bin/ruby3.0 extconf.rb",
    "checking for sqlite3.h... no",
    "*** extconf.rb failed ***",
    "",
]
_END = [
    "Gem files will remain installed in /var/lib/gems/3.0.0/gems/sqlite3-1.3.13 for inspection.",
    "Results logged to /var/lib/gems/3.0.0/extensions/x86_64-linux/3.0.0/sqlite3-1.3.13/gem_make.out",
]
_LOAD = "app.rb:1:in `require': cannot load such file -- sqlite3 (LoadError)"


def _rule(tmp_path: Path, body: list[str]) -> str:
    lines = [*run_step("gem install sqlite3 -v 1.3.13 || true; ruby app.rb", *body), FAILED]
    return analyze_paths([write_job(tmp_path, lines)]).findings[0].rule


def test_the_gem_the_build_left_out_is_the_builds_failure(tmp_path: Path) -> None:
    assert _rule(tmp_path, [*_BOX, *_END, _LOAD]) == "gem-native-extension-failed"
