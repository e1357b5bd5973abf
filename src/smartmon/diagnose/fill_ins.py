"""Which package or variable, when the rule captured none: the requirement pip could not satisfy,
the pin conda could not find, the crate, Mix dependency or pkg-config module named around the
message, the variable a tool lists. The program or version a missing tool is about is in
`program_fill_ins.py`, the linter a lint failure came from in `linters.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.locations import TASK_PREFIX

# The requirement pip could not satisfy, as printed (a pin stays a pin); conda lists each pin it
# could not resolve under "ResolvePackageNotFound:" as "  - python=3.6.15".
_PIP_REQUIREMENT = re.compile(
    r"^\s*(?:ERROR: )?(?:Could not find a version that satisfies the requirement "
    r"|No matching distribution found for )(?P<package>[A-Za-z0-9][^\s(]*)"
    r"|^\s*- (?P<pin>[A-Za-z0-9][\w.-]*={1,2}[\w.*+!-]+(?:=[\w.*+!-]+)?)\s*$"
)


# Package managers that name the package a line or two below the message that failed: npm 7+ under
# engine-strict, below "npm ERR! code EBADENGINE": "npm ERR! engine Not compatible with your version
# of node/npm: npm@10.2.5" (headspinio/appium-lg-webos-driver #35; "npm error" since npm 10,
# actions/github-script #604); bun, below "error: No version matching …": "error: tailwindcss@^3.4.1
# failed to resolve" (oven-sh/bun #13371). Version included, as printed. pnpm's 404 names the package
# URL-encoded on its own line ("ERR_PNPM_FETCH_404  GET https://registry.npmjs.org/@uploadthing%2Fnext:
# Not Found - 404") and plainly in its hint a few lines below: "@uploadthing/next is not in the npm
# registry, or you have no permission to fetch it." (pnpm's own tests; a Windows monorepo paste).
# cargo ≥ 1.80 lists the crates above the toolchain under "error: rustc 1.85.1 is not supported by
# the following packages:", one a row: "  libloading@0.9.0 requires rustc 1.88.0" (ast-grep/ast-grep
# #2836); the crate's name, as the older "package `x v1.2.3` cannot be built" form gives it. Rows
# pasted in columns pad the name: "  vergen@10.0.2       requires rustc 1.96.0" (canboat/canboat PR #855).
_PACKAGE_BELOW = re.compile(
    r"^\s*npm (?:ERR!|error) (?:engine|notsup) Not compatible with your version of node/npm: "
    r"(?P<package>\S+)"
    r"|^\s*error: (?P<bun>\S+?@\S+) failed to resolve\s*$"
    r"|^\s*(?P<pnpm>(?:@[\w.-]+/)?[\w.-]+) is not in the npm registry, or you have no permission"
    r"|^\s+(?P<cargo>[A-Za-z0-9][\w-]*)@[\w.+-]+\s+requires rustc [\w.-]+\s*$"
)


# npm's engine warning (npm 7+, "npm warn" since npm 10) names the package on a row of its block:
# "npm WARN EBADENGINE   package: '@automattic/vip@3.20.4'," (Automattic/vip-actions #169); npm 6 on
# one line: "npm WARN notsup Unsupported engine for sharp@0.33.2: wanted: {…}" (lovell/sharp #3969).
_ENGINE_WARNED = re.compile(
    r"^\s*npm (?:WARN|warn) (?:EBADENGINE\s+package: '(?P<package>[^']+)'"
    r"|notsup Unsupported engine for (?P<old>\S+?@[^\s:]+):)"
)


def engine_warned(package: str, before: Sequence[str]) -> str | None:
    """The version of `package` (a bare name) that npm warned does not support this Node, as
    printed ("@automattic/vip@3.20.4"), from the lines above; None when npm warned of no such one."""
    package = package.replace("\\", "/")  # a Windows path's node_modules\\@scope\\name
    for text in reversed(before):
        m = _ENGINE_WARNED.match(_bare(text))
        if m:
            warned = m.group("package") or m.group("old")
            if warned.rpartition("@")[0] == package:
                return warned
    return None


# What a build runner puts in front of each line the tool printed, as the rules see past it
# (anchors.py): Docker BuildKit's "#14 0.392 " (an `npm ci` inside an image build,
# nationalarchives/ds-caselaw-public-ui PR #860) and a monorepo task's "web:install: ".
_BUILDKIT_PREFIX = re.compile(r"^#\d+ [\d.]+ ")


def _bare(text: str) -> str:
    """The line without a BuildKit step prefix or a monorepo task prefix."""
    return TASK_PREFIX.sub("", _BUILDKIT_PREFIX.sub("", text, count=1), count=1)


def package_below(lines: Sequence[str]) -> str | None:
    """The package an npm EBADENGINE block, bun's resolver, pnpm's 404 hint or cargo's rust-version
    list names in `lines`."""
    for text in lines:
        m = _PACKAGE_BELOW.match(_bare(text))
        if m:
            return m.group("package") or m.group("bun") or m.group("pnpm") or m.group("cargo")
    return None


# The registry's answer for a package's metadata URL, the scope's slash URL-encoded: yarn 1 "error An
# unexpected error occurred: \"https://registry.yarnpkg.com/@supabase%2freact-native: Not found\"."
# and pnpm " ERR_PNPM_FETCH_404  GET https://registry.npmjs.org/@uploadthing%2Fnext: Not Found - 404"
# (the package is the URL's path; a tarball URL names a file, not this).
_REGISTRY_NOT_FOUND = re.compile(
    r"https?://[^/\s\"]+/(?P<scope>@[\w.-]+%2[fF])?(?P<name>[\w.-]+): Not [Ff]ound\b"
)


def registry_package(text: str) -> str | None:
    """The package whose registry metadata URL answered "Not found" on this line, decoded."""
    m = _REGISTRY_NOT_FOUND.search(text)
    if m is None:
        return None
    scope = m.group("scope")
    return f"{scope[:-3]}/{m.group('name')}" if scope else m.group("name")


# conda lists what its channels lack one per line under "PackagesNotFoundError: The following packages
# are not available from current channels:", bare ("  - defensefinder") or with the version asked for
# ("  - conda-build=3.14.2", conda/conda #7767; "  - freetype==2.11.0=h70c0345_0", holoviz/holoviz PR
# #314; "    - python[version='3.1.*,3.10.*']", conda-incubator/setup-miniconda #363), sometimes with
# its channel ("  - conda-forge/linux-64::mamba==1.5.8-py311h3072747_0").
_CONDA_LISTED = re.compile(
    r"^\s*- (?P<spec>(?:[\w.-]+/[\w.-]+::)?[A-Za-z0-9_][\w.-]*(?P<pin>(?:[=<>!~]=?|\[)\S*)?)\s*$"
)


def conda_listed(after: Sequence[str]) -> tuple[str, bool] | None:
    """The first spec conda listed below its message, and whether it names a version (a pin)."""
    for line in after[:4]:
        if not line.strip():
            continue
        m = _CONDA_LISTED.match(line)
        return (m.group("spec"), bool(m.group("pin"))) if m else None
    return None


# pypa/build's dependency check (`--no-isolation`) lists what [build-system] requires and the
# environment lacks under "ERROR Missing dependencies:", tab-indented rows: "\tsetuptools>=61.0"
# (IfcOpenShell/IfcOpenShell PR #9384); which row names the missing distribution is
# `build_missing_requirement`'s to say.
_BUILD_MISSING_HEAD = re.compile(r"^\s*ERROR:? Missing dependencies:\s*$")
_BUILD_MISSING_ROW = re.compile(
    r"^\s+(?P<name>[A-Za-z0-9][\w.-]*)(?:\[[\w,.-]+\])?\s*(?:[=<>!~;@ ]|$)"
)


def build_missing_requirement(text: str, after: Sequence[str]) -> str | None:
    """The missing distribution under pypa/build's "ERROR Missing dependencies:". build prints the
    requirement the project asked for, then, when that one is installed, the chain below it that is
    missing (its __main__.py: "\thatchling>=1.18" / "\tpackaging>=21.3", or "\tB -> C" a level
    deeper). Two plain rows can also be two missing requirements, so the second row counts only as
    a chain (" -> "), whose last link is the distribution; else the first row's."""
    if not after or not _BUILD_MISSING_HEAD.match(_bare(text)):
        return None
    if not _BUILD_MISSING_ROW.match(_bare(after[0])):
        return None
    chain = [row for row in after[1:2] if " -> " in row and _BUILD_MISSING_ROW.match(_bare(row))]
    m = _BUILD_MISSING_ROW.match(" " + _bare((chain or after)[0]).strip().split(" -> ")[-1])
    return m.group("name") if m else None


