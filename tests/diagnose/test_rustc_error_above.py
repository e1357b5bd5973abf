"""cargo's "error: could not compile `x`" is a compile error only under rustc's own error lines in
its step (compile_summaries.no_rustc_error_above): rustc's "error[E0425]: …" or "error: …" with its
"-->" location. The summary alone (a paste cut after it, rust-cv/cv PR #27; cargo-dist swallowing
rustc's output, axodotdev/cargo-dist #177) says nothing about the code.
"""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import FAILED, job_rules, run_step, text_finding

_rules = job_rules


def test_summary_under_rustc_error_is_a_compile_error(tmp_path: Path) -> None:
    # rustc's error without an E code, its location below it, then cargo's summary.
    lines = [
        *run_step(
            "cargo build --release",
            "   Compiling app v0.9.0 (/home/runner/work/app/app/app)",
            "error: let chains are only allowed in Rust 2024 or later",
            "   --> app/src/store/hybrid.rs:370:28",
            "    |",
            "warning: `app` (lib) generated 1 warning",
            "error: could not compile `app` (lib) due to 1 previous error; 1 warning emitted",
        ),
        FAILED,
    ]
    assert _rules(tmp_path, lines)[0] == "rust-could-not-compile"


def test_summary_alone_in_its_step_is_no_compile_error(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "cargo dist --target=aarch64-apple-darwin --output-format=json",
            "building cargo target (aarch64-apple-darwin/dist)",
            "   Compiling ferry v0.1.9 (/home/runner/work/harbor/harbor/apps/ferry)",
            "error: could not compile `ferry` due to 4 previous errors",
            "warning: build failed, waiting for other jobs to finish...",
        ),
        FAILED,
    ]
    rules = _rules(tmp_path, lines)
    assert "rust-could-not-compile" not in rules
    assert rules[0] == "unknown-last-lines"


def test_errors_beyond_the_lines_kept_above_still_count(tmp_path: Path) -> None:
    # Forty warning lines between rustc's error and the summary: the step's start is out of reach,
    # so the summary is not cleared.
    lines = [
        *run_step(
            "cargo build",
            "error: let chains are only allowed in Rust 2024 or later",
            "   --> src/lib.rs:3:5",
            *[f"warning: unused variable: `v{i}`" for i in range(45)],
            "error: could not compile `app` (lib) due to 1 previous error; 45 warnings emitted",
        ),
        FAILED,
    ]
    assert _rules(tmp_path, lines)[0] == "rust-could-not-compile"


def test_an_earlier_steps_error_does_not_count(tmp_path: Path) -> None:
    lines = [
        *run_step("cargo check -p tools", "error: no such command: `foo`"),
        *run_step("cargo build", "error: could not compile `app`"),
        FAILED,
    ]
    assert "rust-could-not-compile" not in _rules(tmp_path, lines)


def test_pasted_summary_with_error_code_above(tmp_path: Path) -> None:
    paste = (
        "   Compiling app v0.1.0 (/home/runner/work/app/app)\n"
        "error[E0425]: cannot find value `x` in this scope\n"
        " --> src/main.rs:2:13\n"
        'error: could not compile `app` (bin "app") due to 1 previous error\n'
    )
    assert text_finding(tmp_path, paste)[0] == "syntax_error"


def test_pasted_summary_alone_is_no_compile_error(tmp_path: Path) -> None:
    paste = (
        "Run actions-rs/cargo@v1\n"
        "/usr/share/rust/.cargo/bin/cargo build --all --all-features\n"
        "   Compiling optic-core v0.15.0 (/home/runner/work/optic/optic/optic-core)\n"
        "error: could not compile `optic-core`\n"
    )
    assert text_finding(tmp_path, paste)[0] != "syntax_error"


def test_short_message_format_errors_count(tmp_path: Path) -> None:
    # cargo build --message-format=short puts rustc's place before its error.
    lines = [
        *run_step(
            "cargo build --message-format=short",
            "src/main.rs:2:13: error[E0425]: cannot find value `x` in this scope",
            'error: could not compile `app` (bin "app") due to 1 previous error',
        ),
        FAILED,
    ]
    assert _rules(tmp_path, lines)[0] == "rust-could-not-compile"


def test_without_the_steps_header_above_it_is_kept(tmp_path: Path) -> None:
    # A paste with no step header: what lies above the lines kept is unknown, so the summary stands.
    paste = "   Compiling app v0.1.0 (/home/runner/work/app/app)\nerror: could not compile `app`\n"
    assert text_finding(tmp_path, paste)[0] == "syntax_error"


def test_errors_behind_a_buildkit_prefix_count(tmp_path: Path) -> None:
    # rustc inside `docker build`: BuildKit puts "#10 4.001 " before each line, the summary's too.
    lines = [
        *run_step(
            "docker build -t app .",
            "#10 [build 4/4] RUN cargo build --release",
            "#10 3.210    Compiling app v0.1.0 (/app)",
            "#10 4.001 error: unused import: `std::io`",
            "#10 4.001  --> src/main.rs:1:5",
            '#10 4.002 error: could not compile `app` (bin "app") due to 1 previous error',
        ),
        FAILED,
    ]
    assert _rules(tmp_path, lines)[0] == "rust-could-not-compile"


def test_errors_behind_a_monorepo_task_prefix_count(tmp_path: Path) -> None:
    # turbo puts the task before each line of a Tauri app's cargo build.
    lines = [
        *run_step(
            "pnpm turbo run build",
            "@app/desktop:build:    Compiling app v0.1.0 (/home/runner/work/app/app/src-tauri)",
            "@app/desktop:build: error: unused import: `std::io`",
            "@app/desktop:build:  --> src/main.rs:1:5",
            '@app/desktop:build: error: could not compile `app` (bin "app") due to 1 previous error',
        ),
        FAILED,
    ]
    assert _rules(tmp_path, lines)[0] == "rust-could-not-compile"


def test_errors_behind_nix_quotes_count(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "nix build .#app",
            "error: builder for '/nix/store/abc-app-0.1.0.drv' failed with exit code 101;",
            "       last 3 log lines:",
            "       > error: unused import: `std::io`",
            "       >  --> src/main.rs:1:5",
            '       > error: could not compile `app` (bin "app") due to 1 previous error',
        ),
        FAILED,
    ]
    assert _rules(tmp_path, lines)[0] == "rust-could-not-compile"


def test_json_message_format_errors_count(tmp_path: Path) -> None:
    # cargo build --message-format=json: rustc's error is the "rendered" field of a JSON line.
    lines = [
        *run_step(
            "cargo build --message-format=json",
            '{"reason":"compiler-message","package_id":"app 0.1.0","message":{"rendered":'
            '"error[E0425]: cannot find value `x` in this scope\\n --> src/main.rs:2:13\\n",'
            '"level":"error","code":{"code":"E0425"}}}',
            '{"reason":"build-finished","success":false}',
            'error: could not compile `app` (bin "app") due to 1 previous error',
        ),
        FAILED,
    ]
    assert _rules(tmp_path, lines)[0] == "rust-could-not-compile"


def test_json_warning_or_abort_alone_does_not_count(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "cargo build --message-format=json",
            '{"reason":"compiler-message","message":{"rendered":"warning: unused variable: `x`\\n"}}',
            '{"reason":"compiler-message","message":{"rendered":"error: aborting due to 1 previous'
            ' error\\n"}}',
            'error: could not compile `app` (bin "app") due to 1 previous error',
        ),
        FAILED,
    ]
    assert "rust-could-not-compile" not in _rules(tmp_path, lines)
