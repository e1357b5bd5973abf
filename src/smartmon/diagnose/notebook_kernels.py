"""A notebook whose kernel died starting (`RuntimeError: Kernel died before replying to kernel_info`)
is the cause only where no other test failed beside it: pytest's short summary with a FAILED (or
ERROR) row of another failure names the failure to fix first (`checks: [kernel-death-only]`).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit, step_above, step_below

# pytest's short test summary rows: "FAILED tests/test_core.py::test_add - assert 3 == 4", "ERROR
# tests/test_db.py::test_q - ConnectionError: …", a bare "FAILED path::name" without the message (and
# xdist's "[gw5] FAILED …" progress rows). A log line of `log_cli` ("ERROR    traitlets:client.py:567
# …") pads its level and is none. A bare row of a notebook may be the kernel death's own (nbmake's row
# for it carries no message when the kernel client logged the error: Infleqtion/client-superstaq
# #1104): only a row whose message is another's, or a bare row of a test that is no notebook, counts.
_SUMMARY_ROW = re.compile(
    r"^(?:\[gw\d+\] )?(?:FAILED|ERROR) (?P<test>\S+)(?: - (?P<message>.*?))?\s*$"
)
_KERNEL_DIED = re.compile(r"\bKernel died before replying to kernel_info")
_NOTEBOOK = re.compile(r"\.ipynb(?:::|$)")


def other_test_failed(hit: Hit) -> bool:
    """A rule with `checks: [kernel-death-only]` whose step's pytest summary has a FAILED or ERROR row
    that is no kernel death: that test's failure is the cause."""
    if "kernel-death-only" not in hit.rule.checks:
        return False
    for line in (*step_above(hit), *step_below(hit)):
        m = _SUMMARY_ROW.match(line.strip())
        if m is None:
            continue
        message = m.group("message")
        if message and not _KERNEL_DIED.search(message):
            return True
        if not message and not _NOTEBOOK.search(m.group("test")):
            return True
    return False
