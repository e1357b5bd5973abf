"""Speed comparisons on large logs, each contender a whole process, in the same run on one machine.

First the yardstick the speed target is set against (../shared/bench/README.md): `smartmon analyze`
vs `grep -E -c -f patterns.ere` on the shared 256 MiB log, best of three each, run in turn, with
smartmon's peak RSS and its root cause, and the same command on a one-line log (its start-up: the
interpreter, imports and the catalog's set compiled), so the gap can be read. Then, unless `BENCH_ONLY=yardstick`, the whole catalog:
1. `smartmon analyze big.log --format json` as a whole process (start-up included), peak RSS too;
2. `grep -E -c -f patterns.ere big.log` with the catalog's patterns translated to ERE (each `^` also
   allowed after a timestamp, as smartmon does); untranslatable patterns are listed;
3. a naive Python loop (each line × each rule with stdlib `re`) on a slice, scaled to the whole file.

Prints the ratios against the targets and writes them to bench/results.md. Never used by tests.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_log import write_log  # noqa: E402
from varied import varied_section  # noqa: E402

from smartmon.diagnose.rules import load_rules  # noqa: E402

OUT = HERE / "out"
# The shared yardstick (../shared/bench/README.md): its own 256 MiB log and 40 ERE patterns.
SHARED = HERE.parent.parent / "shared" / "bench"
YARD_LOG = OUT / "big-256.log"
LOG = OUT / "big.log"
SIZE_MIB = int(os.environ.get("BENCH_MIB", "256"))
NAIVE_SLICE = 8 << 20
TS_ERE = "([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]+Z ?)?"

_CLASS_ESC = {
    "r": "\r",  # grep takes the control characters themselves
    "t": "\t",
    "d": "0-9",
    "s": "[:space:]",
    "w": "[:alnum:]_",
}
_ESC = {
    "r": "\r",
    "t": "\t",
    "d": "[0-9]",
    "D": "[^0-9]",
    "s": "[[:space:]]",
    "S": "[^[:space:]]",
    "w": "[[:alnum:]_]",
    "W": "[^[:alnum:]_]",
}


class Untranslatable(Exception):
    pass


def _hex_char(text: str, i: int) -> tuple[str, int]:
    """The character of RE2's `\\x{10FFFF}` or `\\xHH` whose digits start at `text[i]` (after the
    `x`), and where the escape ends; GNU grep in a UTF-8 locale matches the literal character."""
    if text.startswith("{", i):
        end = text.index("}", i)
        return chr(int(text[i + 1 : end], 16)), end + 1
    return chr(int(text[i : i + 2], 16)), i + 2


def _class_to_ere(body: str, fold: bool) -> str:
    """Translate the inside of an RE2 character class to a POSIX bracket expression's inside."""
    items: list[str] = []
    close = hyphen = bracket = False
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1]
            i += 2
            if nxt in _CLASS_ESC:
                items.append(_CLASS_ESC[nxt])
            elif nxt in "SWD":
                raise Untranslatable(f"negated class escape \\{nxt} inside []")
            elif nxt == "]":
                close = True  # POSIX: a literal ] must come first
            elif nxt == "-":
                hyphen = True  # POSIX: a literal - must come last
            elif nxt == "[":
                bracket = True  # POSIX: "[" before ":", "." or "=" would open a class name
            elif nxt == "\\":
                items.append("\\")
            elif nxt == "x":
                char, i = _hex_char(body, i)
                items.append(char)
            elif nxt.isalnum():
                raise Untranslatable(f"escape \\{nxt} inside []")
            else:
                items.append(nxt)
            continue
        end = body[i + 2] if body.startswith("-", i + 1) and i + 2 < len(body) else ""
        if fold and ch.isalpha() and end.isalpha():
            # a range folds as two ranges: `a-f` is `a-fA-F`, never the run `aA-fF` (A to f)
            items.append(f"{ch.lower()}-{end.lower()}{ch.upper()}-{end.upper()}")
            i += 3
            continue
        items.append(ch.lower() + ch.upper() if fold and ch.isalpha() else ch)
        i += 1
    tail = ("[" if bracket else "") + ("-" if hyphen else "")
    return ("]" if close else "") + "".join(items) + tail


