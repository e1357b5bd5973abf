"""Turn one job's hits into findings: the cause, fixable companions, notices, and why each won or lost.

Rule order is priority: the first matched non-advisory rule is the job's cause; advisory rules
(deprecation warnings) only ever give notices; a job that did not fail has no cause at all. A later
cause is kept beside the first only when smartmon can fix it too (a job that also misses a secret).

Which hits are no cause at all (cleared by a later success, a probe, a swallowed status), and
whether the job failed, is settled first (`diagnose/settle.py`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import takewhile
from typing import NamedTuple

from smartmon.diagnose.analysis import Candidate
from smartmon.diagnose.distributions import known_distribution
from smartmon.diagnose.facts import action_manifest_path, enrich
from smartmon.diagnose.fill_ins import conda_listed, engine_warned
from smartmon.diagnose.hint_above import hint_above_first
from smartmon.diagnose.jobstate import MAX_SHOWN, Hit, JobState
from smartmon.diagnose.linters import hook_file, hook_linter, own_step_linter
from smartmon.diagnose.logs import SETUP_STEP, STEP_HEADER, StepMark
from smartmon.diagnose.repo_paths import project_dir, repo_path
from smartmon.diagnose.rules import Rule, same_on_rerun
from smartmon.diagnose.script_linters import failed_script_linter
from smartmon.diagnose.settle import settle
from smartmon.diagnose.silent_exits import silent_exit
from smartmon.diagnose.step_actions import (
    composite_action_above,
    downloaded_actions,
    last_run_line,
)
from smartmon.diagnose.step_inputs import latest_asked_of
from smartmon.diagnose.upstream import upstream
from smartmon.model import Finding, IssueType, Severity
from smartmon.redact import redact


def fixable(rule: Rule, data: dict[str, str]) -> bool:
    """A rule may be fixable in kind; the facts it captured decide whether this instance is."""
    if not rule.fixable:
        return False
    if rule.type is IssueType.MISSING_DEPENDENCY:
        from smartmon.diagnose.distributions import distribution_for

        name = data.get("module") or data.get("package") or ""
        dist = distribution_for(name) if name else None
        if dist is None:
            return False
        data.setdefault("package", dist)
        return True
    if rule.type is IssueType.DEPRECATED_ACTION:
        from smartmon.workflows import action_upgrade

        action, version = data.get("action"), data.get("version")
        if not action or not version:
            return False
        upgrade = action_upgrade(f"{action}@{version}")
        return upgrade is not None and upgrade.fixable and not upgrade.pinned
    if rule.type is IssueType.RETIRED_RUNNER:
        from smartmon.workflows import runner_replacement

        label = data.get("label")
        return bool(label) and runner_replacement(label or "") is not None
    return True


# The step header as the runner prints it: "##[group]Run owner/action@v1" (web page: "Run …"),
# then "with:" / "env:" and one "  NAME: value" line each, indented in the web page's copy.
_HEADER_SHELL = re.compile(r"^\s*shell: \S")
_HEADER_BLOCK = re.compile(r"^\s*(?P<block>with|env):\s*$")
_HEADER_TOKEN = re.compile(r"^\s+(?P<name>[A-Z][A-Z0-9_]*TOKEN):\s")


def _token_source(before: tuple[str, ...]) -> str:
    """Where an action that got no token reads it: the env var its header passes in vain, GITHUB_TOKEN
    when it takes no inputs at all (it reads the environment), else its `token` input."""
    header: list[str] = []
    for line in reversed(before):
        header.append(line)
        if STEP_HEADER.match(line):
            break
    else:
        return "token"
    block, inputs = "", False
    for line in reversed(header):
        m = _HEADER_BLOCK.match(line)
        if m:
            block = m["block"]
            inputs = inputs or block == "with"
            continue
        token = _HEADER_TOKEN.match(line)
        if token and block == "env":
            return token["name"]
    return "token" if inputs else "GITHUB_TOKEN"


# A rule's `checks:` (diagnose/rules CHECKS) ask for these:
# - known-name-is-a-conflict: the index offered no version at all, a typo or private name, unless
#   the name is a well-known distribution (diagnose/data/import_names.tsv), which it certainly has.
# - conda-list-below: conda's "PackagesNotFoundError": a bare name its channels lack is a missing
#   package; a pin they lack ("conda-build=3.14.2", an exact build from another channel) is a version
#   question, as pip's pinned "No matching distribution" and conda's ResolvePackageNotFound are.
# - pre-commit-hook: pre-commit's own lines for a failed hook say which linter ran, what it changed.
# - hint-only: a hint that names no cause of its own goes after every other cause of its job.
# - hint-above-is-cause: a line that says what stopped, not why, yields to a hint printed above it
#   that can explain it (`explains-missing-folder`; diagnose/hint_above.py).
# - action-step-only: the same refusal from a workflow's own script is no outdated action; a shell
#   step pasted directly under an action's header (a composite action's own step) is the action's.
# - fuzz-deadline-below: a fuzz target failed only by go's own -fuzztime deadline is a timeout.
# - latest-is-outdated-action: a set-up action asked for `latest` that cannot fetch it is outdated.


# go's fuzz coordinator racing its -fuzztime deadline at the end of a run prints "--- FAIL: FuzzX
# (60.36s)" / "    context deadline exceeded" and writes no failing input (golang/go #75804, #51484;
# polius/fsend #75, dativo-io/talon #384, alex60217101990/qdf #155): the deadline, not the target.
_FUZZ_DEADLINE = re.compile(r"^\s+context deadline exceeded\s*$")


def _fuzz_deadline(test: str, after: Sequence[str]) -> bool:
    below = [line for line in after[:3] if line.strip()]
    return test.startswith("Fuzz") and bool(below) and _FUZZ_DEADLINE.match(below[0]) is not None


# A database image lists the variables it accepts one per bullet under "You need to specify one of the
# following:" ("    - MYSQL_ROOT_PASSWORD", docker-library/mysql PR #913): the first is the one to set.
_SETTINGS_FIELD = re.compile(r"^\s*(?:E\s+|- )?(?P<var>[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9])\s*$")
# Fields are often declared lower-case ("client_id" then "  Field required [type=missing, …]", v1
# "auth_key" then "  field required (type=value_error.missing)": jag-k/pydantic-settings-export #3,
# pydantic/pydantic #1714); such a name counts only with pydantic's verdict on the line below.
_SETTINGS_NAME = re.compile(r"^\s*(?:E\s+)?(?P<var>[A-Za-z_][A-Za-z0-9_]*)\s*$")
_FIELD_REQUIRED = re.compile(r"^\s*(?:E\s+)?[Ff]ield required\b")
# An env schema's report keys each variable: zod's fieldErrors under t3-env's "❌ Invalid environment
# variables: {" ("  NEWS_URL: [ 'String must contain at least 1 character(s)' ],", dinxsh/sanity PR
# #221), envalid's "Missing environment variables:" ("    API_KEY: undefined"); newer t3-env prints
# Standard Schema issues instead, the name in "    path: [ 'DATABASE_URL' ],"; Astro's astro:env
# lists "- API_BASE is missing" (withastro/astro #14246).
_SCHEMA_KEY = re.compile(
    r"^\s*(?:path: \[ '(?P<path>[A-Za-z_]\w*)'|(?P<var>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*): \S"
    r"|- (?P<item>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*) is (?:missing|invalid)\b)"
)


def _settings_field(after: tuple[str, ...]) -> str | None:
    """The first field pydantic-settings (or an env schema's report) names below its error header."""
    for i, line in enumerate(after[:8]):
        m = _SETTINGS_FIELD.match(line) or _SCHEMA_KEY.match(line)
        if m:
            return next(name for name in m.groups() if name)
        m = _SETTINGS_NAME.match(line)
        if m and i + 1 < len(after) and _FIELD_REQUIRED.match(after[i + 1]):
            return m.group("var")
    return None


# A deploy CLI that says nobody is logged in ("Unauthorized. Please login with `railway login`") says
# the same whether its token is missing or refused: when the step's own env block shows the token set
# (the runner masks a secret's value as ***), the credential was refused (railwayapp/cli #425: the
# project token in RAILWAY_TOKEN works for `railway up`, not for `railway down`): the rule's check
# token-set-means-refused.
_SECRET_SET = re.compile(
    r"^\s+(?P<var>[A-Z][A-Z0-9_]*(?:TOKEN|API_KEY|ACCESS_KEY|CREDENTIALS))\s*: \*\*\*\s*$"
)


def _token_set(before: tuple[str, ...], var: str | None) -> bool:
    """The step header's env block lists the CLI's token with a masked (so non-empty) value."""
    for line in reversed(before):
        m = _SECRET_SET.match(line)
        if m and (var is None or m.group("var") == var):
            return True
        if STEP_HEADER.match(line):
            return False
    return False


def _fill_hook(data: dict[str, str], hit: Hit) -> None:
    data["tool"] = hook_linter(hit.text, data.get("name", ""), hit.after) or data.get(
        "tool", "pre-commit"
    )
    changed = hook_file(hit.after) if "file" not in data else None
    path = repo_path(changed, project_dir(hit.before)) if changed else None
    if path:
        data["file"] = path


def finding(hit: Hit, state: JobState) -> Finding:
    """A finding from a rule's hit; every text from the log is redacted (tokens, masked values)."""
    masks = state.masks

    def clean(text: str) -> str:
        return redact(text, masks)

    checks = hit.rule.checks
    data = {k: clean(v) for k, v in hit.data.items()}
    data = enrich(hit.rule.type.value, data, hit.text, hit.before, hit.step.name, hit.after)
    if "settings-fields-below" in checks and "var" not in data:
        field = _settings_field(hit.after)
        if field:
            data["var"] = field
    # A rule that knows only the tool's parameter (octokit's `token`): the header says which name.
    if hit.rule.data.get("var") == "token" and data.get("var") == "token":
        data["var"] = _token_source(hit.before)
    constant = hit.rule.data.get("tool")
    if hit.rule.type is IssueType.LINT_FAILURE and constant and data.get("tool") == constant:
        # The rule knows the output's shape, the step's command which linter printed it.
        data["tool"] = own_step_linter(hit.before, hit.step.name) or constant
    if "pre-commit-hook" in checks:
        _fill_hook(data, hit)
    if "engine-warned-above" in checks and data.get("package"):
        data["package"] = engine_warned(data["package"], hit.before) or data["package"]
    if "action" not in data and state.action and _in_setup(hit, state):
        # Failed while setting up that action; a version the rule read (a package's) stays.
        data["action"] = state.action[0]
        data.setdefault("version", state.action[1])
        if "file" in data:
            data["file"] = action_manifest_path(data["file"], data["action"])
    if hit.step.number in state.exit_codes:
        data.setdefault("exit_code", state.exit_codes[hit.step.number])
    issue, auto_fixable = hit.rule.type, fixable(hit.rule, data)
    if "token-set-means-refused" in checks and _token_set(hit.before, data.get("var")):
        issue, auto_fixable = IssueType.AUTH_ERROR, False
    if "known-name-is-a-conflict" in checks and known_distribution(data.get("package", "")):
        # A project everyone installs exists on the index: "(from versions: none)" means no build
        # for this Python or platform (tensorflow on a Python newer than its wheels), a conflict.
        issue, auto_fixable = IssueType.DEPENDENCY_CONFLICT, False
    if "action-step-only" in checks and "action" not in data:
        nested = composite_action_above(hit.before)
        if nested is None:
            issue, auto_fixable = IssueType.UNKNOWN, False
        else:
            # A copy of the run page nests a composite action's own steps under its header: the
            # step is that action's (its ref is the version, as facts.enrich gives a step's action).
            data["action"] = nested[0]
            if issue not in (IssueType.MISSING_TOOL, IssueType.DEPENDENCY_CONFLICT):
                data.setdefault("version", nested[1])
    asked = (
        latest_asked_of(hit.before, hit.rule.data.get("tool", ""))
        if "latest-is-outdated-action" in checks
        else None
    )
    if asked and data.setdefault("action", asked[0]) == asked[0]:
        data.setdefault("version", asked[1])
        issue, auto_fixable = IssueType.DEPRECATED_ACTION, False
    if "fuzz-deadline-below" in checks and _fuzz_deadline(data.get("test", ""), hit.after):
        issue, auto_fixable = IssueType.TIMEOUT, False
    listed = conda_listed(hit.after) if "conda-list-below" in checks else None
    if listed and listed[1]:
        data.setdefault("package", listed[0])
        issue, auto_fixable = IssueType.DEPENDENCY_CONFLICT, False
    elif listed:  # a bare name: the package its channels lack ("conda-forge/linux-64::x" is x)
        data.setdefault("module", listed[0].rpartition("::")[2])
    # The type's fact is `module` (an independent reader named CMake's OpenSSL so): a package a
    # registry, CMake or the system lacks is named under both keys. Not for python- rules: the Python
    # fixer reads `module` as an import name, and a distribution's name is none.
    if (
        issue is IssueType.MISSING_DEPENDENCY
        and "package" in data
        and "module" not in data
        and not hit.rule.id.startswith("python-")
    ):
        data["module"] = data["package"]
    return Finding(
        type=issue,
        severity=hit.rule.severity,
        auto_fixable=auto_fixable,
        rule=hit.rule.id,
        job=clean(state.name),
        step=clean(_step_name(hit.step.name, hit.before)),
        line=hit.line,
        text=clean(hit.text[:MAX_SHOWN]),
        data=data,
        step_number=hit.step.number,
        step_line=hit.line - hit.step.line + 1,
        context=tuple(clean(c) for c in hit.context),
    )


def _in_setup(hit: Hit, state: JobState) -> bool:
    """The hit came while the runner set up the job: its first step; in a paste without step marks
    (all of it "step 1"), right under the set-up block's download lines, no `Run …` header between."""
    if hit.step.number > 1:
        return False
    if hit.step.name != SETUP_STEP:
        return True
    for text in reversed(hit.before):
        # A `Run …` header inside "step 1" is a paste's, even one that kept a runner tag.
        if STEP_HEADER.match(text.strip()):
            return False
        if downloaded_actions(text):
            return True
    return state.has_tags


def _step_name(name: str, above: Sequence[str]) -> str:
    """The step's name; in a log without step marks (a copy of the run page, even one with an
    `##[error]` line kept, where every line is in "step 1"), the last `Run …` line above. (A
    downloaded log's set-up lines have no `Run …` line above them: its step marks start a step at
    each.)"""
    if name != SETUP_STEP:
        return name
    return last_run_line(above) or SETUP_STEP


# A silent SIGKILL is the kernel's OOM killer far more often than not: a re-run meets it again.
_SAME_ON_RERUN_EXITS = frozenset({"killed-exit-137"})


def rerun_helps(rule_id: str) -> bool:
    """Whether re-running the job can clear a transient finding of this rule: not when its rule's
    checks say a re-run meets the same failure, nor for a silent kill (exit 137)."""
    return rule_id not in _SAME_ON_RERUN_EXITS and not same_on_rerun(rule_id)


class _LastStep(NamedTuple):
    """The step the job's last failure marker fell in, and what its exit code says by itself (a
    kill, a missing command, a silent curl, pytest collecting nothing; else unknown)."""

    step: StepMark
    name: str
    tail: list[str]
    issue: IssueType
    rule: str


def _last_step(state: JobState) -> _LastStep:
    step = state.last_step or StepMark(0, 1, SETUP_STEP, 1)
    tail = state.tail.decode("utf-8", "replace").splitlines()
    name = _step_name(step.name, tail)
    issue, rule = silent_exit(state.exit_codes.get(step.number, ""), name, tail)
    return _LastStep(step, name, tail, issue, rule)


def job_findings(state: JobState) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(primary, secondary, notices) for one job."""
    settle(state)
    notices: list[Finding] = []
    causes: list[Hit] = []
    for index, hit in sorted(state.hits.items()):
        if hit.rule.advisory:
            notices.append(finding(hit, state))
        elif index not in state.cleared:
            causes.append(hit)
    causes.sort(key=lambda hit: "hint-only" in hit.rule.checks)  # stable: priority order kept
    causes = hint_above_first(causes)
    if not state.failed:
        return [], [], notices
    last: _LastStep | None = None
    if causes and all("hint-only" in hit.rule.checks for hit in causes):
        last = _last_step(state)
        if last.issue is not IssueType.UNKNOWN:
            causes = []  # a hint explains a failure only where the exit code says nothing itself
    if not causes:
        step, step_name, tail, issue, rule = last or _last_step(state)
        text = state.last_lines[-1] if state.last_lines else "the job failed without an error line"
        tool = failed_script_linter(tail) if issue is IssueType.UNKNOWN else None
        if tool:
            issue, rule = IssueType.LINT_FAILURE, "linter-script-failed"
        unknown = Finding(
            type=issue,
            severity=Severity.MEDIUM if issue is IssueType.UNKNOWN else Severity.HIGH,
            auto_fixable=False,
            rule=rule,
            job=redact(state.name, state.masks),
            step=redact(step_name, state.masks),
            line=state.last_line_no,
            text=redact(text, state.masks),
            step_number=step.number,
            step_line=state.last_line_no - step.line + 1,
            context=tuple(redact(c, state.masks) for c in state.last_lines[:-1]),
            data=(
                {"exit_code": state.exit_codes[step.number]}
                if step.number in state.exit_codes
                else {}
            )
            | ({"tool": tool} if tool else {}),
        )
        return [unknown], [], notices
    primary = upstream(causes)
    causes = [primary] + [c for c in causes if c is not primary]
    # Other causes in the same job are kept only when smartmon can fix them too (a job that also
    # misses a secret); symptoms of the primary cause (pytest's wrappers, tallies) would be noise.
    secondary: list[Finding] = []
    seen = {primary.rule.type}
    for hit in causes[1:]:
        if hit.rule.type in seen:
            continue
        companion = finding(hit, state)
        if companion.auto_fixable:
            seen.add(hit.rule.type)
            secondary.append(companion)
    return [_linter_wrapper(finding(primary, state), primary)], secondary, notices


# The wrappers' own last lines: a package manager's "error Command failed with exit code 1.", pnpm's
# ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL, npm's lifecycle lines, and a bare "Error: …". When the command
# that failed is a linter alone, the job failed on lint (diagnose.script_linters).
_WRAPPER_RULES = frozenset({"build-driver-gave-up", "generic-error", "npm-script-failed"})


def _linter_wrapper(found: Finding, hit: Hit) -> Finding:
    if found.rule not in _WRAPPER_RULES:
        return found
    # npm 7+ names the command under its "npm ERR! command failed": its own lines below count too.
    npm_below = takewhile(lambda t: t.lstrip().startswith(("npm ERR!", "npm error")), hit.after)
    tool = failed_script_linter((*hit.before, hit.text, *npm_below))
    if not tool:
        return found
    return replace(found, type=IssueType.LINT_FAILURE, data={**found.data, "tool": tool})


def candidates(
    state: JobState, primary: list[Finding], secondary: list[Finding]
) -> tuple[Candidate, ...]:
    """Every rule that matched in the job, in priority order, with what became of it and why."""
    won = {f.rule for f in primary}
    kept = {f.rule for f in secondary}
    winner = primary[0].rule if primary else None
    out: list[Candidate] = []
    for index, hit in sorted(state.hits.items()):
        if hit.rule.advisory:
            outcome = "advisory: reported as a notice, never a cause"
        elif index in state.cleared:
            outcome = f"lost: {state.cleared[index]}"
        elif state.cleared_job:
            outcome = f"lost: the job did not fail: {state.cleared_job}"
        elif not state.failed:
            outcome = "lost: the job did not fail (no failure marker, and not an excerpt of errors)"
        elif hit.rule.id in won:
            outcome = "won: the highest-priority cause that matched"
        elif hit.rule.id in kept:
            outcome = f"kept beside {winner}: another cause smartmon can fix"
        else:
            outcome = f"lost: lower priority than {winner} (rule order in the catalog)"
        out.append(
            Candidate(hit.rule.id, hit.rule.type.value, hit.line, hit.text[:MAX_SHOWN], outcome)
        )
    if primary and primary[0].rule not in {c.rule for c in out}:
        f = primary[0]
        why = "won: no rule matched; the last meaningful line before the failure marker"
        out.append(Candidate(f.rule, f.type.value, f.line, f.text, why))
    return tuple(out)