def conda_pin(after: Sequence[str]) -> str | None:
    """The first spec conda listed below its message when it names a version (a pin), else None."""
    listed = conda_listed(after)
    return listed[0] if listed and listed[1] else None


def pip_requirement(lines: Sequence[str]) -> str | None:
    """The requirement of pip's "Could not find a version …" line (or conda's pin) among `lines`."""
    for text in lines:
        m = _PIP_REQUIREMENT.match(text)
        if m:
            return m.group("package") or m.group("pin")
    return None


# pip's resolver names what it could not reconcile on "ERROR: Cannot install -r requirements.txt (line
# 10) and astroid==2.5.7 because these package versions have conflicting dependencies."
# (ravsamhq/notify-slack-action #15) and, under "The conflict is caused by:", the user's own
# requirement: "    The user requested py7zr==0.19.*" (ddalcino/aqt-list-server #18). The pin a
# person wrote is the one to change, so it is kept as printed when pip names exactly one.
_PIP_CANNOT_INSTALL = re.compile(
    r"ERROR: Cannot install (?P<items>.+) because these package versions have conflicting dependencies"
)
_PIP_USER_REQUESTED = re.compile(r"^\s+The user requested (?P<req>\S+)\s*$")
_PIP_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][\w.-]*)(?:\[[\w,.-]+\])?(?:===?|~=|<=|>=|!=|<|>)\S+$")
# A direct reference (a VCS URL or a local path) is listed as "name version (from source)": "edalize
# 0.3.3 (from git+https://github.com/lowRISC/edalize.git@ot)" (chipsalliance/sv-tests PR #8465),
# "sympy-plot-backends 0.8.0 (from C:\Users\…)" (Davide-sd/sympy-plot-backends #1). What the person
# wrote is the source, so the name stands for it.
_PIP_DIRECT = re.compile(r"^(?P<name>[A-Za-z0-9][\w.-]*)(?:\[[\w,.-]+\])? \S+ \(from \S.*\)$")
_PIP_LIST_SEPARATOR = re.compile(r",\s+(?:and\s+)?|\s+and\s+")


