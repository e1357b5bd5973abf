"""Verdicts the code-generation, schema and build-tooling sweep relies on: the formatter a C/C++ row
names, protobuf parse and lint rows with their place, protoc/buf plugins and pinned Bazel versions
not installed, crates the toolchain outgrew, remote GraphQL schemas, and the passing look-alikes.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, assert_finding, top_finding


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # clang-format --dry-run --Werror: the tool from the row's own flag, the place from the row.
        (
            [
                "##[group]Run find src -name '*.cpp' | xargs clang-format --dry-run --Werror",
                "##[endgroup]",
                "src/io/buffer_test.cpp:229:4: error: code should be clang-formatted"
                " [-Wclang-format-violations]",
                "##[error]Process completed with exit code 123.",
            ],
            "lint_failure",
            {"tool": "clang-format", "file": "src/io/buffer_test.cpp", "line": "229"},
        ),
        # clang-tidy with WarningsAsErrors, run through a wrapper the command list does not know.
        (
            [
                "##[group]Run run-clang-tidy -p build -quiet",
                "##[endgroup]",
                "/home/runner/work/app/app/src/util.cpp:12:12: error: use nullptr"
                " [modernize-use-nullptr,-warnings-as-errors]",
                FAILED,
            ],
            "lint_failure",
            {"tool": "clang-tidy", "file": "src/util.cpp", "line": "12"},
        ),
        # buf's parse error as the annotation buf-lint-action writes, pasted without a trailer.
        (
            [
                "Run bufbuild/buf-lint-action@v1",
                "::error file=proto/decider/decider.proto,line=15,col=32::syntax error:"
                " unexpected ';', expecting int literal",
                "::error::buf found 1 lint failures.",
            ],
            "syntax_error",
            {"file": "proto/decider/decider.proto", "line": "15"},
        ),
        # protoc's own parse error (space after the column).
        (
            [
                "$ protoc -I=proto --go_out=gen proto/api/hello.proto",
                'proto/api/hello.proto:12:18: Expected ";".',
            ],
            "syntax_error",
            {"file": "proto/api/hello.proto", "line": "12"},
        ),
        # buf lint's rows: no space after the column, the message capitalised.
        (
            [
                "##[group]Run buf lint",
                "##[endgroup]",
                'proto/pet/v1/pet.proto:3:1:Package name "pet" should be suffixed with a correctly'
                ' formed version, such as "pet.v1".',
                "##[error]Process completed with exit code 100.",
            ],
            "lint_failure",
            {"tool": "buf", "file": "proto/pet/v1/pet.proto", "line": "3"},
        ),
        (
            [
                "Run bufbuild/buf-breaking-action@v1",
                'Error: Previously present file "chain/stake/v1/tx.proto" was deleted.',
                "Error: buf found 1 breaking changes.",
            ],
            "lint_failure",
            {"tool": "buf"},
        ),
        # Plugins protoc and buf look up on PATH.
        (
            [
                "$ make proto",
                "protoc-gen-grpc-gateway: program not found or is not executable",
                "--grpc-gateway_out: protoc-gen-grpc-gateway: Plugin failed with status code 1.",
            ],
            "missing_tool",
            {"command": "protoc-gen-grpc-gateway"},
        ),
        (
            [
                "> protoc --dart_out=grpc:lib/src/generated -Iprotos protos/helloworld.proto",
                "--dart_out: protoc-gen-dart: The system cannot find the file specified.",
                "Error: Process completed with exit code 1.",
            ],
            "missing_tool",
            {"command": "protoc-gen-dart"},
        ),
        (
            [
                "$ buf generate",
                "Failure: plugin go: could not find protoc plugin for name go - please make sure"
                " protoc-gen-go is installed and present on your $PATH",
            ],
            "missing_tool",
            {"command": "protoc-gen-go"},
        ),
        # Bazel's launcher without the version .bazelversion pins.
        (
            [
                "##[group]Run bazel build //...",
                "##[endgroup]",
                "ERROR: The project you're trying to build requires Bazel 7.5.0 (specified in"
                " /home/runner/work/comm/comm/.bazelversion), but it wasn't found in /usr/bin.",
                "You can install the required Bazel version via apt:",
                "  sudo apt update && sudo apt install bazel-7.5.0",
                FAILED,
            ],
            "missing_tool",
            {"command": "bazel", "version": "7.5.0"},
        ),
        # A crate too old for the toolchain outranks cargo's "could not compile" under it.
        (
            [
                "   Compiling wasm-bindgen v0.2.79",
                "error: older versions of the `wasm-bindgen` crate are incompatible with current"
                " versions of Rust; please update to `wasm-bindgen` v0.2.88",
                "error: could not compile `wasm-bindgen` (build script) due to 1 previous error",
                "##[error]Process completed with exit code 101.",
            ],
            "dependency_conflict",
            {"package": "wasm-bindgen"},
        ),
        (
            [
                "[INFO]: Checking for the Wasm target...",
                'Error: wasm32-unknown-unknown target not found in sysroot: "/home/runner/.rustup/'
                'toolchains/stable-x86_64-unknown-linux-gnu"',
                FAILED,
            ],
            "missing_tool",
            {"name": "wasm32-unknown-unknown"},
        ),
        # Fetches that name their host: Bazel's repository download, wasm-pack's tool download.
        (
            [
                "##[group]Run bazel build //...",
                "##[endgroup]",
                "ERROR: An error occurred during the fetch of repository 'zlib':",
                "Error in download_and_extract: java.io.IOException: Error downloading"
                " [https://zlib.net/zlib-1.2.13.tar.gz] to /home/runner/.cache/bazel/_bazel_runner/a/"
                "external/zlib/temp1/zlib-1.2.13.tar.gz: GET returned 404 Not Found",
                "ERROR: Build did NOT complete successfully",
                FAILED,
            ],
            "network_error",
            {"host": "zlib.net"},
        ),
        # An import the include path lacks, and a pinned source hash Nix no longer gets.
        (
            [
                "$ protoc -I . --go_out=. api/hello.proto",
                "google/api/annotations.proto: File not found.",
                'api/hello.proto:5:1: Import "google/api/annotations.proto" was not found or had'
                " errors.",
            ],
            "missing_dependency",
            {"module": "google/api/annotations.proto"},
        ),
        (
            [
                "##[group]Run nix build .#default",
                "##[endgroup]",
                "error: hash mismatch in fixed-output derivation"
                " '/nix/store/qaj9d84cls77q2n7c5n1kbdl8p36k58g-source.drv':",
                "         specified: sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                FAILED,
            ],
            "dependency_conflict",
            {},
        ),
        # Operations that do not fit the schema (graphql-codegen 5 in CI).
        (
            [
                "[STARTED] Generate",
                "[FAILED] GraphQL Document Validation failed with 2 errors;",
                '[FAILED] Error 0: Cannot query field "apiKeys" on type "Query".',
                FAILED,
            ],
            "lint_failure",
            {},
        ),
        # Regenerated code that differs from the committed files, shown by git diff --exit-code.
        (
            [
                "##[group]Run make generate && git diff --exit-code",
                "##[endgroup]",
                "go generate ./...",
                "diff --git a/internal/kind/kind_string.go b/internal/kind/kind_string.go",
                "index 3b1f2a0..8c0d5e1 100644",
                "--- a/internal/kind/kind_string.go",
                "+++ b/internal/kind/kind_string.go",
                "+\t_ = x[KindC-2]",
                FAILED,
            ],
            "lint_failure",
            {"file": "internal/kind/kind_string.go"},
        ),
        # Nix quotes the failed builder's last lines behind "> ": the compiler's error inside wins.
        (
            [
                "##[group]Run nix build .#app -L",
                "##[endgroup]",
                "error: builder for '/nix/store/dkbyx5h1yrkqcd55lxiqlrfqrng2p4db-app-0.1.0.drv' failed"
                " with exit code 101;",
                "       last 10 log lines:",
                "       > error[E0425]: cannot find value `cfg` in this scope",
                "       >   --> src/main.rs:12:9",
                '       > error: could not compile `app` (bin "app") due to 1 previous error',
                "       For full logs, run 'nix log /nix/store/dkbyx5h1yrkqcd55lxiqlrfqrng2p4db-app.drv'.",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/main.rs", "line": "12"},
        ),
        (
            [
                "##[group]Run nix build -L",
                "##[endgroup]",
                "error: builder for '/nix/store/yp884nk9pdr3mxn4h85i8ng3lq53xr1w-tool-1.2.drv' failed"
                " with exit code 2;",
                "       > src/main.c:5:3: error: 'foo' undeclared (first use in this function)",
                "       > make: *** [Makefile:12: main.o] Error 1",
                FAILED,
            ],
            "syntax_error",
            {"file": "src/main.c", "line": "5"},
        ),
        # OpenAPI Generator's spec validation through the Gradle plugin.
        (
            [
                "> Task :openApiGenerate FAILED",
                "* What went wrong:",
                "Execution failed for task ':openApiGenerate'.",
                "> There were issues with the specification. The option can be disabled via"
                " validateSpec (Maven/Gradle) or --skip-validate-spec (CLI).",
            ],
            "lint_failure",
            {"tool": "openapi-generator"},
        ),
        (
            [
                "> graphql-codegen --config codegen.yml",
                "  ✖ saleor/api.tsx",
                "    Failed to load schema from https://tutorial.example.cloud/graphql/:",
            ],
            "network_error",
            {"host": "tutorial.example.cloud"},
        ),
    ],
)
def test_codegen_and_build_tooling_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    "lines",
    [
        # clang-format without --Werror warns and exits 0.
        [
            "##[group]Run clang-format --dry-run --style=file lib/nicif/*.cc",
            "##[endgroup]",
            "lib/nicif/nicif.cc:57:3: warning: code should be clang-formatted"
            " [-Wclang-format-violations]",
            "Cleaning up orphan processes",
        ],
        # A release job that shows its diff and goes on.
        [
            "##[group]Run git diff HEAD~1 -- CHANGELOG.md",
            "##[endgroup]",
            "diff --git a/CHANGELOG.md b/CHANGELOG.md",
            "+## 1.4.0",
            "Cleaning up orphan processes",
        ],
        # A clean buf run and a local schema path are not failures.
        [
            "##[group]Run buf lint",
            "##[endgroup]",
            "buf found 0 lint failures.",
            "Cleaning up orphan processes",
        ],
    ],
)
def test_codegen_look_alikes_stay_quiet(tmp_path: Path, lines: list[str]) -> None:
    assert top_finding(tmp_path, lines) == (None, {})
