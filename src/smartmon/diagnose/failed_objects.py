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


def failed_compile_source(before: Sequence[str], cwd: str = "") -> str | None:
    """The repository's source file the failed compile above the hit was building, or None."""
    for text in reversed(before[-12:]):
        command = _COMPILE_COMMAND.search(text)
        if command:
            path = repo_path(command.group("src"), cwd)
            if path:
                return path
        failed = _NINJA_FAILED.match(text.strip())
        if failed:
            src = failed.group("src")
            path = repo_path(f"{failed.group('dir')}/{src}" if failed.group("dir") else src, cwd)
            if path:
                return path
    return None
