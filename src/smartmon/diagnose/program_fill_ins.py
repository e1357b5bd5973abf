"""Which program or version, when a missing-tool rule captured none: the compiler CMake or an
environment variable names, the program a build generator runs, the tool an unexpanded autoconf
macro ships with, the version printed around the message. Packages and variables are in
`fill_ins.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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


# The Haskell set-up actions announce each install method with the tool and version before they run
# it ("Attempting to install ghc 8.10.3 using ghcup", haskell-actions/setup installer.ts); an installer
# that then died names neither ("ghcup: internal error: Itimer: …", haskell-servant/servant-auth PR
# #183). The nearest announcement above, a few lines up, is the version it was installing. pipenv
# warns of the Python it looked for just above its "Neither 'pyenv' nor 'asdf' could be found to
# install Python.": "Warning: Python 3.7 was not found on your system..." (VaultVulp/action-pipenv #2),
# or on the same line where a paste joined them.
_INSTALL_ATTEMPT = re.compile(
    r"^\s*Attempting to install (?:ghc|cabal|stack|hls) (?P<version>\d[\w.-]*) using \w+"
)
# pipenv's warning names the Python it looked for; it is the finding's version only under pipenv's
# own abort ("… could be found to install Python."), not under a later tool missing after pyenv
# installed that Python or pipenv fell back to the system's (review rev51).
_PIPENV_PYTHON = re.compile(r"\bWarning: Python (?P<python>\d[\w.-]*) was not found on your system")
_PIPENV_ABORT = re.compile(r"could be found to install Python\b")


def attempted_version_above(text: str, before: Sequence[str]) -> str | None:
    """The version a set-up action's last "Attempting to install <tool> <version>" names (or, for
    pipenv's abort in `text`, the Python its warning above or on the same line looked for), or None."""
    if _PIPENV_ABORT.search(text):
        for line in (text, *reversed(before[-6:])):
            m = _PIPENV_PYTHON.search(line)
            if m:
                return m.group("python")
        return None
    for line in reversed(before[-6:]):
        m = _INSTALL_ATTEMPT.match(line)
        if m:
            return m.group("version")
    return None


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


# Clipanion (Yarn 2+) does not repeat the command line it could not resolve on its error line:
# "Unknown Syntax Error: Command not found; did you mean one of:" is followed, below its suggestions,
# by "While running prisma -v" (clipanion's error box), which names it. Without that line the
# invocation above names it: the script's echo ("--- yarn prisma -v ---", prisma/ecosystem-tests
# #1788), a shell trace's "+ yarn …", a prompt's "$ yarn …", the step's "Run yarn prisma -v". A run
# block's own listing of its lines (a bare "yarn build" under the header) is not read: any of them may
# have failed. The word after `yarn` (or `yarn run`) is the script or binary nothing answered.
_CLIPANION_NOT_FOUND = re.compile(r"Unknown Syntax Error: Command not found\b")
_WHILE_RUNNING = re.compile(r"^\s*While running (?P<command>\S+)")
_YARN_INVOKED = re.compile(
    r"^\s*(?:(?:##\[group\])?Run |\++ |[$>] |[-=#*]{2,} ?)"
    r"yarn (?:run )?(?P<command>[A-Za-z@][\w:.@/-]*)"
)


def yarn_command_above(text: str, before: Sequence[str], after: Sequence[str] = ()) -> str | None:
    """The command Yarn's "Command not found" was given, from Clipanion's "While running …" below or
    its invocation just above, or None."""
    if not _CLIPANION_NOT_FOUND.search(text):
        return None
    for line in after[:12]:
        running = _WHILE_RUNNING.match(line)
        if running:
            return running.group("command")
    for line in reversed(before[-12:]):
        m = _YARN_INVOKED.match(line)
        if m:
            return m.group("command")
    return None
    for line in reversed(before[-12:]):
        m = _YARN_INVOKED.search(line)
        if m:
            return m.group("command")
    return None
