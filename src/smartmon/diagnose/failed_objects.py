"""The source file a failed compile step built, for a compile error placed outside the checkout.

A compiler reports an error where it found it, and that can be a system header the project's own
file included: MSVC 14.41's "C:\\Program Files\\…\\include\\cmath(831): error C2062: type 'signed
char' unexpected" under ninja's "FAILED: test_common/CMakeFiles/harness.dir/harness/rounding_mode.
cpp.obj" (KhronosGroup/OpenCL-CTS #2069, fixed in the project's own file). The header is no finding's
`file`; the translation unit is: the compiler's command line names it after `-c` (cl.exe's `/c`,
gcc and clang `-c`), and CMake names the object `<dir>/CMakeFiles/<target>.dir/<source>.o|.obj`
after the source's path under that directory (cmLocalGenerator::GetObjectFileNameWithoutTarget).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.repo_paths import repo_path

_SOURCE = r"[^\s\"']+\.(?:c|cc|cpp|cxx|c\+\+|m|mm|cu)"
# ninja's (and CMake's Makefile generator's) line for the failed edge.
_NINJA_FAILED = re.compile(
    r"^FAILED: (?:(?P<dir>\S*?)/)?CMakeFiles/[^/\s]+\.dir/(?P<src>" + _SOURCE + r")\.(?:o|obj)\s*$"
)
# A compiler's command line: the source after -c or /c (cl.exe, gcc, clang, nvcc).
_COMPILE_COMMAND = re.compile(
    r"(?:cl(?:\.exe)?|gcc|g\+\+|clang(?:\+\+)?|c\+\+|cc|nvcc)(?:\.exe)?\"?\s.*\s[-/]c\s+\"?(?P<src>"
    + _SOURCE
    + r")\"?(?:\s|$)"
)


# Only a compiler's own diagnostic is placed in what it compiled: "path:L:C: error: …" (gcc, clang,
# nvcc), "path(L): error C2062: …" (MSVC). A script's error (node's SyntaxError) is not, even under a
# compile command a shell trace printed before it.
_COMPILER_DIAGNOSTIC = re.compile(
    r"^\s*\S.*?(?::\d+:\d+: (?:fatal )?error:|\(\d+(?:,\d+)?\): (?:fatal )?error C\d+)"
)
# Another command between the compile and the error: a shell trace ("+ node scripts/bundle.js"), a
# prompt ("$ make"), a step's header. The error is that command's, not the compile's.
_OTHER_COMMAND = re.compile(r"^\s*(?:\++ |\$ |(?:##\[group\])?Run )\S")


def failed_compile_source(text: str, before: Sequence[str], cwd: str = "") -> str | None:
    """The repository's source file the failed compile above the compiler's diagnostic `text` was
    building, or None (not a compiler's diagnostic, or another command ran in between)."""
    if not _COMPILER_DIAGNOSTIC.match(text):
        return None
    for line in reversed(before[-12:]):
        command = _COMPILE_COMMAND.search(line)
        if command:
            path = repo_path(command.group("src"), cwd)
            if path:
                return path
        failed = _NINJA_FAILED.match(line.strip())
        if failed:
            src = failed.group("src")
            path = repo_path(f"{failed.group('dir')}/{src}" if failed.group("dir") else src, cwd)
            if path:
                return path
        if command or _OTHER_COMMAND.match(line):
            return None
    return None