def _pip_name(name: str) -> str:
    """A distribution name as pip compares them (PEP 503: case, `-`, `_` and `.` alike)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_conflict_pin(package: str | None, lines: Sequence[str]) -> str | None:
    """The one pinned requirement pip's conflict report names among `lines`, as printed.

    With `package` (a name a rule took from the report) only that package's pin counts: "The user
    requested streamlit==1.30.0" and "…==1.31.0" name two, so the bare name stays. Without it, the
    single pinned item of "Cannot install A and B==1 because …" counts, or the name of its single
    direct reference ("B 1.0 (from git+…)"); "-r file (line n)" is neither.
    """
    pins: dict[str, str] = {}  # requirement -> its name, as pip compares names
    for text in lines:
        m = _PIP_USER_REQUESTED.match(text)
        pin = _PIP_PIN.match(m.group("req")) if m else None
        if pin:
            pins[pin.group(0)] = _pip_name(pin.group("name"))
    if package is not None:
        own = [r for r, name in pins.items() if name == _pip_name(package)]
        return own[0] if len(own) == 1 else None
    if len(pins) == 1:
        return next(iter(pins))
    for text in lines:
        m = _PIP_CANNOT_INSTALL.search(text)
        if m:
            items = [i.strip() for i in _PIP_LIST_SEPARATOR.split(m.group("items"))]
            pinned = {i for i in items if _PIP_PIN.match(i)}
            direct = {d.group("name") for d in map(_PIP_DIRECT.match, items) if d}
            named = pinned | direct
            return next(iter(named)) if len(named) == 1 else None
    return None


# cargo names the crate one line above its reason when the reason is not the name: "error: no
# matching package named `tendermint` found" over "location searched: …" and "prerelease package
# needs to be specified explicitly" (cometbft/tendermint-rs #224).
_CARGO_NAMED = re.compile(r"^error: no matching package named `(?P<crate>[\w-]+)` found")


def cargo_crate_above(before: Sequence[str]) -> str | None:
    """The crate of cargo's "no matching package named `x` found" just above the hit, or None."""
    for text in reversed(before[-4:]):
        m = _CARGO_NAMED.match(text)
        if m:
            return m.group("crate")
    return None


