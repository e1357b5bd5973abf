"""Find things in a parsed workflow (or action.yml): jobs, steps, `uses:`, `runs-on` labels, scripts.

Each found scalar comes back as a `Site` with its 0-based line and column in the file, so a fixer
can rewrite exactly that text (see `workflow_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeGuard

Path = tuple[str | int, ...]

_MATRIX_REF = re.compile(r"\$\{\{\s*matrix\.([A-Za-z_][\w-]*)\s*\}\}")
_JOB_SUFFIX = re.compile(r"^(?P<base>.*?) \(.*\)$")
_EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.DOTALL)


@dataclass(frozen=True, kw_only=True)
class Site:
    """One string scalar in the document, where it is and what it belongs to."""

    value: str
    line: int  # 0-based
    col: int
    path: Path
    flow: bool  # inside a flow collection ([...] or {...})
    job: str = ""
    step: str = ""


@dataclass(frozen=True, kw_only=True)
class StepRef:
    job: str  # job id ("" for an action.yml's runs.steps)
    path: Path
    node: Any  # CommentedMap
    name: str  # the name GitHub shows for the step


def _is_map(node: Any) -> TypeGuard[dict[Any, Any]]:
    return isinstance(node, dict)


def _flow(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa is not None and fa.flow_style())


def site(
    container: Any, key: str | int, path: Path, *, job: str = "", step: str = ""
) -> Site | None:
    """The Site of `container[key]` when it is a string scalar with a recorded position."""
    try:
        value = container[key]
    except (KeyError, IndexError, TypeError):
        return None
    if not isinstance(value, str):
        return None
    lc = getattr(container, "lc", None)
    if lc is None:
        return None
    try:
        pos = lc.value(key) if isinstance(key, str) else lc.item(key)
    except (KeyError, IndexError, TypeError):
        return None
    if pos is None:
        return None
    line, col = pos
    return Site(
        value=str(value),
        line=line,
        col=col,
        path=(*path, key),
        flow=_flow(container),
        job=job,
        step=step,
    )


def jobs(doc: Any) -> list[tuple[str, Any]]:
    """(job id, job mapping) in file order; empty for an action.yml or a broken file."""
    if not _is_map(doc) or not _is_map(doc.get("jobs")):
        return []
    return [(str(k), v) for k, v in doc["jobs"].items() if _is_map(v)]


def step_name(step: Any) -> str:
    """The step name GitHub shows: `name:`, else `Run <first line of run>` or `Run <uses>`."""
    name = step.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    run = step.get("run")
    if isinstance(run, str):
        first = next((ln.strip() for ln in run.splitlines() if ln.strip()), "")
        return f"Run {first}"
    uses = step.get("uses")
    if isinstance(uses, str):
        return f"Run {uses.strip()}"
    return ""


def steps(doc: Any) -> Iterator[StepRef]:
    """Steps of every job, then an action.yml's `runs.steps`."""
    for job_id, job in jobs(doc):
        seq = job.get("steps")
        if isinstance(seq, list):
            for i, step in enumerate(seq):
                if _is_map(step):
                    yield StepRef(
                        job=job_id,
                        path=("jobs", job_id, "steps", i),
                        node=step,
                        name=step_name(step),
                    )
    runs = doc.get("runs") if _is_map(doc) else None
    if _is_map(runs) and isinstance(runs.get("steps"), list):
        for i, step in enumerate(runs["steps"]):
            if _is_map(step):
                yield StepRef(job="", path=("runs", "steps", i), node=step, name=step_name(step))


def shown_as(template: str, shown: str) -> bool:
    """Whether a name with `${{ }}` expressions can print as `shown` in a log: each expression
    substituted (a matrix value, a masked secret `***`), the literal text around them kept. At
    least three literal characters are required, so `${{ matrix.name }}` alone matches nothing."""
    if "${{" not in template:
        return False
    parts = _EXPRESSION.split(template)
    if sum(len(part.strip()) for part in parts) < 3:
        return False
    return re.fullmatch(".*?".join(re.escape(part) for part in parts), shown, re.DOTALL) is not None


def find_job(doc: Any, wanted: str) -> str | None:
    """The job id for a job named in a log: its id, its `name:`, or either with a matrix suffix."""
    all_jobs = jobs(doc)
    if not wanted:
        return all_jobs[0][0] if len(all_jobs) == 1 else None
    candidates = [wanted]
    suffix = _JOB_SUFFIX.match(wanted)
    if suffix:
        candidates.append(suffix["base"])
    for candidate in candidates:
        hits = [
            job_id
            for job_id, job in all_jobs
            if candidate in (job_id, str(job.get("name", "")).strip())
        ]
        if len(hits) == 1:
            return hits[0]
    for candidate in candidates:
        hits = [j for j, job in all_jobs if shown_as(str(job.get("name", "")).strip(), candidate)]
        if len(hits) == 1:
            return hits[0]
    return None


