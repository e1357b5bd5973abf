"""An ImportError that names no module (Python before 3.7, or a paste cut after "from") takes the
module from the traceback's source line above (import_sources.import_source_above). The traceback is
pip-tools 7.6 under pip 26 (digital-land/digital-land.info #548), paths ours.
"""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose.import_sources import import_source_above
from tests.diagnose.joblog import FAILED, run_step, top_finding

_TRACE = (
    "Traceback (most recent call last):",
    '  File "/opt/venv/lib/python3.13/site-packages/piptools/sync.py", line 13, in <module>',
    "    from pip._internal.utils.compat import stdlib_pkgs",
)


def test_the_cut_line_takes_the_module_from_the_source_line(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "python -m piptools sync", *_TRACE, "ImportError: cannot import name 'stdlib_pkgs' from"
        ),
        FAILED,
    ]
    assert top_finding(tmp_path, lines) == (
        "import_error",
        {"name": "stdlib_pkgs", "from": "pip._internal.utils.compat", "exit_code": "1"},
    )


def test_a_source_line_importing_other_names_gives_none() -> None:
    assert import_source_above("stdlib_pkgs", ["    from pip._internal.utils import misc"]) is None
    assert import_source_above("b", ["    from pkg.mod import (a, b)"]) == "pkg.mod"
    assert import_source_above("x", ["    import x"]) is None


def test_only_the_nearest_import_line_is_read() -> None:
    # the relative import that failed, under the import that led to it
    above = ["    from pkg import helper", '  File "/w/pkg/__init__.py", line 1, in <module>']
    assert import_source_above("helper", [*above, "    from .compat import helper"]) is None
    assert import_source_above("helper", [*above, "    from pkg.core import ("]) is None