# Names listed under the message rather than on it: dotenv-safe since v6 prints "MissingEnvVarsError:
# The following variables were defined in .env.example but are not present in the environment:" and
# then "  TOKEN, KEY" (rolodato/dotenv-safe README, MissingEnvVarsError.js); others bullet them
# ("  - API_KEY"). The first name counts; prose ("Make sure to add them to .env …") does not.
_LISTED_VAR = re.compile(r"^\s*(?:[-*•]\s+)?(?P<var>[A-Z_][A-Z0-9_]*)\s*(?:,|$)")


def listed_env_var(text: str, after: Sequence[str]) -> str | None:
    """The first variable named on the line below a message that ends with ':' (a list follows)."""
    if not text.rstrip().endswith(":"):
        return None
    for line in after[:2]:
        if not line.strip():
            continue
        m = _LISTED_VAR.match(line)
        return m.group("var") if m else None
    return None


# A message its printer wraps names the variable on a continuation line: Codeflash logs through
# rich, "ERROR    Codeflash API key not found in your environment." then "         You can generate
# one at https://app.codeflash.ai/app/apikeys," and "         then set it as a CODEFLASH_API_KEY
# environment variable." (langflow-ai/langflow #5622 and #5591, codeflash-ai/codeflash #1776). Only
# the indented lines right below count, and only a name the reader is told to set ("set it as a X
# environment variable"): a line that mentions another variable ("point the X_URL environment
# variable at a local server") names none.
_CONTINUED_VAR = re.compile(
    r"\b(?i:set|export|define|provide|add)\b(?: it)?(?: as)?(?: an?| the)? (?:"
    r"`?(?P<var>[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9])`? (?:environment|env) variable\b"
    r"|(?:environment|env) variable `?(?P<named>[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9])\b)"
)


def continued_env_var(after: Sequence[str]) -> str | None:
    """The variable a wrapped message names on its indented continuation lines below it."""
    for line in after[:3]:
        if not line.strip() or not line[:1].isspace():
            return None
        m = _CONTINUED_VAR.search(line)
        if m:
            return m.group("var") or m.group("named")
    return None


# Terraform reports every unset root variable, one diagnostic each (cdktf/cdktf-repository-manager#119:
# "gh-token", then "maven-gpg-private-key"); the first printed is the one a reader meets first.
_TF_UNSET_VAR = re.compile(r'The root module input variable "(?P<var>[\w-]+)" is not set(?:,|\s*$)')


def first_unset_variable(text: str, before: Sequence[str]) -> str | None:
    """The first unset variable Terraform printed above this one's diagnostic, if any."""
    if not _TF_UNSET_VAR.search(text):
        return None
    for line in before:
        m = _TF_UNSET_VAR.search(line)
        if m:
            return m.group("var")
    return None


# Mix lists each unchecked dependency on its own line, its status on the next: "* plug (Hex
# package)" / "* duxedo (https://github.com/soot-iot/duxedo.git - main)" above "  the dependency is
# not available, run \"mix deps.get\"" (nerves' FAQ, mix/dep.ex), the block under "Unchecked
# dependencies for environment test:". The first one listed as not available is the one to name.
_MIX_DEPENDENCY = re.compile(r"^\s*\* (?P<dep>[a-z_][a-z0-9_]*) \([^()]*\)\s*$")
_MIX_NOT_AVAILABLE = re.compile(r"^\s*the dependency is not available\b")
_MIX_LOCK_STATUS = re.compile(
    r"^\s*(?:lock (?:mismatch|outdated): |the dependency is not locked\b|the dependency does not match)"
)


