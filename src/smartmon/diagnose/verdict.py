"""Turn one job's hits into findings: the cause, fixable companions, notices, and why each won or lost.

Rule order is priority: the first matched non-advisory rule is the job's cause; advisory rules
(deprecation warnings) only ever give notices; a job that did not fail has no cause at all. A later
cause is kept beside the first only when smartmon can fix it too (a job that also misses a secret).

Lines a later success cleared are no cause: an error the tool retried past (`Retrying …`, then
`… finished successfully`), the output of a command whose status was swallowed (`cmd || true`,
make's `Error 1 (ignored)`), and, in a log without the runner's end-of-job lines, a failure marker
after which the job went on into an ordinary step that reported success (a retry inside the
step, or `continue-on-error: true`). A job with nothing left but such lines passed.
"""

from __future__ import annotations

import re

from smartmon.diagnose.analysis import Candidate
from smartmon.diagnose.distributions import known_distribution
from smartmon.diagnose.facts import enrich
from smartmon.diagnose.fill_ins import own_step_linter
from smartmon.diagnose.jobstate import Hit, JobState, page_conclusion
from smartmon.diagnose.logs import SETUP_STEP, StepMark, split_timestamp
from smartmon.diagnose.rules import Rule
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
_HEADER = re.compile(r"^(?:##\[group\])?Run \S")
_HEADER_SHELL = re.compile(r"^\s*shell: \S")
_HEADER_BLOCK = re.compile(r"^\s*(?P<block>with|env):\s*$")
_HEADER_TOKEN = re.compile(r"^\s+(?P<name>[A-Z][A-Z0-9_]*TOKEN):\s")


def _token_source(before: tuple[str, ...]) -> str:
    """Where an action that got no token reads it: the env var its header passes in vain, GITHUB_TOKEN
    when it takes no inputs at all (it reads the environment), else its `token` input."""
    header: list[str] = []
    for line in reversed(before):
        header.append(line)
        if _HEADER.match(line):
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


# Rules that say the index offered no version at all: a typo or private name, unless the name is
# a well-known distribution (diagnose/data/import_names.tsv), which the index certainly has.
_NOT_FOUND_HERE = frozenset({"pip-no-such-package"})


def finding(hit: Hit, state: JobState) -> Finding:
    """A finding from a rule's hit; every text from the log is redacted (tokens, masked values)."""
    masks = state.masks

    def clean(text: str) -> str:
        return redact(text, masks)

    data = {k: clean(v) for k, v in hit.data.items()}
    data = enrich(hit.rule.type.value, data, hit.text, hit.before, hit.step.name, hit.after)
    # A rule that knows only the tool's parameter (octokit's `token`): the header says which name.
    if hit.rule.data.get("var") == "token" and data.get("var") == "token":
        data["var"] = _token_source(hit.before)
    constant = hit.rule.data.get("tool")
    if hit.rule.type is IssueType.LINT_FAILURE and constant and data.get("tool") == constant:
        # The rule knows the output's shape, the step's command which linter printed it.
        data["tool"] = own_step_linter(hit.before, hit.step.name) or constant
    if "action" not in data and state.action and hit.step.number <= 1:
        data["action"], data["version"] = state.action  # failed while setting up that action
    if hit.step.number in state.exit_codes:
        data.setdefault("exit_code", state.exit_codes[hit.step.number])
    issue, auto_fixable = hit.rule.type, fixable(hit.rule, data)
    if hit.rule.id in _NOT_FOUND_HERE and known_distribution(data.get("package", "")):
        # A project everyone installs exists on the index: "(from versions: none)" means no build
        # for this Python or platform (tensorflow on a Python newer than its wheels), a conflict.
        issue, auto_fixable = IssueType.DEPENDENCY_CONFLICT, False
    return Finding(
        type=issue,
        severity=hit.rule.severity,
        auto_fixable=auto_fixable,
        rule=hit.rule.id,
        job=clean(state.name),
        step=clean(hit.step.name),
        line=hit.line,
        text=clean(hit.text),
        data=data,
        step_number=hit.step.number,
        step_line=hit.line - hit.step.line + 1,
        context=tuple(clean(c) for c in hit.context),
    )


