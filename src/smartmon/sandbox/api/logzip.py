"""Run-logs zip archives in the layouts GitHub has served (see research/github-api.md §1.4)."""

from __future__ import annotations

import io
import zipfile

from smartmon.sandbox.state import Job

_EPOCH = (1980, 1, 1, 0, 0, 0)  # GitHub's entries carry no real dates


def _file_name(name: str) -> str:
    # gh's getJobNameForLogFilename: drop "/" and ":", cut to 90 UTF-16 units, trim.
    cleaned = name.replace("/", "").replace(":", "")
    units = cleaned.encode("utf-16-le")[:180].decode("utf-16-le", errors="ignore")
    return units.strip()


def build(jobs: list[Job], *, layout: str, legacy: bool) -> bytes:
    """The zip: top-level `<n>_<job>.txt`, plus `<job>/<step>_<name>.txt` when layout is "steps"."""
    out = io.BytesIO()
    seen: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for ordinal, job in enumerate(jobs):
            base = _file_name(job.name)
            seen[base] = seen.get(base, 0) + 1
            if seen[base] > 1:
                base = f"{base} ({seen[base] - 1})"
            data = job.log.encode("utf-8")
            _add(archive, f"{ordinal}_{base}.txt", data)
            if legacy:
                _add(archive, f"-{ordinal + 1}_{base}.txt", data)
            if layout == "steps":
                for step in job.steps:
                    text = job.step_logs.get(str(step["number"]), "")
                    entry = f"{base}/{step['number']}_{_file_name(str(step['name']))}.txt"
                    _add(archive, entry, text.encode("utf-8"))
    return out.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)
