"""Facts the documentation-builds sweep (second) relies on: Sphinx's first warning row above its
tally, Liquid's place inside an include, the tool of a rustdoc lint.

Texts are the tools' real formats with names changed; the thread each comes from is named in
diagnose/docs_rows.py, diagnose/locations.py, diagnose/linters.py or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.docs_rows import first_docs_row, is_docs_tally
from smartmon.diagnose.linters import lint_tool
from smartmon.diagnose.locations import location
from smartmon.diagnose.pastes import paste_cleaned
from tests.diagnose.joblog import FAILED, assert_finding, run_step

_SPHINX = "sphinx-build -W --keep-going -b html docs docs/_build"
_PROGRESS = [
    "looking for now-outdated files... none found",
    "pickling environment... done",
    "checking consistency... done",
    "preparing documents... done",
    "writing output... [100%] usage",
    "generating indices... genindex done",
    "writing additional pages... search done",
]


@pytest.mark.parametrize(
    ("rows", "tally", "facts"),
    [
        # Sphinx 7.3+: rows far above the tally, the first one is the fact.
        (
            [
                "/home/runner/work/proj/proj/docs/install.rst:3: WARNING: Title underline too short.",
                "",
                "Install",
                "=====",
                *_PROGRESS,
                "/home/runner/work/proj/proj/docs/usage.rst:44: WARNING: undefined label: cli",
            ],
            "build finished with problems, 2 warnings.",
            {"file": "docs/install.rst", "line": "3"},
        ),
        # Windows paths and docutils' ERROR level, with the 7.3+ warning type.
        (
            [
                "D:\\a\\proj\\proj\\docs\\guide\\setup.rst:7: ERROR: Unknown directive type"
                ' "tabs". [docutils]',
                *_PROGRESS,
            ],
            "build finished with problems, 1 warning (with warnings treated as errors).",
            {"file": "docs/guide/setup.rst", "line": "7"},
        ),
        # A docstring's row: the line counts from the docstring, so only the file is a fact.
        (
            [
                "/home/runner/work/proj/proj/src/proj/core.py:docstring of proj.core.Engine.run:5:"
                " WARNING: Unexpected indentation. [docutils]",
                *_PROGRESS,
                "/home/runner/work/proj/proj/docs/api.rst:30: WARNING: undefined label: 'engine'",
            ],
            "build finished with problems, 2 warnings (with warnings treated as errors).",
            {"file": "src/proj/core.py", "line": None},
        ),
        # A first row without a place names no file (not the later row's).
        (
            [
                "WARNING: html_static_path entry '_static' does not exist",
                *_PROGRESS,
                "/home/runner/work/proj/proj/docs/api.rst:30: WARNING: undefined label: 'engine'",
            ],
            "build finished with problems, 2 warnings.",
            {"file": None, "line": None},
        ),
    ],
)
def test_sphinx_tally_takes_the_first_warning_row(
    tmp_path: Path, rows: list[str], tally: str, facts: dict[str, str | None]
) -> None:
    lines = run_step(_SPHINX, "Running Sphinx v7.4.7", *rows, tally, FAILED)
    assert_finding(tmp_path, lines, "lint_failure", {"tool": "sphinx", **facts})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("below", "facts"),
    [
        # -W alone before Sphinx 7.3: the one row under the head, without a level.
        (
            "/home/runner/work/proj/proj/docs/index.rst:12:undefined label: installation",
            {"file": "docs/index.rst", "line": "12"},
        ),
        # A docstring's row without a level: its file only.
        (
            "/home/runner/work/proj/proj/src/proj/core.py:docstring of proj.core.Engine.run:5:"
            "Unexpected indentation.",
            {"file": "src/proj/core.py", "line": None},
        ),
        # Sphinx 1.x-3.x left a whole document's line empty.
        (
            "/home/runner/work/proj/proj/docs/portals-gtk.rst:: WARNING: document isn't included in"
            " any toctree",
            {"file": "docs/portals-gtk.rst", "line": None},
        ),
    ],
)
def test_sphinx_warning_treated_as_error_takes_the_row_below(
    tmp_path: Path, below: str, facts: dict[str, str | None]
) -> None:
    lines = run_step(
        "sphinx-build -W -b html docs docs/_build",
        "Running Sphinx v3.5.4",
        "reading sources... [100%] usage",
        "",
        "Warning, treated as error:",
        below,
        FAILED,
    )
    assert_finding(tmp_path, lines, "lint_failure", {"tool": "sphinx", **facts})  # type: ignore[dict-item]


def test_docs_rows_stay_in_the_tally_step() -> None:
    before = [
        "##[group]Run sphinx-build -M doctest docs docs/_build",
        "/home/runner/work/p/p/docs/a.rst:4: WARNING: Title underline too short.",
        "##[group]Run sphinx-build -W --keep-going -b html docs docs/_build",
        "Running Sphinx v8.1.3",
        "/home/runner/work/p/p/docs/b.rst:9: WARNING: undefined label: x",
    ]
    assert is_docs_tally("build finished with problems, 1 warning.")
    assert not is_docs_tally("build succeeded, 1 warning.")
    assert first_docs_row(before, []) == ("docs/b.rst", "9")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # An include's own place comes first; the page that included it is named last.
        (
            "  Liquid Exception: Liquid syntax error (/github/workspace/_includes/head.html line 22):"
            " Expected end_of_string but found id included in /_layouts/default.html",
            ("_includes/head.html", "22"),
        ),
        (
            "Liquid Exception: Liquid syntax error (/home/runner/work/site/site/_includes/nav.html"
            " line 3): Unknown tag 'endfor' included in index.md",
            ("_includes/nav.html", "3"),
        ),
        # A render error says "Liquid error"; the layout is named from the site root.
        (
            "  Liquid Exception: Liquid error (line 5): comparison of Integer with String failed in"
            " /_layouts/post.html",
            ("_layouts/post.html", "5"),
        ),
        (
            "  Liquid Exception: Liquid syntax error (line 36): Variable '{{0x800' was not properly"
            " terminated with regexp: /\\}\\}/ in docs/linux/fuzzing.md",
            ("docs/linux/fuzzing.md", "36"),
        ),
        ("  Liquid Exception: Liquid syntax error (line 32): Unknown tag 'tabs'", None),
        # Hugo: a position inside a theme module's cache is no repository file, nor is the
        # template name after it (that module's layouts).
        (
            'ERROR render of "section" failed: "/tmp/hugo_cache_runner/modules/filecache/modules/'
            "pkg/mod/github.com/!hugo!blox/blox-bootstrap/v5@v5.9.6/layouts/_default/baseof.html"
            ':11:403": execute of template failed: template: section/event.html:11:403: executing'
            ' "section/event.html" at <.File.UniqueID>: can\'t evaluate field File in type'
            " source.File",
            None,
        ),
        (
            'Error: error building site: "/home/runner/work/site/site/content/docs/examples.md'
            ':163:1": failed to render shortcode "columns": failed to process shortcode:'
            ' "/home/runner/work/site/site/themes/book/layouts/shortcodes/columns.html:4:12":'
            " execute of template failed",
            ("content/docs/examples.md", "163"),
        ),
    ],
)
def test_liquid_and_hugo_places(text: str, want: tuple[str, str] | None) -> None:
    assert location(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("    = note: `-D rustdoc::broken-intra-doc-links` implied by `-D warnings`", "rustdoc"),
        (
            "    = help: to override `-D warnings` add `#[allow(rustdoc::broken_intra_doc_links)]`",
            "rustdoc",
        ),
        ("  = note: `-D clippy::needless-return` implied by `-D warnings`", "clippy"),
        ("  = note: `-D unused-variables` implied by `-D warnings`", None),
    ],
)
def test_rust_lint_names_its_tool(text: str, want: str | None) -> None:
    assert lint_tool(text, [], "Set up job") == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # rustdoc's lint denied by an attribute: no "-D" note, the error line names it.
        (
            run_step(
                "cargo doc --no-deps",
                " Documenting log v0.4.17 (/home/runner/work/log/log)",
                "error: unresolved link to `db_logger`",
                "   --> src/lib.rs:148:12",
                "    |",
                "148 | //!     * [db_logger]",
                "    |            ^^^^^^^^^ no item named `db_logger` in scope",
                "    |",
                "note: the lint level is defined here",
                "   --> src/lib.rs:1:9",
                "error: could not document `log`",
                "##[error]Process completed with exit code 101.",
            ),
            "lint_failure",
            {"tool": "rustdoc", "file": "src/lib.rs", "line": "148"},
        ),
        # Sphinx autodoc's bare exception under -W: the import is the cause.
        (
            run_step(
                "sphinx-build -E -W -b html . _build/html",
                "Warning, treated as error:",
                "autodoc: failed to import module 'core' from module 'proj'; the following"
                " exception was raised:",
                "cannot import name 'Engine' from 'proj.engine'"
                " (/home/runner/work/proj/proj/src/proj/engine.py)",
                FAILED,
            ),
            "import_error",
            {"name": "Engine", "from": "proj.engine"},
        ),
        # A Hugo theme kept as a submodule the checkout did not fetch.
        (
            run_step(
                "hugo --minify",
                'Error: module "ananke" not found; either add it as a Hugo Module or store it in'
                ' "/home/runner/work/site/site/themes".: module does not exist',
                FAILED,
            ),
            "missing_dependency",
            {"module": "ananke"},
        ),
    ],
)
def test_docs_build_causes(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_docs_host_clock_is_taken_off_a_paste() -> None:
    vercel = (
        b"12:01:26.483 [ERROR] Client bundle compiled with errors therefore further build is"
        b" impossible.\n"
        b'12:01:26.483 Error: MDX compilation failed for file "/vercel/path1/docs/x.md"\n'
        b"12:01:26.484 Cause: Could not parse expression with acorn\n"
    )
    cleaned = paste_cleaned(vercel).split(b"\n")
    assert cleaned[1] == b'Error: MDX compilation failed for file "/vercel/path1/docs/x.md"'
    netlify = b"6:34:54 PM: [ERROR] Client bundle compiled with errors\n6:34:55 PM: Done\n"
    assert paste_cleaned(netlify).startswith(b"[ERROR] Client bundle")
    # One clock-like line in a paste is the log's own text.
    lone = b"10:01:02 started\nError: something failed\nmore text here\n"
    assert paste_cleaned(lone) == lone


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        # Rspack's report of an MDX page, pasted from Vercel with its clock.
        (
            [
                "12:01:26.483 [ERROR] Client bundle compiled with errors therefore further build"
                " is impossible.",
                '12:01:26.483 ╰─▶   × Error: MDX compilation failed for file "/vercel/path1/'
                'reference/integrations-api/valkey.md"',
                "12:01:26.484         │ Cause: Could not parse expression with acorn",
                "12:01:26.484         │ Details:",
                '12:01:26.485         │   "line": 271,',
                '12:01:26.485         │   "name": "271:21",',
            ],
            {"file": "reference/integrations-api/valkey.md", "line": "271"},
        ),
        # A span's name ("183:1-183:52") from an unclosed tag.
        (
            [
                "[ERROR] Client bundle compiled with errors therefore further build is impossible.",
                'Error: MDX compilation failed for file "/opt/build/repo/docs/api/conformance.mdx"',
                "Cause: Expected a closing tag for `<details>` (183:1-183:10) before the end of"
                " `paragraph`",
                "Details:",
                "{",
                '  "column": 1,',
                '  "line": 183,',
                '  "name": "183:1-183:52",',
            ],
            {"file": "docs/api/conformance.mdx", "line": "183"},
        ),
    ],
)
def test_mdx_failures_in_pastes(tmp_path: Path, lines: list[str], facts: dict[str, str]) -> None:
    assert_finding(tmp_path, lines, "syntax_error", facts)
