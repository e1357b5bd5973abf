"""Job logs written for a test, in the runner's downloaded form: timestamped lines, `##[group]Run`
step headers, the failure marker; and the top finding for lines written as they are."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from smartmon.model import Finding

TS = "2025-05-02T00:19:58.1268944Z "
FAILED = "##[error]Process completed with exit code 1."


def write_job(tmp_path: Path, lines: list[str], *, stamped: bool = True) -> Path:
    """`lines` as a job log file (each timestamped unless `stamped` is False, as a paste)."""
    path = tmp_path / "job.txt"
    path.write_text("".join((TS if stamped else "") + line + "\n" for line in lines))
    return path


def run_step(run: str, *body: str) -> list[str]:
    """A `run:` step as the runner logs it: its header group, then the lines it printed."""
    return [f"##[group]Run {run}", run, "shell: /usr/bin/bash -e {0}", "##[endgroup]", *body]


def job_rules(tmp_path: Path, lines: list[str]) -> list[str]:
    """The rules of all findings, in order, for `lines` written as a downloaded job log."""
    return [f.rule for f in analyze_paths([write_job(tmp_path, lines)]).findings]


def paste_top(tmp_path: Path, lines: list[str]) -> Finding | None:
    """The top finding for `lines` written as a log as they are (a paste), or None."""
    path = tmp_path / "job.txt"
    path.write_text("\n".join(lines) + "\n")
    findings = analyze_paths([path]).findings
    return findings[0] if findings else None


def top_finding(tmp_path: Path, lines: list[str]) -> tuple[str | None, dict[str, str]]:
    """The top finding's type and facts for `lines` written as a log as they are (None: no finding)."""
    return text_finding(tmp_path, "\n".join(lines) + "\n")


def text_finding(tmp_path: Path, text: str) -> tuple[str | None, dict[str, str]]:
    """The top finding's type and facts for `text` written as a log byte for byte (a paste)."""
    log = tmp_path / "job.txt"
    log.write_bytes(text.encode("utf-8"))
    findings = analyze_paths([log]).findings
    if not findings:
        return None, {}
    return findings[0].type.value, dict(findings[0].data)


def assert_finding(
    tmp_path: Path, lines: list[str], want: str | None, facts: dict[str, str]
) -> None:
    """The top finding for `lines` (as `top_finding` writes them) has type `want` and these facts."""
    got, data = top_finding(tmp_path, lines)
    assert got == want
    assert {k: data.get(k) for k in facts} == facts


def assert_job_finding(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    """The top finding for `lines` written as a downloaded job log (`write_job`, timestamped) has
    type `want` and these facts."""
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    assert findings
    assert findings[0].type.value == want
    assert {key: findings[0].data.get(key) for key in facts} == facts


def assert_step_finding(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    """`lines` as a `./ci.sh` step printed them in a downloaded job that failed: `assert_job_finding`
    of the step with the runner's trailer under it."""
    assert_job_finding(tmp_path, [*run_step("./ci.sh", *lines), FAILED], want, facts)
