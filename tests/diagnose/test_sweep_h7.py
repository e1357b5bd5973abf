"""Docs and site builds: the location shapes and verdicts the docs/release sweep relies on.

Texts are the tools' real formats with names changed; the thread each comes from is named in
`diagnose/locations.py` or the rule that uses it (rules/30-python.yaml, 50-build.yaml, 70-lint.yaml).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.facts import location, repo_path
from tests.diagnose.joblog import FAILED, assert_finding, top_finding


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # Hugo's quoted file position, whatever the message before it.
        (
            'Error: error building site: assemble: "/home/runner/work/site/site/content/posts/'
            'a/_index.md:1:1": EOF looking for end TOML front matter delimiter',
            ("content/posts/a/_index.md", "1"),
        ),
        (
            'ERROR render of "page" failed: "/home/runner/work/site/site/layouts/_default/'
            'baseof.html:33:7": execute of template failed: template: _default/single.html:33:7',
            ("layouts/_default/baseof.html", "33"),
        ),
        # Liquid: the line first, the page last; layouts are named from the site root.
        (
            "  Liquid Exception: Liquid syntax error (line 20): Unknown tag 't' in UPGRADING.pt-br.md",
            ("UPGRADING.pt-br.md", "20"),
        ),
        (
            "Liquid Exception: Liquid syntax error (line 59): Unknown tag 'x' in /_layouts/post.liquid",
            ("_layouts/post.liquid", "59"),
        ),
        # Psych: the config file in parentheses, or front matter named before "(<unknown>)".
        (
            "jekyll 3.7.4 | Error:  (/home/runner/work/blog/blog/_config.yml): did not find expected"
            " key while parsing a block mapping at line 5 column 1",
            ("_config.yml", "5"),
        ),
        (
            "YAML Exception reading /home/runner/work/site/site/about/team.md: (<unknown>): did not"
            " find expected key while parsing a block mapping at line 2 column 1",
            ("about/team.md", "2"),
        ),
        # A Ruby frame in the gems Bundler installed into the checkout is no place of the project:
        # the Psych message names the file.
        (
            "/github/workspace/vendor/bundle/ruby/2.7.0/gems/safe_yaml-1.0.5/lib/safe_yaml/load.rb:143"
            ":in `parse': (/github/workspace/_config.yml): did not find expected key while parsing a"
            " block mapping at line 1 column 1 (Psych::SyntaxError)",
            ("_config.yml", "1"),
        ),
    ],
)
def test_docs_build_location_shapes(text: str, want: tuple[str, str]) -> None:
    assert location(text) == want


def test_bundler_vendor_folder_is_not_the_project() -> None:
    assert repo_path("/home/runner/work/s/s/vendor/bundle/ruby/3.2.0/gems/x/lib/x.rb") is None
    assert repo_path("vendor/bundle/ruby/3.2.0/gems/x/lib/x.rb") is None
    # Go's vendored packages stay paths of the repository.
    assert (
        repo_path("/home/runner/work/s/s/vendor/github.com/x/y/z.go")
        == "vendor/github.com/x/y/z.go"
    )


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # The Pages build's closing "##[error]Logging at level: debug …" is not the cause.
        (
            [
                "##[group]Run actions/jekyll-build-pages@v1",
                "##[endgroup]",
                "  Liquid Exception: Liquid syntax error (line 36): Variable '{{0x8, @a={{0x5}' was not"
                " properly terminated with regexp: /\\}\\}/ in docs/linux/net.md",
                "##[error]Logging at level: debug Configuration file: /github/workspace/./_config.yml",
            ],
            "syntax_error",
            {"file": "docs/linux/net.md", "line": "36"},
        ),
        # A mkdocs.yml tag naming a module that is not installed is a missing dependency, not YAML.
        (
            [
                "##[group]Run mkdocs gh-deploy --force",
                "##[endgroup]",
                "Error: MkDocs encountered an error parsing the configuration file: while"
                " constructing a Python object",
                "cannot find module 'material.extensions.emoji' (No module named 'material')",
                '  in "/home/runner/work/docs/docs/mkdocs.yml", line 47, column 20',
                FAILED,
            ],
            "missing_dependency",
            {"module": "material"},
        ),
        # Sphinx before 7.3 with -W --keep-going: the tally under the first warning.
        (
            [
                "##[group]Run sphinx-build -W --keep-going -b html docs docs/_build",
                "##[endgroup]",
                "/home/runner/work/p/p/docs/usage.rst:30: WARNING: undefined label: 'setup'",
                "build finished with problems, 1 warning.",
                FAILED,
            ],
            "lint_failure",
            {"tool": "sphinx", "file": "docs/usage.rst", "line": "30"},
        ),
    ],
)
def test_docs_build_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_liquid_warning_in_a_green_pages_build_is_no_failure(tmp_path: Path) -> None:
    got, _ = top_finding(
        tmp_path,
        [
            "##[group]Run actions/jekyll-build-pages@v1",
            "##[endgroup]",
            '  Liquid Warning: Liquid syntax error (line 231): [:dot, "."] is not a valid expression'
            ' in "{{ . }}" in themes/coder/exampleSite/content/posts/go.md',
            "                    done in 2.412 seconds.",
            "Cleaning up orphan processes",
        ],
    )
    assert got is None


def test_mdx_page_place_from_the_vfile_details(tmp_path: Path) -> None:
    got, data = top_finding(
        tmp_path,
        [
            "##[group]Run npm run build",
            "##[endgroup]",
            "[ERROR] Client bundle compiled with errors therefore further build is impossible.",
            'Error: MDX compilation failed for file "/home/runner/work/ui/ui/docs/ui/select.md"',
            "Cause: Could not parse expression with acorn",
            "Details:",
            "{",
            '  "cause": {',
            '    "loc": {',
            '      "line": 407,',
            '      "column": 16',
            "    }",
            "  },",
            '  "line": 407,',
            '  "name": "407:17",',
            "}",
            FAILED,
        ],
    )
    assert got == "syntax_error"
    assert (data.get("file"), data.get("line")) == ("docs/ui/select.md", "407")


def test_cache_sunset_warning_on_save_leaves_the_job_green(tmp_path: Path) -> None:
    # Only a failing tool (Buildx's "ERROR: failed to solve: This legacy service is shutting down …")
    # is a cause; actions/cache's save warns and the job passes.
    got, _ = top_finding(
        tmp_path,
        [
            "##[group]Run actions/cache@v4.0.2",
            "##[endgroup]",
            "##[warning]Failed to restore: Cache service responded with 422",
            "Post job cleanup.",
            "Failed to save: Unable to reserve cache with key Linux-cuda-12.6.1, another job may be"
            " creating this cache. More details: This legacy service is shutting down, effective"
            " April 15, 2025. Migrate to the new service ASAP. For more information:"
            " https://gh.io/gha-cache-sunset",
            "Cleaning up orphan processes",
        ],
    )
    assert got is None