# A tool that says it is trying again: pip "Retrying (Retry(total=4, …))", @actions/artifact
# "Exponential backoff for retry #1", curl "Will retry in 1 seconds. 3 retries left.", npm/yarn
# "retrying", gradle "Attempt 2 of 3".
_RETRY = re.compile(
    r"(?i)\bretr(?:y|ying|ies|ied)\b|\bback(?:ing )?off\b|\btrying again\b|\battempt \d+ (?:of|/) \d+"
)
# The hit's own line may announce the retry (pip's "WARNING: Retrying (Retry(total=0, …)) after
# connection broken by …"); "Max retries exceeded" is the end of retrying, not an announcement.
_ANNOUNCES_RETRY = re.compile(r"(?i)\bretrying\b|\bwill retry\b|\bbacking off\b|\btrying again\b")
# A line that says some work succeeded; one that also speaks of a failure does not count
# ("3 passed, 1 failed", "finished with errors").
_SUCCEEDED = re.compile(
    r"(?i)\bsuccess(?:ful(?:ly)?)?\b|\bsucceeded\b|\bpassed\b|\bfinished\b|\bdone\b|[✓✔]"
    r"|\bcompleted\b(?! with exit code)"
)
_FAILURE_WORDS = re.compile(
    r"(?i)\bfail|\berror|\bdenied\b|\bunable\b|\bcannot\b|\bfatal\b|\bnot found\b|[✗✘✖]"
)
# A command whose status is thrown away: `cmd || true` as make or a script echoes it, `+ true` as
# `bash -x` traces what ran after the failing command, make's `-` prefix ("make: [Makefile:12:
# lint] Error 1 (ignored)").
_SWALLOWED = re.compile(r"\|\|\s*(?:true|:|exit 0)\s*;?\s*$")
_TRACED_TRUE = re.compile(r"^\++ (?:true|:|exit 0)\s*$")
_MAKE_IGNORED = re.compile(r"^(?:g?make)(?:\[\d+\])?: \[.*\] Error \d+ \(ignored\)")
_TRACED = re.compile(r"^(?:\++|\$) \S")
# Steps that run after a failure by design (`if: always()` / `failure()`): logging out, cleaning
# up, uploading logs and reports. One of them running says nothing about whether the job went on.
_AFTER_FAILURE_STEP = re.compile(
    r"(?i)log ?out|clean ?up|tear ?down|\bstop\b|\bkill\b|upload|artifact|report|notif|slack"
    r"|summary|\bdump|\bprint|\bshow\b|\bcat\b|\btail\b|collect|archive|always\(\)|failure\(\)"
    r"|\bsave\b|\blogs?\b|debug|diagnos|comment|annotat|results\b"
)


def _succeeded(line: str) -> bool:
    return bool(_SUCCEEDED.search(line)) and not _FAILURE_WORDS.search(line)


def _retried(hit: Hit) -> bool:
    """The tool said it would try again after the hit, then that the work succeeded."""
    retrying = bool(_ANNOUNCES_RETRY.search(hit.text))
    for line in hit.after:
        if line.startswith(("##[error]", "##[group]Run ")) or _HEADER.match(line):
            return False  # failed after all, or the next step (an `if: always()` one) began
        if retrying and _succeeded(line):
            return True
        retrying = retrying or bool(_RETRY.search(line))
    return False


def _swallowed(hit: Hit) -> bool:
    """The command that printed the hit had its exit status thrown away."""
    for line in hit.after:
        if _MAKE_IGNORED.match(line) or _TRACED_TRUE.match(line):
            return True
        if _TRACED.match(line) or line.startswith("##["):
            break
    before = hit.before
    for i in range(len(before) - 1, -1, -1):
        line = before[i]
        if line.startswith("##[endgroup]") or _HEADER_SHELL.match(line):
            # The hit is the output of the step's script itself: swallowed only when every
            # command of that script is (`run: flake8 . || true`).
            start = next((j for j in range(i - 1, -1, -1) if _HEADER.match(before[j])), None)
            return start is not None and _script_swallowed(before[start + 1 : i])
        if _HEADER.match(line):
            return False
        if _SWALLOWED.search(line):
            return True
        if _TRACED.match(line):
            return False  # the command that ran last before the hit kept its status
    return False


def _script_swallowed(header: tuple[str, ...]) -> bool:
    """A step header's script (the lines before its `shell:`) is all swallowed commands."""
    commands: list[str] = []
    for line in header:
        if _HEADER_SHELL.match(line) or line.startswith("##[endgroup]"):
            break
        if line.strip():
            commands.append(line)
    return bool(commands) and all(_SWALLOWED.search(c) for c in commands)


