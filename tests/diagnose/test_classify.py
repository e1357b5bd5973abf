"""Classification rules of the road: root cause over symptoms, trailers never the cause, passing jobs
quiet, notices apart, block size irrelevant, one unreadable job never hides the others."""

from __future__ import annotations

import zipfile
from pathlib import Path

from smartmon.diagnose import classify, sources
from smartmon.diagnose.scan import scan_source
from smartmon.model import IssueType

TS = "2025-04-07T12:57:33.2904078Z "


def _log(tmp_path: Path, body: list[str], name: str = "job.txt", *, failed: bool = True) -> Path:
    lines = [
        "Current runner version: '2.323.0'",
        "Complete job name: test",
        "##[group]Run python -m pytest",
        "\x1b[36;1mpython -m pytest\x1b[0m",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        *body,
    ]
    if failed:
        lines.append("##[error]Process completed with exit code 1.")
    lines += ["Post job cleanup.", "Cleaning up orphan processes"]
    path = tmp_path / name
    path.write_text("".join(TS + line + "\n" for line in lines))
    return path


def test_missing_module_beats_the_test_errors_it_causes(tmp_path: Path) -> None:
    body = ["ERROR collecting tests/test_app.py", "E   ModuleNotFoundError: No module named 'yaml'"]
    body += [f"ERROR tests/test_app.py::test_{i} - ModuleNotFoundError" for i in range(40)]
    body += [
        "FAILED tests/test_x.py::test_y - AssertionError",
        "=== 1 failed, 40 errors in 1.2s ===",
    ]
    analysis = classify.analyze_paths([_log(tmp_path, body)])
    top = analysis.findings[0]
    assert top.type is IssueType.MISSING_DEPENDENCY
    assert top.data["module"] == "yaml"
    assert top.line == 8 and top.step == "Run python -m pytest"
    assert top.auto_fixable


def test_exit_code_trailer_is_never_the_cause(tmp_path: Path) -> None:
    analysis = classify.analyze_paths([_log(tmp_path, ["something odd happened"])])
    [finding] = analysis.findings
    assert finding.type is IssueType.UNKNOWN
    assert "Process completed" not in finding.text
    assert finding.text == "something odd happened"


def test_passing_job_has_no_findings_but_keeps_notices(tmp_path: Path) -> None:
    body = [
        "tests/test_errors.py::test_error_handling PASSED",
        "##[warning]The `set-output` command is deprecated and will be disabled soon. Please upgrade "
        "to using Environment Files. For more information see: https://github.blog/changelog/"
        "2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/",
        "E   ModuleNotFoundError: No module named 'yaml'",  # printed by a passing step's own test
    ]
    analysis = classify.analyze_paths([_log(tmp_path, body, failed=False)])
    assert analysis.findings == ()
    assert [n.type for n in analysis.notices] == [IssueType.DEPRECATED_COMMAND]
    assert analysis.jobs[0].conclusion == "success"


def test_block_size_does_not_change_the_verdict(tmp_path: Path) -> None:
    body = [f"tests/test_{i}.py::test_ok PASSED" for i in range(300)]
    body += ["E   ModuleNotFoundError: No module named 'cv2'"]
    [source] = sources.discover(_log(tmp_path, body))
    whole = classify.analyze_job(source)
    tiny = classify.analyze_job(source, block_size=97)
    assert whole[1] == tiny[1]
    assert whole[0] == tiny[0]


def test_lines_before_a_hit_reach_back_across_a_block(tmp_path: Path) -> None:
    # A log above PASTE_MAX is read in blocks; wherever a block starts, the lines the fact
    # extractors see before a hit are those of one whole read.
    body = [f"tests/test_{i}.py::test_ok PASSED" for i in range(9000)]
    body += ["Traceback (most recent call last):", "SyntaxError: invalid syntax"]
    [source] = sources.discover(_log(tmp_path, body))

    def before(block_size: int) -> list[tuple[str, ...]]:
        return [hit.before for hit in scan_source(source, block_size).hits.values()]

    whole = before(1 << 20)
    assert whole and all(len(lines) == 40 for lines in whole)
    for block_size in range(4096, 4096 + 61 * 40, 61):
        assert before(block_size) == whole, block_size


def test_one_unreadable_member_does_not_hide_other_jobs(tmp_path: Path) -> None:
    good = _log(tmp_path, ["E   ModuleNotFoundError: No module named 'yaml'"]).read_bytes()
    path = tmp_path / "run.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("1_good.txt", good)
        zf.writestr("2_bad.txt", good)
    raw = bytearray(path.read_bytes())
    local = raw.find(b"2_bad.txt")  # the member's local header name; its stored bytes follow
    raw[local + 40 : local + 60] = b"\x00" * 20  # corrupt them: the CRC check fails on read
    path.write_bytes(bytes(raw))
    analysis = classify.analyze_paths([path])
    assert [f.job for f in analysis.findings] == ["good"]
    assert len(analysis.errors) == 1 and "2_bad.txt" in analysis.errors[0]
    assert {j.name: j.conclusion for j in analysis.jobs} == {"good": "failure", "bad": "unreadable"}


def test_jobs_ordered_by_severity_then_first_failure(tmp_path: Path) -> None:
    a = _log(tmp_path, ["FAILED tests/test_x.py::test_y - assert 1 == 2"], "1_tests.txt")
    b = _log(tmp_path, ["E   ModuleNotFoundError: No module named 'yaml'"], "2_deps.txt")
    analysis = classify.analyze_paths([a, b])
    assert [f.type for f in analysis.findings] == [
        IssueType.MISSING_DEPENDENCY,
        IssueType.TEST_FAILURE,
    ]