def find_step(doc: Any, job_id: str, wanted: str) -> StepRef | None:
    """The step a log names ("Run python app.py", a `name:`, or `Run owner/repo@ref`)."""
    if not wanted:
        return None
    hits = [s for s in steps(doc) if s.job == job_id and s.name == wanted.strip()]
    if len(hits) == 1:
        return hits[0]
    if wanted.startswith("Run "):
        command = wanted[4:].strip()
        hits = [
            s
            for s in steps(doc)
            if s.job == job_id and step_name({"run": s.node.get("run")}) == f"Run {command}"
        ]
        if len(hits) == 1:
            return hits[0]
    # The log prints names and commands with their expressions substituted and secrets masked.
    mine = [s for s in steps(doc) if s.job == job_id]
    hits = [s for s in mine if shown_as(s.name, wanted.strip())]
    if not hits and wanted.startswith("Run "):
        hits = [s for s in mine if shown_as(step_name({"run": s.node.get("run")}), wanted.strip())]
    return hits[0] if len(hits) == 1 else None


def uses_sites(doc: Any) -> list[Site]:
    """Every `uses:` string: steps (workflows and composite actions) and job-level calls."""
    found: list[Site] = []
    for job_id, job in jobs(doc):
        s = site(job, "uses", ("jobs", job_id), job=job_id)
        if s is not None:
            found.append(s)
    for step in steps(doc):
        s = site(step.node, "uses", step.path, job=step.job, step=step.name)
        if s is not None:
            found.append(s)
    return sorted(found, key=lambda x: (x.line, x.col))


def _label_sites(job_id: str, job: Any) -> list[Site]:
    runs_on = job.get("runs-on")
    base: Path = ("jobs", job_id)
    if isinstance(runs_on, str):
        s = site(job, "runs-on", base, job=job_id)
        return [s] if s else []
    if isinstance(runs_on, list):
        if any(str(label).strip().lower() == "self-hosted" for label in runs_on):
            return []  # self-hosted runners carry labels of their owner's choosing
        return [
            s
            for i in range(len(runs_on))
            if (s := site(runs_on, i, (*base, "runs-on"), job=job_id)) is not None
        ]
    if _is_map(runs_on):
        if "group" in runs_on:
            return []  # a runner group's labels are its owner's, not GitHub's images
        labels = runs_on.get("labels")
        if isinstance(labels, str):
            s = site(runs_on, "labels", (*base, "runs-on"), job=job_id)
            return [s] if s else []
        if isinstance(labels, list):
            return [
                s
                for i in range(len(labels))
                if (s := site(labels, i, (*base, "runs-on", "labels"), job=job_id)) is not None
            ]
    return []


def runs_on_sites(doc: Any) -> tuple[list[Site], list[Site]]:
    """(literal `runs-on` labels, matrix values that a `runs-on` expression selects).

    Matrix values count only for a key that `runs-on` names as `${{ matrix.KEY }}` (or a key
    named `runs-on`): its list, and the same key in `include:` and `exclude:` entries (they must
    stay consistent).
    """
    literal: list[Site] = []
    via_matrix: list[Site] = []
    for job_id, job in jobs(doc):
        labels = _label_sites(job_id, job)
        keys: set[str] = set()
        for s in labels:
            refs = _MATRIX_REF.findall(s.value)
            keys.update(refs)
            if "${{" not in s.value:
                literal.append(s)
        # A matrix variable named `runs-on` is meant as a runner label even when unused.
        keys.add("runs-on")
        strategy = job.get("strategy")
        matrix = strategy.get("matrix") if _is_map(strategy) else None
        if not _is_map(matrix):
            continue
        mpath: Path = ("jobs", job_id, "strategy", "matrix")
        # Contexts are case-insensitive: `${{ matrix.os }}` selects `OS: [...]` too.
        wanted = {key.lower() for key in keys}
        for key in sorted(k for k in matrix if isinstance(k, str) and k.lower() in wanted):
            values = matrix.get(key)
            if isinstance(values, list):
                for i in range(len(values)):
                    value_site = site(values, i, (*mpath, key), job=job_id)
                    if value_site is not None:
                        via_matrix.append(value_site)
        for section in ("include", "exclude"):
            entries = matrix.get(section)
            if not isinstance(entries, list):
                continue
            for i, entry in enumerate(entries):
                if not _is_map(entry):
                    continue
                for key in sorted(k for k in entry if isinstance(k, str) and k.lower() in wanted):
                    entry_site = site(entry, key, (*mpath, section, i), job=job_id)
                    if entry_site is not None:
                        via_matrix.append(entry_site)
    return literal, via_matrix


def run_sites(doc: Any) -> list[Site]:
    """Every step's `run:` script."""
    found: list[Site] = []
    for step in steps(doc):
        s = site(step.node, "run", step.path, job=step.job, step=step.name)
        if s is not None:
            found.append(s)
    return found


def get_path(node: Any, path: Path) -> Any:
    for key in path:
        node = node[key]
    return node


def set_path(plain: Any, path: Path, value: Any) -> None:
    """Set a value inside a `to_plain` structure (keys are strings there)."""
    node = plain
    for key in path[:-1]:
        node = node[key if isinstance(key, int) else str(key)]
    last = path[-1]
    node[last if isinstance(last, int) else str(last)] = value