def _output_after_last_marker(tail: bytes) -> list[str]:
    """What the job printed after its last failure marker, without the step headers (a script's
    own `echo "success"` says nothing)."""
    lines = [split_timestamp(raw)[1].decode("utf-8", "replace") for raw in tail.split(b"\n")]
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].startswith("##[error]"):
            lines = lines[i + 1 :]
            break
    out: list[str] = []
    in_header = False
    for line in lines:
        if line.startswith("##[group]Run "):
            in_header = True
        elif line.startswith("##[endgroup]"):
            in_header = False
        elif not in_header:
            out.append(line)
    return out


def _failure_cleared(state: JobState) -> str:
    """Why the job's last failure marker did not end it, or "" when it may have."""
    if not state.failed or state.structured or state.verdict_from != "log" or not state.has_tags:
        return ""
    failed_in, end = state.last_step, state.end_step
    if failed_in is None or end is None or end.number <= failed_in.number:
        return ""
    if not end.name.startswith("Run ") or _AFTER_FAILURE_STEP.search(end.name):
        return ""
    if not any(_succeeded(line) for line in _output_after_last_marker(state.tail)):
        return ""
    return (
        f"the job went on into {end.name!r} and reported success after its last failure marker "
        "(retried, or continue-on-error), and its log has no failing end"
    )


# What a failed install leaves behind, and the failures that can leave it: a tool never installed
# (the download failed, or npm's resolver gave up first), a module missing for the same reasons, the
# package pip found no version of ("from versions: none" after its retries), the test or lint run
# that needed it (issue 12, item 9: a lint job that failed because a download failed).
_LEFT_BEHIND: dict[IssueType, frozenset[IssueType]] = {
    IssueType.MISSING_TOOL: frozenset({IssueType.NETWORK_ERROR, IssueType.DEPENDENCY_CONFLICT}),
    IssueType.MISSING_DEPENDENCY: frozenset(
        {IssueType.NETWORK_ERROR, IssueType.DEPENDENCY_CONFLICT}
    ),
    IssueType.DEPENDENCY_CONFLICT: frozenset({IssueType.NETWORK_ERROR}),
    IssueType.TEST_FAILURE: frozenset({IssueType.NETWORK_ERROR}),
    IssueType.LINT_FAILURE: frozenset({IssueType.NETWORK_ERROR}),
    IssueType.UNKNOWN: frozenset({IssueType.NETWORK_ERROR}),
}
# A resolver's banner over the problems it lists just under it: Composer prints "Your requirements could
# not be resolved to an installable set of packages." (`composer update`) or "Your lock file does not
# contain a compatible set of packages. Please run composer update." (`composer install`) above a
# missing PHP extension ("Problem 1" / "- Root composer.json requires PHP extension ext-gd * but it is
# missing from your system"), which is the cause, not something a failed install left behind.
_BANNER = re.compile(
    r"could not be resolved to an installable set of packages"
    r"|lock file does not contain a compatible set of packages"
)
_BANNER_WITHIN = 40  # Composer lists each problem under it ("Problem 1", "Problem 2", …)
# Gradle's variant mismatch and its explanation a few lines under it ("Incompatible because this
# component declares a component for use during runtime, compatible with Java 17 and the consumer
# needed a component for use during runtime, compatible with Java 11").
_VARIANT = re.compile(r"No matching variant of \S+ was found")
_JAVA_MISMATCH = re.compile(
    r"compatible with Java (?P<needs>\d+) and the consumer needed .*compatible with Java (?P<has>\d+)"
)
_EXPLAINED_WITHIN = 200
# A service the job itself should have started (a test's database, a dev server): not the network.
_LOCAL = re.compile(r"\blocalhost\b|\b127\.0\.0\.1\b|\b0\.0\.0\.0\b|\[::1\]|host='::1'")


def _banner_of(hit: Hit, first: Hit) -> bool:
    """The hit is the tool's banner over the primary's own report, not an earlier failure."""
    return (
        bool(_BANNER.search(hit.text))
        and hit.step.number == first.step.number
        and first.line - hit.line <= _BANNER_WITHIN
    )