def to_ere(pattern: str) -> str:
    """Translate an RE2 pattern to POSIX ERE (GNU grep), or raise Untranslatable."""
    out: list[str] = []
    i = 0
    fold: list[bool] = [False]  # case-insensitive, per open group: `(?i:…)` and a leading `(?i)`
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            nxt = pattern[i + 1] if i + 1 < len(pattern) else ""
            if nxt in _ESC:
                out.append(_ESC[nxt])
            elif nxt in "bB":
                out.append("\\" + nxt)
            elif nxt == "x":
                char, i = _hex_char(pattern, i + 2)
                out.append(re.escape(char) if char in ".[]()*+?{}|^$\\" else char)
                continue
            elif nxt.isalnum():
                raise Untranslatable(f"escape \\{nxt}")
            elif fold[-1] and nxt.isalpha():
                out.append(f"[{nxt.lower()}{nxt.upper()}]")
            else:
                out.append("\\" + nxt)
            i += 2
            continue
        if ch == "[":
            j = i + 1
            negate = pattern.startswith("^", j)
            j += 1 if negate else 0
            body_start = j
            if pattern.startswith("]", j):
                j += 1
            while pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            body = pattern[body_start:j]
            out.append("[" + ("^" if negate else "") + _class_to_ere(body, fold[-1]) + "]")
            i = j + 1
            continue
        if ch.isalpha() and fold[-1]:
            out.append(f"[{ch.lower()}{ch.upper()}]")
            i += 1
            continue
        if pattern.startswith("(?P<", i):
            out.append("(")
            fold.append(fold[-1])
            i = pattern.index(">", i) + 1
            continue
        if pattern.startswith("(?:", i):
            out.append("(")
            fold.append(fold[-1])
            i += 3
            continue
        if pattern.startswith("(?i:", i):
            out.append("(")
            fold.append(True)
            i += 4
            continue
        if pattern.startswith("(?i)", i):
            fold[-1] = True
            i += 4
            continue
        if pattern.startswith("(?", i):
            raise Untranslatable("inline flags " + pattern[i : pattern.index(")", i) + 1])
        if ch == "(":
            fold.append(fold[-1])
        elif ch == ")" and len(fold) > 1:
            fold.pop()
        if ch in "*+?}" and i + 1 < len(pattern) and pattern[i + 1] == "?":
            out.append(ch)  # lazy and greedy match the same lines
            i += 2
            continue
        if ch == "^":
            out.append("^" + TS_ERE)
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _run_timed(cmd: list[str]) -> tuple[float, int, bytes]:
    """Wall time, peak RSS in KiB, stdout of a child process."""
    start = time.perf_counter()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss, out


def _naive(patterns: list[re.Pattern[str]]) -> float:
    """Seconds for the whole file, scaled from a slice."""
    with LOG.open("rb") as fh:
        data = fh.read(NAIVE_SLICE)
    lines = data.decode("utf-8", "replace").splitlines()
    ts = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z ?")
    ansi = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
    start = time.perf_counter()
    hits = 0
    for line in lines:
        text = ansi.sub("", ts.sub("", line))
        for pat in patterns:
            if pat.search(text):
                hits += 1
    elapsed = time.perf_counter() - start
    return elapsed * LOG.stat().st_size / len(data)


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    grep = subprocess.run(["grep", "--version"], capture_output=True, text=True, check=False)
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}; "
        f"Python {platform.python_version()}; {grep.stdout.splitlines()[0]}; "
        f"LC_ALL={os.environ.get('LC_ALL', '')!r} LANG={os.environ.get('LANG', '')!r}"
    )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _root_cause(out: bytes) -> str:
    try:
        findings = json.loads(out)["findings"]
    except (ValueError, KeyError, TypeError):
        return "unreadable output"
    return (
        f"{findings[0]['type']} ({findings[0]['data'].get('module', '?')})" if findings else "none"
    )


