"""Which package, variable or program, when the rule captured none: the requirement pip could not
satisfy, the pin conda could not find, the variable a tool lists, the compiler or version printed
around the message. The linter a lint failure came from is in `linters.py`.
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
# #2836); the crate's name, as the older "package `x v1.2.3` cannot be built" form gives it.
_PACKAGE_BELOW = re.compile(
    r"^\s*npm (?:ERR!|error) (?:engine|notsup) Not compatible with your version of node/npm: "
    r"(?P<package>\S+)"
    r"|^\s*error: (?P<bun>\S+?@\S+) failed to resolve\s*$"
    r"|^\s*(?P<pnpm>(?:@[\w.-]+/)?[\w.-]+) is not in the npm registry, or you have no permission"
    r"|^\s+(?P<cargo>[A-Za-z0-9][\w-]*)@[\w.+-]+ requires rustc [\w.-]+\s*$"
)


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
_PIP_LIST_SEPARATOR = re.compile(r",\s+(?:and\s+)?|\s+and\s+")


def _pip_name(name: str) -> str:
    """A distribution name as pip compares them (PEP 503: case, `-`, `_` and `.` alike)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_conflict_pin(package: str | None, lines: Sequence[str]) -> str | None:
    """The one pinned requirement pip's conflict report names among `lines`, as printed.

    With `package` (a name a rule took from the report) only that package's pin counts: "The user
    requested streamlit==1.30.0" and "…==1.31.0" name two, so the bare name stays. Without it, the
    single pinned item of "Cannot install A and B==1 because …" counts ("-r file (line n)" is not
    one).
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
            pinned = [i for i in items if _PIP_PIN.match(i)]
            return pinned[0] if len(pinned) == 1 else None
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


# CMake's "The CMAKE_C_COMPILER:" block names the compiler alone on an indented line (blank lines
# around it) above "is not a full path and was not found in the PATH." (USCRPL/mbed-cmake #2).
_CMAKE_COMPILER_HEAD = re.compile(r"^\s*The CMAKE_[A-Z]+_COMPILER:\s*$")
_CMAKE_COMPILER_NAME = re.compile(r"^\s+(?P<name>\S+)\s*$")


def cmake_compiler(before: Sequence[str]) -> str | None:
    """The compiler CMake's "The CMAKE_<LANG>_COMPILER:" block names just above the hit, or None."""
    named: str | None = None
    for text in reversed(before[-6:]):
        if _CMAKE_COMPILER_HEAD.match(text):
            return named
        m = _CMAKE_COMPILER_NAME.match(text)
        if m and named is None:
            named = m.group("name").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
        elif text.strip() and not m:
            return None
    return None


# CMake given a compiler through CC/CXX that is not there names it under its message: "Could not find
# compiler set in environment variable CXX:", a blank line, "  clang++." (cmake's
# CMakeDetermineCompiler; conda-forge/clangdev-feedstock #418). A path keeps its last part.
_ENV_COMPILER_HEAD = re.compile(r"Could not find compiler set in environment variable [A-Z]+:\s*$")
_ENV_COMPILER_NAME = re.compile(r"^\s+(?P<name>\S+?)\.?\s*$")


def env_compiler_below(text: str, after: Sequence[str]) -> str | None:
    """The compiler CMake names under "Could not find compiler set in environment variable X:"."""
    if not _ENV_COMPILER_HEAD.search(text):
        return None
    for line in after[:3]:
        if line.strip():
            m = _ENV_COMPILER_NAME.match(line)
            return m.group("name").rsplit("/", 1)[-1].rsplit("\\", 1)[-1] if m else None
    return None


# CMake names the generator whose build program it could not find, not the program: 'CMake was unable to
# find a build program corresponding to "Ninja".' / "Unix Makefiles" / "NMake Makefiles" (cmake's
# cmGlobalGenerator::EnableLanguage; dfleury2/beauty #46, #48), and the Android Gradle plugin its
# proper name ("[CXX1416] Could not find Ninja on PATH"). The program is what to install.
_GENERATOR_PROGRAMS = {
    "ninja": "ninja",
    "ninja multi-config": "ninja",
    "unix makefiles": "make",
    "msys makefiles": "make",
    "borland makefiles": "make",
    "mingw makefiles": "mingw32-make",
    "nmake makefiles": "nmake",
    "nmake makefiles jom": "jom",
    "watcom wmake": "wmake",
    "xcode": "xcodebuild",
}
_BUILD_PROGRAM_TEXT = re.compile(
    r'unable to find a build program corresponding to "|\[CXX1416\] Could not find \w+ on PATH'
)


def generator_program(command: str, text: str) -> str:
    """The program of the build generator a "no build program" message names, else `command`."""
    if not _BUILD_PROGRAM_TEXT.search(text):
        return command
    # An extra generator names its main one last: "CodeBlocks - Ninja", "Eclipse CDT4 - Unix Makefiles".
    return _GENERATOR_PROGRAMS.get(command.lower().rpartition(" - ")[2], command)