def test_docker_buildkit_prefix_does_not_hide_the_cause(tmp_path: Path) -> None:
    body = [
        "#12 [4/6] RUN pip install -r requirements.txt",
        "#12 3.456 ERROR: Could not find a version that satisfies the requirement reqeusts "
        "(from versions: none)",
        "#12 3.457 ERROR: No matching distribution found for reqeusts",
        '#12 ERROR: process "/bin/sh -c pip install -r requirements.txt" did not complete '
        "successfully: exit code: 1",
    ]
    analysis = classify.analyze_paths([_log(tmp_path, body)])
    assert analysis.findings[0].type is IssueType.MISSING_DEPENDENCY
    assert analysis.findings[0].data.get("package") == "reqeusts"
    assert not analysis.findings[0].auto_fixable


def test_a_copy_from_the_web_page_is_read_as_failed(tmp_path: Path) -> None:
    path = tmp_path / "copied.txt"
    path.write_text(
        "Run actions/upload-artifact@v3\n"
        "Error: This request has been automatically failed because it uses a deprecated version of "
        "`actions/upload-artifact: v3`. Learn more: https://github.blog/changelog/"
        "2024-04-16-deprecation-notice-v3-of-the-artifact-actions/\n"
    )
    analysis = classify.analyze_paths([path])
    assert analysis.jobs[0].conclusion == "failure"
    assert analysis.findings[0].type is IssueType.DEPRECATED_ACTION


def test_tool_output_saying_error_does_not_fail_a_downloaded_log(tmp_path: Path) -> None:
    body = ["Error: the cache was cold, rebuilding", "tests/test_a.py::test_b PASSED"]
    analysis = classify.analyze_paths([_log(tmp_path, body, failed=False)])
    assert analysis.findings == ()
    assert analysis.jobs[0].conclusion == "success"


def test_a_silent_sigkill_is_a_runner_failure(tmp_path: Path) -> None:
    path = tmp_path / "job.txt"
    lines = [
        "##[group]Run pip install .",
        "##[endgroup]",
        "  Installing build dependencies: started",
    ]
    lines.append("##[error]Process completed with exit code 137.")
    path.write_text("".join(TS + line + "\n" for line in lines))
    [finding] = classify.analyze_paths([path]).findings
    assert finding.type is IssueType.RUNNER_FAILURE
    assert finding.rule == "killed-exit-137" and finding.data["exit_code"] == "137"


def test_the_api_verdict_gives_a_killed_job_a_cause_without_a_trailer(tmp_path: Path) -> None:
    from dataclasses import replace

    from smartmon.diagnose import analyze_sources

    lines = [
        "Current runner version: '2.327.1'",
        "##[group]Run pytest -q",
        "pytest -q",
        "##[endgroup]",
        "tests/test_api.py::test_list PASSED",
        "tests/test_api.py::test_slow_upload",
    ]
    path = tmp_path / "1_test.txt"
    path.write_text("".join("2026-07-30T10:37:27.7634265Z " + line + "\n" for line in lines))
    [source] = sources.discover(path)
    assert analyze_sources([source]).findings == ()  # the log alone: it never said it failed
    told = analyze_sources([replace(source, verdict="failure")])
    assert told.jobs[0].conclusion == "failure"
    assert told.jobs[0].verdict_from == "api"
    assert told.findings and told.findings[0].step == "Run pytest -q"


def test_a_long_hit_line_is_whole_for_the_facts_and_short_in_the_report(tmp_path: Path) -> None:
    # Maven prints a whole resolution failure on one line; the facts may sit past what a report shows.
    padding = "Failed to collect dependencies at " + ", ".join(
        f"com.acme:lib{i}:jar:1.0" for i in range(40)
    )
    line = f"E   ModuleNotFoundError: No module named 'yaml' ({padding})"
    [source] = sources.discover(_log(tmp_path, [line]))
    hits = scan_source(source).hits.values()
    assert hits and all(hit.text == line for hit in hits) and len(line) > 1000
    _, [finding, *_], *_ = classify.analyze_job(source)
    assert len(finding.text) == 500 and line.startswith(finding.text)


def test_an_internalerror_is_a_plugin_crash_only_where_the_plugin_raised(tmp_path: Path) -> None:
    site = "/opt/hostedtoolcache/Python/3.11.4/x64/lib/python3.11/site-packages"
    head = ["INTERNALERROR> Traceback (most recent call last):"]
    plugin = f'INTERNALERROR>   File "{site}/pytest_acme/plugin.py", line 65, in pytest_runtest_makereport'
    crash = "INTERNALERROR> AttributeError: 'NoneType' object has no attribute 'lineno'"
    raised = [*head, plugin, "INTERNALERROR>     lineno = entries[0].reprfileloc.lineno", crash]
    wrapped = [
        *head,
        plugin,
        "INTERNALERROR>     outcome = yield",
        'INTERNALERROR>   File "/home/runner/work/app/app/conftest.py", line 9, in pytest_runtest_makereport',
        "INTERNALERROR>     rep.shot = item.funcargs['page'].screenshot()",
        crash,
    ]
    passed_on = [*head, plugin, "INTERNALERROR>     result = yield", crash]
    types = [
        classify.analyze_paths([_log(tmp_path, body, f"{i}.txt")]).findings[0].type
        for i, body in enumerate((raised, wrapped, passed_on))
    ]
    assert types == [IssueType.DEPENDENCY_CONFLICT, IssueType.UNKNOWN, IssueType.UNKNOWN]
