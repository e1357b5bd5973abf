"""Places a tool prints on the lines under its message rather than on it.

YAML parsers' marks (PyYAML, Ansible), rustc/ruff arrows, SWC and miette code frames, Rollup's and
Deno's places, unified/vfile JSON details, Sass stacks and make's recipe line. The shapes a message
line itself carries are in `locations.py`; `location_search.py` decides where to look.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.locations import ANSIBLE_MARK, ARROW, EXT, FILE, FILE_CHARS, PYYAML_MARK
from smartmon.diagnose.repo_paths import repo_path

# Rollup names an error's place on the line under it: "src/index.ts (12:7)", "lib/index.ts: (1:34)".
_ROLLUP_LOC = re.compile(r"^(?P<file>" + FILE + r"):? \((?P<line>\d+):\d+\)\s*$")
# Vite names a build error's place on the line under its message, "file: /…/src/App.vue:12:3" under
# "[vite:vue] Element is missing end tag." (each plugin's error, Vite 2 to 7).
_VITE_FILE = re.compile(
    r"^file: (?P<file>(?:[A-Za-z]:[\\/])?" + FILE_CHARS + r"+" + EXT + r"):(?P<line>\d+):\d+\s*$"
)
# Deno prints a TypeScript diagnostic's place under its code excerpt: "    at file:///…/src/util.ts:4:7".
_DENO_AT = re.compile(
    r"^\s+at file://(?P<file>" + FILE_CHARS + r"+" + EXT + r"):(?P<line>\d+):\d+\s*$"
)
# SWC (Next.js, turbopack, typia) prints the place under the message, opening its code frame:
# "    ,-[/home/runner/work/app/app/src/app/page.tsx:12:1]" (swc-project/swc issues), and with
# miette's Unicode frame "    ╭─[app/types/x.ts:42:1]" (samchon/typia #1429); Rolldown (Vite 8) pads
# it, "    ╭─[ node_modules/@acme/router/router.svelte:22:31 ]" (mateothegreat/svelte5-router #172).
_SWC_FRAME = re.compile(
    r"^\s*(?:,-|╭─)\[ ?(?P<file>(?:[A-Za-z]:[\\/])?"
    + FILE_CHARS
    + r"+"
    + EXT
    + r"):(?P<line>\d+):\d+ ?\]"
)
# Julia before 1.10 names a parse error's place under the loader's stack trace, "in expression starting
# at /…/porto2h5.jl:3", innermost file first (boathit/t2vec #8).
_JULIA_STARTING = re.compile(
    r"^in expression starting at (?P<file>(?:[A-Za-z]:[\\/])?"
    + FILE_CHARS
    + r"+\.jl):(?P<line>\d+)\s*$"
)
# Nix 2.4+ names a parse error's place on the lines under it, "       at /nix/store/<hash>-source/
# flake.nix:3:10:" (nwg-piotr/nwg-displays PR #11).
_NIX_AT = re.compile(r"^\s+at (?P<file>/" + FILE_CHARS + r"+\.nix):(?P<line>\d+):\d+:\s*$")
# CocoaPods' and Bundler's DSL errors (a Podfile, a podspec, a Gemfile that Ruby cannot evaluate) name
# the place under the message, before an excerpt of the file: "[!] Invalid `Podfile` file: syntax
# error, unexpected keyword_end, expecting end-of-input." / "" / " #  from /Users/runner/work/app/app/
# ios/Podfile:42" / " #  ----" (CocoaPods' DSLError; Bundler's "There was an error parsing `Gemfile`:"
# is the same class). The file often has no extension.
_DSL_FROM = re.compile(
    r"^\s*#\s+from (?P<file>(?:[A-Za-z]:[\\/])?" + FILE_CHARS + r"+):(?P<line>\d+)\s*$"
)
# Godot names a script error's place under it, relative to the project (res://): Godot 4's debugger
# "*Frame 0 - res://./addons/gdUnit4/bin/GdUnitCmdTool.gd:27 in function ''" under "Debugger Break,
# Reason: 'Parser Error: …'" (godot-gdunit-labs/gdUnit4 #345), Godot 3's "   At: res://paddle.gd:4."
# under "SCRIPT ERROR: GDScript::reload: Parse Error: …".
_GODOT_RES = re.compile(
    r"^\s*(?:\*Frame 0 - |At: )res://(?:\./)?(?P<file>"
    + FILE_CHARS
    + r"+"
    + EXT
    + r"):(?P<line>\d+)\b"
)
# make names the recipe line whose command failed: "make: *** [Makefile:15: build] Error 2".
_MAKE_RECIPE = re.compile(
    r"^\s*(?:g?make)(?:\[\d+\])?: \*\*\* \[(?P<file>[^\s:\]]+):(?P<line>\d+): [^\]]*\] Error \d+"
)
# Sass names the place under its code frame. Dart Sass prints a stack, innermost first, each row "path
# line:col  member": "  scss/_settings.scss 115:17  @import" then "  scss/app.scss 1:9  root stylesheet"
# (openfoodfacts/openfoodfacts-server #8147, twbs/examples #85; `src\\styles\\grid.scss 2:23` on Windows,
# codidact/landing-page #23); libsass (node-sass) prints "        on line 6 of src/css/Footer.scss"
# (cityofaustin/janis #43, sass/libsass #1922).
_SASS_TRACE = re.compile(
    r"^\s+(?P<file>" + FILE_CHARS + r"+\.(?:s[ac]ss|css)) (?P<line>\d+):\d+\s+\S"
    r"|^\s*on line (?P<lline>\d+)(?::\d+)? of (?P<lfile>" + FILE_CHARS + r"+\.(?:s[ac]ss|css))\b"
)


def mark_below(after: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """The mark under a YAML error: PyYAML's '  in "config/app.yml", line 12, column 8', Ansible's
    "The error appears to be in '/…/app.yml': line 12, column 8, but may".

    PyYAML prints a context and its mark, then the problem and its mark ("while parsing a block
    mapping" / line 4 / "expected <block end>, but found '-'" / line 9): the problem's mark is where
    the parser stopped, the line yamllint reports too."""
    for i, text in enumerate(after[:4]):
        m = PYYAML_MARK.search(text) or ANSIBLE_MARK.search(text)
        if m:
            pair = (
                m.re is PYYAML_MARK and i + 2 < len(after) and not PYYAML_MARK.search(after[i + 1])
            )
            problem = PYYAML_MARK.search(after[i + 2]) if pair else None
            if problem and problem.group("file") == m.group("file"):
                m = problem
            path = repo_path(m.group("file"), cwd)
            return (path, m.group("line")) if path else None
    return None


# pre-commit reads its config through PyYAML from a string, so the marks name no file ('  in "<unicode
# string>", line 32, column 5'); the file is in pre-commit's header above them: "An error has
# occurred: InvalidConfigError: " / "==> File .pre-commit-config.yaml" / "=====> while parsing a block
# mapping" / mark / "did not find expected key" / mark (broadinstitute/regional_missense_constraint
# PR #275, pre-commit/sync-pre-commit-deps PR #11; a tab: Zarad1993/dyc PR #56).
_STRING_MARK = re.compile(r'^\s*in "<(?:unicode )?string>", line (?P<line>\d+), column \d+')
_CONFIG_FILE = re.compile(r"^==> File (?P<file>\S+)\s*$")


def config_mark_below(
    before: Sequence[str], after: Sequence[str], cwd: str = ""
) -> tuple[str, str] | None:
    """The place of a YAML error in a config a tool parsed from a string: the file its header named
    above ("==> File .pre-commit-config.yaml"), the line of the problem's mark below."""
    named = next((m for m in map(_CONFIG_FILE.match, reversed(before[-6:])) if m), None)
    path = repo_path(named.group("file"), cwd) if named else None
    for i, text in enumerate(after[:4] if path else ()):
        m = _STRING_MARK.match(text)
        if m:
            problem = _STRING_MARK.match(after[i + 2]) if i + 2 < len(after) else None
            if problem and not _STRING_MARK.match(after[i + 1]):
                m = problem
            return (path, m.group("line")) if path else None
    return None


def arrow_below(after: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """rustc's and ruff's `  --> x.rs:3:5`, SWC's `  ,-[x.tsx:12:1]`, Vite's `file: x.vue:12:3`,
    printed just under the message, Godot's `*Frame 0 - res://x.gd:27`; CocoaPods' and Bundler's
    ` #  from …/Podfile:42`;
    Deno's `    at file:///…:4:7` under the excerpt; Julia's `in expression starting at x.jl:3`
    under a stack trace."""
    for i, text in enumerate(after[:4]):
        m = (
            (
                ARROW.match(text)
                or _SWC_FRAME.match(text)
                or _ROLLUP_LOC.match(text)
                or _VITE_FILE.match(text)
                or _GODOT_RES.match(text)
            )
            if i < 2
            else None
        )
        m = m or _DENO_AT.match(text) or _NIX_AT.match(text) or _DSL_FROM.match(text)
        if m:
            path = repo_path(m.group("file"), cwd)
            return (path, m.group("line")) if path else None
    starting = next((m for m in map(_JULIA_STARTING.match, after[:40]) if m), None)
    if starting:
        path = repo_path(starting.group("file"), cwd)
        return (path, starting.group("line")) if path else None
    return None


# unified/vfile messages (MDX, remark) print their place as JSON under the message, "line:column" as
# the message's name: 'Error: MDX compilation failed for file "/…/docs/x.md"', "Cause: Could not parse
# expression with acorn", "Details:", "{", …, '  "name": "407:17",' (dhis2/ui PR #1710, facebook/
# docusaurus #11235). Only the line: the file is the one the message named. A message about a span
# names it whole, '"name": "183:1-183:52"' (an unclosed `<details>`, ogx-ai/ogx #4736).
_VFILE_NAME = re.compile(r'^\s*(?:[│|>]\s*)*"name": "(?P<line>\d+):\d+(?:-\d+:\d+)?",?\s*$')


def vfile_line_below(after: Sequence[str]) -> str | None:
    """The line of a unified/vfile message from the JSON details printed under it."""
    for text in after[:30]:
        m = _VFILE_NAME.match(text)
        if m:
            return m.group("line")
    return None


def trace_below(after: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """Sass's place under its message and code frame: the stack's first row, or libsass's "on line N of"."""
    for text in after[:12]:
        m = _SASS_TRACE.match(text)
        if m:
            path = repo_path(m.group("file") or m.group("lfile"), cwd)
            return (path, m.group("line") or m.group("lline")) if path else None
    return None


def recipe_location(after: Sequence[str]) -> tuple[str, str] | None:
    """make's report of the recipe line a shell error came from, printed just after it."""
    for text in after[:3]:
        m = _MAKE_RECIPE.match(text)
        if m:
            path = repo_path(m.group("file"))
            return (path, m.group("line")) if path else None
    return None