# CMake's "No CMAKE_<LANG>_COMPILER could be found." names a language; only some languages have one
# compiler to install (C, CXX and Fortran have several): CUDA is nvcc (CMake's own CUDACXX hint), HIP
# is hipcc (ROCm's driver).
_LANGUAGE_COMPILERS = {"CUDA": "nvcc", "HIP": "hipcc"}


def language_compiler(language: str) -> str | None:
    """The one compiler a CMake language name stands for, or None when there are several."""
    return _LANGUAGE_COMPILERS.get(language)


# Messages that list the version they could not match on the lines under them: maven-toolchains-plugin
# "Cannot find matching toolchain definitions for the following toolchain types:" then "jdk [ version='17'
# ]" ("[ERROR] " in Maven's log; several attributes: "jdk [ vendor='temurin' version='21' ]"); the .NET
# host "You must install or update .NET to run this application." then, after "App:" and
# "Architecture:", "Framework: 'Microsoft.NETCore.App', version '6.0.0' (x64)" (older hosts: "It was
# not possible to find any compatible framework version" / "The framework 'Microsoft.NETCore.App',
# version '3.1.0' (x64) was not found.").
_VERSION_BELOW = (
    (
        "toolchain definitions for the following toolchain types",
        re.compile(r"^(?:\[ERROR\]\s+)?\w+ \[(?: \w+='[^']*')*? version='(?P<version>[^']+)'"),
    ),
    (
        "NET to run this application",
        re.compile(r"^\s*Framework: '[\w.]+', version '(?P<version>[^']+)'"),
    ),
    (
        "not possible to find any compatible framework version",
        re.compile(r"^\s*The framework '[\w.]+', version '(?P<version>[^']+)'"),
    ),
)


def version_below(text: str, after: Sequence[str]) -> str | None:
    """The version a message lists under itself as the one it could not find (see above), or None."""
    for said, requirement in _VERSION_BELOW:
        if said in text:
            for line in after[:8]:
                m = requirement.match(line)
                if m:
                    return m.group("version")
    return None


# mongodb-memory-server's "Status Code is 403 (MongoDB's 404)" names no version; the archive it asked
# for does, on the line above it (8.x+: 'DownloadError: Download failed for url "https://fastdl.
# mongodb.org/linux/mongodb-linux-x86_64-ubuntu2404-6.0.9.tgz", Details:', shelfio/jest-mongodb #479)
# or under it (6.x-7.x: '  Used Url: "https://fastdl.mongodb.org/linux/mongodb-linux-x86_64-debian10-
# 4.0.14.tgz"', typegoose/mongodb-memory-server #347).
_MONGODB_ARCHIVE = re.compile(
    r"fastdl\.mongodb\.org/\S*?/mongodb-[\w.-]*?-(?P<version>\d+\.\d+\.\d+(?:-rc\d+)?)\.(?:tgz|zip)\b"
)


def archive_version_near(text: str, before: Sequence[str], after: Sequence[str]) -> str | None:
    """The MongoDB version in the archive URL next to mongodb-memory-server's 403 line, or None."""
    if "(MongoDB's 404)" not in text:
        return None
    for line in [*reversed(before[-3:]), *after[:4]]:
        m = _MONGODB_ARCHIVE.search(line)
        if m:
            return m.group("version")
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


# An autoconf macro that was never expanded names the tool that ships its m4 file: libtool's
# (AC_PROG_LIBTOOL, AC_LIBTOOL_WIN32_DLL, LT_INIT; "possibly undefined macro" from autoreconf) and
# pkg-config's pkg.m4 (PKG_PROG_PKG_CONFIG, PKG_CHECK_MODULES; a generated configure's "line 3686:
# PKG_PROG_PKG_CONFIG: command not found"). Other macros name no tool.
_MACRO_TOOLS = (
    (
        re.compile(r"^(?:LT_[A-Z0-9_]+|AC_PROG_LIBTOOL|AM_PROG_LIBTOOL|AC_LIBTOOL_[A-Z0-9_]+)$"),
        "libtool",
    ),
    (re.compile(r"^PKG_[A-Z0-9_]+$"), "pkg-config"),
)


def autoconf_macro_tool(name: str) -> str | None:
    """The tool whose m4 macros define this unexpanded autoconf macro, or None."""
    for macro, tool in _MACRO_TOOLS:
        if macro.match(name):
            return tool
    return None


# CMake's FindPackageHandleStandardArgs names what it missed by variable; a program's is
# <NAME>_EXECUTABLE, the program's own name upper-cased: "Could NOT find PkgConfig (missing:
# PKG_CONFIG_EXECUTABLE)" is pkg-config, GIT_EXECUTABLE git, Python3_EXECUTABLE python3.
_CMAKE_EXECUTABLE = re.compile(r"\(missing: +(?P<var>[A-Za-z][A-Za-z0-9_]*?)_EXECUTABLE\)")


def cmake_missing_executable(text: str) -> str | None:
    """The program a find_package reported as its only missing variable, or None."""
    m = _CMAKE_EXECUTABLE.search(text)
    return m.group("var").lower().replace("_", "-") if m else None