def dependency_above(text: str, before: Sequence[str]) -> str | None:
    """The first dependency Mix listed as not available in the block this status line ends."""
    return _listed_above(text, before, _MIX_NOT_AVAILABLE)


def locked_dependency_above(text: str, before: Sequence[str]) -> str | None:
    """The first dependency Mix listed with a lock or version status (mix/dep.ex format_status)."""
    return _listed_above(text, before, _MIX_LOCK_STATUS)


def _listed_above(text: str, before: Sequence[str], status: re.Pattern[str]) -> str | None:
    lines = [*before[-40:], text]
    first: str | None = None
    for i in range(len(lines) - 2, -1, -1):
        m = _MIX_DEPENDENCY.match(lines[i])
        if m:
            if status.match(lines[i + 1]):
                first = m.group("dep")
        elif not (lines[i][:1].isspace() or lines[i].startswith("the dependency")):
            break
    return first


# CMake's pkg_check_modules(… REQUIRED …) ends with "A required package was not found" under "CMake
# Error at …/FindPkgConfig.cmake:603 (message):"; the module is on pkg-config's own line above it,
# "--   Package 'gtk+-3.0', required by 'virtual:world', not found" (pkg-config 0.29.2, pkgconf) or
# "--   No package 'libusb-1.0' found" (older pkg-config), under "-- Checking for module(s) '…'".
_CMAKE_PKG_REQUIRED = re.compile(r"^\s*A required package was not found\s*$")
_CMAKE_PKG_MISSING = re.compile(
    r"^--\s+(?:Package '(?P<package>[^']+)', required by '[^']*', not found"
    r"|No package '(?P<old>[^']+)' found)\s*$"
)
_CMAKE_PKG_CHECKING = re.compile(r"^-- Checking for modules? ")


def pkg_config_module_above(text: str, before: Sequence[str]) -> str | None:
    """The first module pkg_check_modules reported missing above CMake's "A required package …"."""
    if not _CMAKE_PKG_REQUIRED.match(text):
        return None
    first: str | None = None
    for line in reversed(before[-20:]):
        m = _CMAKE_PKG_MISSING.match(line)
        if m:
            first = m.group("package") or m.group("old")
        elif _CMAKE_PKG_CHECKING.match(line):
            break
    return first


# pak (r-lib/actions/setup-r-dependencies) lists what it could not solve one row per ref under "!
# Could not solve package dependencies:" (pak 0.4+) or "Cannot install packages:" (older), each
# "* ref: why". Rows that only pass the blame down ("Can't install dependency ggplot2", "dependency
# conflict") and the project's own deps::. or local::. ref lead to the one that failed: "* MASS:
# Needs R >= 4.4.0" (ropensci-review-tools/pkgcheck-action #45), "* pbkrtest: Needs R >= 4.2.0"
# (r-lib/pak #668), "* DataTools: Can't find package called DataTools." (r-lib/actions #817),
# "* pkgdown: dependencies must be TRUE, FALSE, NA or a list of dependency types" (abhiamishra/
# ggshakeR #104), "* rlang: Conflicts with r-lib/rlang" (rstudio/rticles PR #443).
_PAK_HEADER = re.compile(
    r"(?:^|[\s!>])(?:Could not solve package dependencies|Cannot install packages):"
)
_PAK_ROW = re.compile(r"^\s*\* (?P<ref>[^\s:]+(?:::[^\s:]+)?): (?P<why>\S.*)$")
_PAK_PASSED_ON = re.compile(r"Can't install dependency |dependency conflict\s*$")


def pak_unsolved(text: str, after: Sequence[str]) -> str | None:
    """The ref pak's solver report below this header names as failing, as printed."""
    if not _PAK_HEADER.search(text):
        return None
    for line in after[:16]:
        if line.strip() in ("---", "Backtrace:"):
            break
        m = _PAK_ROW.match(line)
        if not m or _PAK_PASSED_ON.match(m.group("why")):
            continue
        if not m.group("ref").startswith(("deps::", "local::")):
            return m.group("ref")
    return None