def _yardstick(smartmon: list[str]) -> list[str]:
    """`analyze` vs `grep -E -c -f patterns.ere` on the shared 256 MiB log, best of three each.

    The two run in turn (smartmon, grep, smartmon, grep, ...) so a machine that gets busier or
    quieter during the run weighs on both alike; the page cache is warmed first.
    """
    maker, patterns = SHARED / "make_big_log.py", SHARED / "patterns.ere"
    if not maker.exists():
        return [f"(shared yardstick not found at {SHARED}: skipped)"]
    OUT.mkdir(exist_ok=True)
    if not YARD_LOG.exists():
        subprocess.run([sys.executable, str(maker), str(YARD_LOG), "256"], check=True)
    subprocess.run(["cat", str(YARD_LOG)], stdout=subprocess.DEVNULL, check=True)
    cmd = [*smartmon, str(YARD_LOG), "--format", "json"]
    grep = ["grep", "-E", "-c", "-f", str(patterns), str(YARD_LOG)]
    # The same command on a one-line log: the part of the whole process that does not depend on
    # the log (interpreter, imports, the catalog's set compiled), so the gap can be read.
    tiny = YARD_LOG.with_name("one-line.log")
    tiny.write_text("Run make test\n", encoding="utf-8")
    start_cmd = [*smartmon, str(tiny), "--format", "json"]
    load_before = _load()
    runs: dict[str, list[tuple[float, int, bytes]]] = {"smartmon": [], "grep": [], "start": []}
    for _ in range(3):
        runs["smartmon"].append(_run_timed(cmd))
        runs["grep"].append(_run_timed(grep))
        runs["start"].append(_run_timed(start_cmd))
    sm = min(runs["smartmon"], key=lambda r: r[0])
    gr = min(runs["grep"], key=lambda r: r[0])
    st = min(runs["start"], key=lambda r: r[0])
    ratio = sm[0] / gr[0]
    rss = sm[1] / 1024

    def times(name: str) -> str:
        return ", ".join(f"{r[0]:.2f}" for r in runs[name])

    return [
        "## The shared yardstick (../shared/bench): 40 ERE patterns, best of three each",
        "",
        f"Machine: `nproc` = {os.cpu_count()}, {_cpu_model()}; Python {platform.python_version()}; "
        f"load average {load_before} before, {_load()} after.",
        "",
        "| contender | best | all three | peak RSS | result |",
        "|---|---|---|---|---|",
        f"| smartmon analyze --format json (whole process) | {sm[0]:.2f} s | {times('smartmon')} s"
        f" | {rss:.0f} MiB | {_root_cause(sm[2])} |",
        f"| grep -E -c -f patterns.ere | {gr[0]:.2f} s | {times('grep')} s"
        f" | — | {gr[2].decode().strip()} lines |",
        f"| smartmon analyze on a one-line log (start-up) | {st[0]:.2f} s | {times('start')} s"
        f" | {st[1] / 1024:.0f} MiB | — |",
        "",
        f"- smartmon / grep -c = {ratio:.2f}× (target ≤ 1.0×): {'met' if ratio <= 1 else 'NOT met'}",
        f"- past its start-up, smartmon took {sm[0] - st[0]:.2f} s for the 256 MiB"
        f" ({(sm[0] - st[0]) / gr[0]:.2f}× grep's whole run)",
        f"- smartmon peak RSS = {rss:.0f} MiB (target ≤ 100 MiB): {'met' if rss <= 100 else 'NOT met'}",
        "",
        "(A child's peak RSS includes this harness's own at the fork, ~25 MiB, so grep's is left out;",
        "smartmon's is above that floor.)",
    ]