def _upstream(causes: list[Hit]) -> Hit:
    """The highest-priority cause, unless it is what an install that failed before it left behind:
    then the highest-priority of those earlier failures."""
    first = causes[0]
    upstream = _LEFT_BEHIND.get(first.rule.type, frozenset())
    for hit in causes[1:]:
        if hit.rule.type not in upstream or hit.line >= first.line:
            continue
        if _banner_of(hit, first):
            continue
        if hit.rule.type is IssueType.NETWORK_ERROR and _LOCAL.search(hit.text):
            continue
        return hit
    return first


def _jdk_explains(hit: Hit, state: JobState) -> bool:
    """Gradle's "No matching variant of X was found", explained under it (in the same step) by a
    component built for a newer Java than the consumer's: the JDK's version is the cause, and the
    JDK rule's hit on that explanation (45-langs) is left to say so."""
    if not _VARIANT.search(hit.text):
        return False
    return any(
        other.rule.type is not IssueType.DEPENDENCY_CONFLICT
        and not other.rule.advisory
        and other.step.number == hit.step.number
        and 0 < other.line - hit.line <= _EXPLAINED_WITHIN
        and _newer_java(other.text)
        for other in state.hits.values()
    )


def _newer_java(text: str) -> bool:
    m = _JAVA_MISMATCH.search(text)
    return m is not None and int(m.group("needs")) > int(m.group("has"))


def settle(state: JobState) -> None:
    """Clear the hits a later success cleared and, when nothing failing is left, the job's failure."""
    for index, hit in state.hits.items():
        if hit.rule.advisory or index in state.cleared:
            continue
        if hit.rule.type is IssueType.DEPENDENCY_CONFLICT and _jdk_explains(hit, state):
            state.cleared[index] = "cleared: Gradle says the variant needs a newer Java"
        elif _retried(hit):
            state.cleared[index] = "cleared: the tool retried after it and then succeeded"
        elif _swallowed(hit):
            state.cleared[index] = "cleared: its command's exit status was thrown away (|| true)"
    if not state.failed or state.verdict == "failure":
        return  # the API's word that the job failed stands; only its cause is left to find
    page = page_conclusion(state) if state.verdict is None else None
    if page == "success":
        # A paste from the run page whose job header says it passed: its error lines were from
        # a step that may fail (continue-on-error) or a tool that only reported.
        state.failed, state.cleared_job = False, "the pasted run page's job header says succeeded"
        return
    why = _failure_cleared(state)
    left = [i for i, h in state.hits.items() if not h.rule.advisory and i not in state.cleared]
    if not why and not left and not state.structured and page != "failure":
        # An excerpt's error lines, or a failure marker that is itself a line the tool retried past
        # (the web page shows `##[error]` as `Error: `).
        last_cleared = max((state.hits[i].line for i in state.cleared), default=0)
        if state.verdict_from == "excerpt" or last_cleared >= state.last_line_no > 0:
            why = "every error line was cleared by a later success"
    if why:
        state.failed, state.cleared_job = False, why


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
    if not state.failed:
        return [], [], notices
    if not causes:
        step = state.last_step or StepMark(0, 1, SETUP_STEP, 1)
        text = state.last_lines[-1] if state.last_lines else "the job failed without an error line"
        # Exit code 137 is SIGKILL: the kernel's OOM killer or the runner, even when nothing says so.
        killed = state.exit_codes.get(step.number) == "137"
        unknown = Finding(
            type=IssueType.RUNNER_FAILURE if killed else IssueType.UNKNOWN,
            severity=Severity.HIGH if killed else Severity.MEDIUM,
            auto_fixable=False,
            rule="killed-exit-137" if killed else "unknown-last-lines",
            job=redact(state.name, state.masks),
            step=redact(step.name, state.masks),
            line=state.last_line_no,
            text=redact(text, state.masks),
            step_number=step.number,
            step_line=state.last_line_no - step.line + 1,
            context=tuple(redact(c, state.masks) for c in state.last_lines[:-1]),
            data={"exit_code": state.exit_codes[step.number]}
            if step.number in state.exit_codes
            else {},
        )
        return [unknown], [], notices
    primary = _upstream(causes)
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
    return [finding(primary, state)], secondary, notices


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
        out.append(Candidate(hit.rule.id, hit.rule.type.value, hit.line, hit.text, outcome))
    if primary and primary[0].rule not in {c.rule for c in out}:
        f = primary[0]
        why = "won: no rule matched; the last meaningful line before the failure marker"
        out.append(Candidate(f.rule, f.type.value, f.line, f.text, why))
    return tuple(out)
