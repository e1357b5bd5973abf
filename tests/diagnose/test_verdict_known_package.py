"""pip's "(from versions: none)": a name the index lacks is a missing dependency (a typo or a
private name), but a well-known distribution exists, so there it means no build for this Python
or platform (TensorFlow on a Python newer than its wheels), a dependency conflict. The message
format is pip's, as printed in stas00/ml-engineering #20 (the rule's source)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import classify


def _paste(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "paste.txt"
    path.write_text(
        f"Run python -m pip install {name}\n"
        f"ERROR: Could not find a version that satisfies the requirement {name}"
        " (from versions: none)\n"
        f"ERROR: No matching distribution found for {name}\n"
        "Error: Process completed with exit code 1.\n"
    )
    return path


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("tensorflow", "dependency_conflict"),
        ("PyYAML", "dependency_conflict"),
        ("acme-internal-utils", "missing_dependency"),
    ],
)
def test_from_versions_none(tmp_path: Path, name: str, want: str) -> None:
    [top, *_] = classify.analyze_paths([_paste(tmp_path, name)]).findings
    assert (top.type.value, top.data["package"], top.auto_fixable) == (want, name, False)