def _catalog_comparison(exe: list[str]) -> list[str]:
    """smartmon vs grep over the whole catalog (translated to ERE) vs a naive loop, on bench/out."""
    OUT.mkdir(exist_ok=True)
    if not LOG.exists() or LOG.stat().st_size < SIZE_MIB << 20:
        print(f"generating {LOG} ({SIZE_MIB} MiB)...", flush=True)
        write_log(LOG, SIZE_MIB << 20)
    size_mib = LOG.stat().st_size / (1 << 20)
    rules = load_rules()
    eres: list[str] = []
    skipped: list[str] = []
    for rule in rules:
        try:
            eres.append(to_ere(rule.pattern))
        except Untranslatable as exc:
            skipped.append(f"{rule.id} ({exc})")
    ere_file = OUT / "patterns.ere"
    ere_file.write_text("\n".join(eres) + "\n")
    cmd = [*exe, str(LOG), "--format", "json"]

    # Warm the page cache so neither contender pays for the disk, then take the best of 3.
    # (Read to /dev/null: holding the file in this process would inflate every child's peak RSS.)
    subprocess.run(["cat", str(LOG)], stdout=subprocess.DEVNULL, check=True)
    sm = min((_run_timed(cmd) for _ in range(3)), key=lambda r: r[0])
    # grep takes minutes over the whole catalog, so it runs once (a best-of-3 would only flatter it).
    gr = _run_timed(["grep", "-E", "-c", "-f", str(ere_file), str(LOG)])
    naive = _naive([re.compile(r.pattern) for r in rules])
    ratio_grep = sm[0] / gr[0]
    ratio_naive = naive / sm[0]
    rss_mib = sm[1] / 1024
    rows = [
        ("smartmon analyze (whole process)", f"{sm[0]:.2f} s", f"peak RSS {rss_mib:.0f} MiB"),
        (
            f"grep -E -c -f ({len(eres)} patterns)",
            f"{gr[0]:.2f} s",
            f"{gr[2].decode().strip()} lines",
        ),
        (
            "naive Python re loop (scaled)",
            f"{naive:.2f} s",
            f"from a {NAIVE_SLICE >> 20} MiB slice",
        ),
    ]
    verdicts = [
        (f"smartmon / grep = {ratio_grep:.2f}×", "target ≤ 1.0×", ratio_grep <= 1.0),
        (f"naive / smartmon = {ratio_naive:.1f}×", "target ≥ 10×", ratio_naive >= 10),
        (f"peak RSS = {rss_mib:.0f} MiB", "target ≤ 100 MiB", rss_mib <= 100),
    ]
    lines = [
        "## The whole catalog",
        "",
        f"Log: {size_mib:.0f} MiB generated by `bench/make_log.py`; {len(rules)} rules.",
        f"Machine: {_machine()}",
        "",
        "| contender | time | notes |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
        *[f"- {a} ({b}): {'met' if ok else 'NOT met'}" for a, b, ok in verdicts],
    ]
    if skipped:
        lines += ["", f"Patterns grep cannot take ({len(skipped)}), left out of its run:"]
        lines += [f"- {s}" for s in skipped]
    return lines


def main() -> int:
    """The yardstick first (seconds); then the whole-catalog comparison (minutes of grep), unless
    `BENCH_ONLY=yardstick`."""
    exe = [sys.executable, "-m", "smartmon", "analyze"]
    yard = _yardstick(exe)
    print("\n".join(yard) + "\n", flush=True)
    varied = varied_section(exe, OUT, SHARED / "patterns.ere", _run_timed)
    print("\n".join(varied) + "\n", flush=True)
    lines = ["# Benchmark results", "", *yard, "", *varied]
    if os.environ.get("BENCH_ONLY") != "yardstick":
        catalog = _catalog_comparison(exe)
        print("\n".join(catalog), flush=True)
        lines += ["", *catalog]
    else:
        lines += ["", "(The whole-catalog comparison was not run: `BENCH_ONLY=yardstick`.)"]
    (HERE / "results.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
