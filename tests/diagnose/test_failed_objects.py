"""A compile error placed in a system header names the project's file the failed compile built: the
source after cl.exe's or gcc's `-c`, or the one CMake's object path under ninja's "FAILED:" names
(KhronosGroup/OpenCL-CTS #2069: MSVC 14.41's <cmath> under rounding_mode.cpp.obj). Names are ours."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.failed_objects import failed_compile_source

HEADER_ERROR = (
    "C:\\Program Files\\Microsoft Visual Studio\\2022\\Enterprise\\VC\\Tools\\MSVC\\14.41.34120"
    "\\include\\cmath(831): error C2062: type 'signed char' unexpected"
)
CL_COMMAND = (
    "C:\\PROGRA~1\\MICROS~2\\2022\\ENTERP~1\\VC\\Tools\\MSVC\\1441~1.341\\bin\\Hostx64\\x64\\cl.exe"
    "  /nologo /TP -ID:\\a\\cts\\cts\\lib /DWIN32 /O2 /showIncludes"
    " /Folib\\CMakeFiles\\core.dir\\src\\round.cpp.obj /FS -c D:\\a\\cts\\cts\\lib\\src\\round.cpp"
)


def test_the_compiler_command_names_the_source() -> None:
    before = ["FAILED: lib/CMakeFiles/core.dir/src/round.cpp.obj ", CL_COMMAND]
    assert failed_compile_source(HEADER_ERROR, before) == "lib/src/round.cpp"


def test_ninja_object_path_names_the_source_without_a_command() -> None:
    before = [
        "[3/9] Building CXX object lib/CMakeFiles/core.dir/src/round.cpp.o",
        "FAILED: lib/CMakeFiles/core.dir/src/round.cpp.o",
    ]
    assert failed_compile_source(HEADER_ERROR, before) == "lib/src/round.cpp"


def test_no_compile_above_names_nothing() -> None:
    before = [
        "[3/9] Linking CXX executable app",
        "FAILED: app",
        "ninja: build stopped: subcommand failed.",
    ]
    assert failed_compile_source(HEADER_ERROR, before) is None


def test_a_header_error_in_a_job_takes_the_built_file(tmp_path: Path) -> None:
    log = tmp_path / "job.txt"
    log.write_text(
        "Run cmake --build build --config Release\n"
        "[3/9] Building CXX object lib\\CMakeFiles\\core.dir\\src\\round.cpp.obj\n"
        "FAILED: lib/CMakeFiles/core.dir/src/round.cpp.obj \n"
        f"{CL_COMMAND}\n"
        f"{HEADER_ERROR}\n"
        "ninja: build stopped: subcommand failed.\n"
        "Error: Process completed with exit code 1.\n"
    )
    finding = analyze_paths([log]).findings[0]
    assert (finding.type.value, finding.data.get("file")) == ("syntax_error", "lib/src/round.cpp")


def test_an_error_in_the_projects_own_file_keeps_its_place(tmp_path: Path) -> None:
    log = tmp_path / "job.txt"
    log.write_text(
        "Run cmake --build build --config Release\n"
        "FAILED: lib/CMakeFiles/core.dir/src/round.cpp.obj \n"
        f"{CL_COMMAND}\n"
        "D:\\a\\cts\\cts\\lib\\src\\round.cpp(12): error C2065: 'x': undeclared identifier\n"
        "ninja: build stopped: subcommand failed.\n"
        "Error: Process completed with exit code 1.\n"
    )
    finding = analyze_paths([log]).findings[0]
    assert (finding.data.get("file"), finding.data.get("line")) == ("lib/src/round.cpp", "12")


def test_only_a_compilers_diagnostic_takes_the_built_file(tmp_path: Path) -> None:
    # a script's error after a traced compile: the trace of the next command stops the search
    log = tmp_path / "job.txt"
    log.write_text(
        "Run ./build.sh\n"
        "+ gcc -O2 -c src/a.c -o a.o\n"
        "+ node scripts/bundle.js\n"
        "/home/runner/work/app/app/node_modules/some-lib/index.js:12\n"
        "export default function x() {}\n"
        "SyntaxError: Unexpected token 'export'\n"
        "Error: Process completed with exit code 1.\n"
    )
    finding = analyze_paths([log]).findings[0]
    assert (finding.type.value, finding.data.get("file")) == ("syntax_error", None)
    assert failed_compile_source("SyntaxError: Unexpected token 'export'", [CL_COMMAND]) is None
    before = [CL_COMMAND, "+ node scripts/bundle.js"]
    assert failed_compile_source(HEADER_ERROR, before) is None
