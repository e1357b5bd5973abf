"""Pasted excerpts: what the paste sweep changed outside single rules.

One quoted line keeps no indentation of its own: ">    Error: …" is a code block in a quote
(FOME-Tech/fome-fw PR #535), so the quote marker and the block's indentation both come off. A run
page's title copied as the markdown link the page made of it, "[Invalid workflow file: x.yml#L10](
https://github.com/o/r/actions/runs/1/workflow)" (devstream-io/devstream #305), keeps its text and
loses the link. Texts are real pastes with names changed; each names its thread.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.pastes import paste_cleaned
from tests.diagnose.joblog import text_finding

_RUN = "https://github.com/octo/site/actions/runs/1967062695"
_DEPRECATED_V3 = (
    "Error: This request has been automatically failed because it uses a deprecated version of"
    " actions/upload-artifact: v3. Learn more:"
    " https://github.blog/changelog/2024-04-16-deprecation-notice-v3-of-the-artifact-actions/"
)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        # one quoted line that was a code block in the quote
        (b">    Error: x\n", b"Error: x\n"),
        # one line pasted indented, not quoted, keeps its indentation (VSTest's "  X Test [134ms]")
        (
            b"  X Acme.Tests.WidgetTests.Renders [134ms]\n",
            b"  X Acme.Tests.WidgetTests.Renders [134ms]\n",
        ),
        # a quoted fence around one indented line: the fence stays an empty line
        (b"> ```\n>    Error: x\n> ```\n", b"\nError: x\n\n"),
        # only fences: nothing to dedent
        (b"```\n```\n", b"\n\n"),
        # the run page's link around a title; a link elsewhere stays
        (
            f"[Invalid workflow file: .github/workflows/ci.yml#L10]({_RUN}/workflow)\n".encode(),
            b"Invalid workflow file: .github/workflows/ci.yml#L10\n",
        ),
        (
            f"[build (ubuntu-latest)]({_RUN}/job/18470010385) failed\n".encode(),
            b"build (ubuntu-latest) failed\n",
        ),
        # a pull request's annotation as its Files view links it
        (
            b"[Check failure on line 25 in services/api/Dockerfile]"
            b"(https://github.com/octo/site/pull/16/files#annotation_70470867753)\n",
            b"Check failure on line 25 in services/api/Dockerfile\n",
        ),
        (
            b"see [the docs](https://docs.github.com/actions/runs) for more\n",
            b"see [the docs](https://docs.github.com/actions/runs) for more\n",
        ),
    ],
)
def test_paste_cleaned(raw: bytes, want: bytes) -> None:
    assert paste_cleaned(raw) == want


@pytest.mark.parametrize(
    ("text", "want", "facts"),
    [
        # the annotation quoted as a code block (FOME-Tech/fome-fw PR #535)
        (
            ">    " + _DEPRECATED_V3 + "\n",
            "deprecated_action",
            {"action": "actions/upload-artifact", "version": "v3"},
        ),
        # the run page's title as a link, then the parser's message (devstream-io/devstream #305)
        (
            f"[Invalid workflow file: .github/workflows/pr-builder.yml#L10]({_RUN}/workflow)\n"
            "You have an error in your yaml syntax on line 10\n",
            "yaml_syntax_error",
            {"file": ".github/workflows/pr-builder.yml", "line": "10"},
        ),
    ],
)
def test_pasted_excerpt_verdict(
    tmp_path: Path, text: str, want: str, facts: dict[str, str]
) -> None:
    kind, data = text_finding(tmp_path, text)
    assert kind == want
    assert facts.items() <= data.items()


def test_one_quoted_passing_line_stays_passing(tmp_path: Path) -> None:
    # Dedenting a quoted line must not turn a warning into a failure.
    kind, _ = text_finding(
        tmp_path,
        ">    Warning: The `set-output` command is deprecated and will be disabled soon.\n",
    )
    assert kind is None
