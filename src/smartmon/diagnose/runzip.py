"""Find one job's log text inside a run-logs zip, in either of GitHub's layouts (github-api.md §1.4)."""

from __future__ import annotations

import io
import re
import zipfile

_TOP_LEVEL = re.compile(r"(-?\d+)_(.+)\.txt")
_STEP_FILE = re.compile(r"(\d+)_.*\.txt")


def zip_log_name(job_name: str) -> str:
    """The file name GitHub gives a job in the logs zip (GHCLI `getJobNameForLogFilename`)."""
    name = job_name.replace("/", "").replace(":", "")
    units = name.encode("utf-16-le")[: 90 * 2]
    return units.decode("utf-16-le", "ignore").strip()


def job_text_from_zip(archive: bytes, job_name: str) -> str | None:
    """A job's log from a run zip: the top-level `<n>_<job>.txt`, else its step files joined."""
    wanted = zip_log_name(job_name)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        names = zf.namelist()
        candidates = []
        for entry in names:
            match = _TOP_LEVEL.fullmatch(entry)
            if match and "/" not in entry and match.group(2) == wanted:
                # Prefer the current layout over the legacy `-<n>_` file (cli/cli PR #10769).
                candidates.append((int(match.group(1)) < 0, entry))
        if candidates:
            return _decode(zf.read(min(candidates)[1]))
        steps = []
        for entry in names:
            folder, _, leaf = entry.partition("/")
            match = _STEP_FILE.fullmatch(leaf)
            if folder == wanted and match:
                steps.append((int(match.group(1)), entry))
        if not steps:
            return None
        return "".join(_decode(zf.read(entry)) for _, entry in sorted(steps))


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "replace").removeprefix("\ufeff")
