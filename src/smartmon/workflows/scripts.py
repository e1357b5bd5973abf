"""The lines of `run:` scripts as they sit in the file, and the shell each step runs them with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from smartmon.workflows.nodes import Site, get_path, run_sites, runs_on_sites
from smartmon.workflows.text import body, editable_in_place, scalar_span


@dataclass(frozen=True, kw_only=True)
class ScriptLine:
    """One line of a `run:` script: where it is in the file and what it says."""

    site: Site  # the run: value it belongs to
    line: int  # 0-based line in the file
    content: str  # the file line without its ending (block scripts) or the whole value (inline)
    inline: bool  # True for `run: one-line command` (the value sits on the key's line)
    editable: bool  # False for folded (>) scripts and multi-line plain/quoted ones


def _key_col(doc: Any, site: Site) -> int:
    parent = get_path(doc, site.path[:-1])
    col: int = parent.lc.key(site.path[-1])[1]
    return col


def script_lines(lines: Sequence[str], doc: Any) -> list[ScriptLine]:
    """Every line of every `run:` script, in file order."""
    out: list[ScriptLine] = []
    for site in run_sites(doc):
        if site.line >= len(lines):
            continue
        head = body(lines[site.line])[0][site.col :]
        if head[:1] in ("|", ">"):
            key_col = _key_col(doc, site)
            index = site.line + 1
            while index < len(lines):
                content = body(lines[index])[0]
                stripped = content.lstrip(" ")
                if stripped and len(content) - len(stripped) <= key_col:
                    break
                out.append(
                    ScriptLine(
                        site=site,
                        line=index,
                        content=content,
                        inline=False,
                        editable=head[0] == "|",
                    )
                )
                index += 1
            continue
        span = scalar_span(lines, site.line, site.col, flow=site.flow)
        if span is not None and "\n" not in site.value:
            out.append(
                ScriptLine(
                    site=site,
                    line=site.line,
                    content=site.value,
                    inline=True,
                    editable=editable_in_place(lines, site),
                )
            )
            continue
        # A plain or quoted script folded over several lines: report its lines, never edit them.
        for offset, _ in enumerate(site.value.splitlines() or [""]):
            index = site.line + offset
            if index < len(lines):
                out.append(
                    ScriptLine(
                        site=site,
                        line=index,
                        content=body(lines[index])[0],
                        inline=False,
                        editable=False,
                    )
                )
    return out


def _shell_name(value: str) -> str:
    first = value.strip().split()[0] if value.strip() else ""
    return first.rsplit("/", 1)[-1].lower()


def step_shell(doc: Any, site: Site) -> str | None:
    """The shell a `run:` step uses (`bash`, `sh`, `pwsh`, ...), or None when it cannot be known."""
    step = get_path(doc, site.path[:-1])
    explicit = step.get("shell")
    if isinstance(explicit, str):
        return _shell_name(explicit)
    if site.path[0] != "jobs":
        return None  # composite action steps must name their shell
    job = doc["jobs"][site.path[1]]
    for scope in (job, doc):
        defaults = scope.get("defaults")
        run = defaults.get("run") if isinstance(defaults, dict) else None
        shell = run.get("shell") if isinstance(run, dict) else None
        if isinstance(shell, str):
            return _shell_name(shell)
    if "runs-on" not in job:
        return None
    literal, via_matrix = runs_on_sites(doc)
    job_id = site.path[1]
    matrix_labels = [s.value.lower() for s in via_matrix if s.job == job_id]
    labels = [s.value.lower() for s in literal if s.job == job_id] + matrix_labels
    runs_on = job.get("runs-on")
    if isinstance(runs_on, str) and "${{" in runs_on and not matrix_labels:
        return None
    if not labels:
        return None
    windows = [label for label in labels if "windows" in label]
    if not windows:
        return "bash"
    return "pwsh" if len(windows) == len(labels) else None
