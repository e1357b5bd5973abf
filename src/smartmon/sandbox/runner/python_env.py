"""Python for sandbox jobs: fast per-job venvs and an offline wheelhouse.

``actions/setup-python`` gives every job a fresh venv (a real GitHub job gets a fresh VM, so one
job's ``pip install`` must never leak into the next run). ``python -m venv`` with pip takes ~5 s,
so the venv is made ``--without-pip`` and pip is hard-linked in from the host interpreter
(``os.link``: removing or upgrading pip inside the job only unlinks its own entries).

Jobs install packages offline: the runner sets ``PIP_NO_INDEX=1`` and ``PIP_FIND_LINKS`` to a
wheelhouse, so a plain ``pip install -r requirements.txt`` works without network. The wheelhouse
is built once per tool cache by repacking distributions installed next to smartmon (PyYAML,
pytest, requests, smartmon's own dependencies, and smartmon unless it is an editable install)
into wheels; a package that is not in it fails to install exactly like a missing package on an
index ("No matching distribution found"). The wheels carry the running interpreter's tags, so
``python`` (setup-python's interpreter) should be the same Python version as smartmon's.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import hashlib
import importlib.metadata as md
import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

log = logging.getLogger(__name__)

DEFAULT_WHEELHOUSE_ROOTS = ("PyYAML", "pytest", "requests", "smartmon")
_SKIP_DIST_INFO = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


@dataclass(frozen=True)
class Interpreter:
    """Facts about the interpreter that setup-python hands to jobs."""

    executable: str
    version: str  # e.g. "3.11.7"
    pip_dir: Path | None  # the host's pip package, to link into job venvs
    pip_dist_info: Path | None

    @property
    def major_minor(self) -> str:
        return ".".join(self.version.split(".")[:2])


_PROBE = (
    "import os, platform, sys\n"
    "print(platform.python_version())\n"
    "try:\n"
    "    import pip\n"
    "    print(os.path.dirname(pip.__file__))\n"
    "except ImportError:\n"
    "    print('')\n"
)


@lru_cache(maxsize=8)
def probe(executable: str) -> Interpreter:
    out = subprocess.run(
        [executable, "-c", _PROBE], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    version, pip_text = out[0].strip(), (out[1].strip() if len(out) > 1 else "")
    pip_dir = Path(pip_text) if pip_text else None
    dist_info = None
    if pip_dir is not None:
        found = sorted(pip_dir.parent.glob("pip-*.dist-info"))
        dist_info = found[-1] if found else None
    return Interpreter(executable, version, pip_dir, dist_info)


def version_matches(requested: str, actual: str) -> bool:
    """setup-python's ``python-version`` against the local interpreter (3.x, 3.11, 3.11.7, >=3.9)."""
    req = requested.strip().removeprefix("v")
    if req in ("", "x", "*", "3", "3.x", "latest"):
        return actual.startswith("3.") or req in ("", "x", "*", "latest")
    if req[:1] in "<>=!~":
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            return actual in SpecifierSet(req)
        except InvalidSpecifier:
            return False
    parts = req.split(".")
    mine = actual.split(".")
    return all(p in ("x", "*") or p == m for p, m in zip(parts, mine, strict=False)) and (
        len(parts) <= len(mine)
    )


_PIP_SCRIPT = """#!{python}
import sys
from pip._internal.cli.main import main
if __name__ == "__main__":
    sys.exit(main())
"""


def create_venv(interp: Interpreter, target: Path) -> Path:
    """A fresh venv at ``target`` with pip available; returns its ``bin`` directory."""
    subprocess.run(
        [interp.executable, "-m", "venv", "--without-pip", str(target)],
        check=True,
        capture_output=True,
    )
    bin_dir = target / "bin"
    site = target / "lib" / f"python{interp.major_minor}" / "site-packages"
    if interp.pip_dir is None or interp.pip_dist_info is None:
        subprocess.run(
            [str(bin_dir / "python"), "-m", "ensurepip"], check=True, capture_output=True
        )
        return bin_dir
    for source in (interp.pip_dir, interp.pip_dist_info):
        shutil.copytree(source, site / source.name, copy_function=_link_or_copy)
    for name in ("pip", "pip3", f"pip{interp.major_minor}"):
        script = bin_dir / name
        script.write_text(_PIP_SCRIPT.format(python=bin_dir / "python"), encoding="utf-8")
        script.chmod(0o755)
    return bin_dir


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def ensure_wheelhouse(target: Path, roots: Iterable[str] = DEFAULT_WHEELHOUSE_ROOTS) -> Path:
    """Build (once) a directory of wheels for ``roots`` and their installed dependencies."""
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".wheelhouse-", dir=target.parent))
    for dist in _closure(roots):
        try:
            build_wheel(dist, staging)
        except ValueError as exc:  # e.g. smartmon itself in a development (editable) install
            log.info("wheelhouse: skipped %s: %s", dist.metadata["Name"], exc)
        except OSError as exc:
            log.warning("wheelhouse: skipped %s: %s", dist.metadata["Name"], exc)
    try:
        staging.rename(target)
    except OSError:  # another process built it first
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _closure(roots: Iterable[str]) -> list[md.Distribution]:
    seen: dict[str, md.Distribution] = {}
    pending = list(roots)
    while pending:
        name = _canonical(pending.pop())
        if name in seen:
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        seen[name] = dist
        for text in dist.requires or []:
            with contextlib.suppress(InvalidRequirement):
                req = Requirement(text)
                if req.marker is None or req.marker.evaluate({"extra": ""}):
                    pending.append(req.name)
    return list(seen.values())


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"sha256={digest.decode()}"


def build_wheel(dist: md.Distribution, out_dir: Path) -> Path:
    """Repack an installed distribution into a wheel pip can install (scripts regenerated)."""
    files = [f for f in dist.files or [] if not str(f).startswith("..")]
    if dist.read_text("direct_url.json") and '"editable": true' in (
        dist.read_text("direct_url.json") or ""
    ):
        raise ValueError("editable installs are not repacked")
    info_dirs = {f.parts[0] for f in files if f.parts[0].endswith(".dist-info")}
    if len(info_dirs) != 1:
        raise ValueError("no unique .dist-info directory")
    info_dir = info_dirs.pop()
    wheel_meta = dist.read_text("WHEEL") or ""
    tags = [ln.split(":", 1)[1].strip() for ln in wheel_meta.splitlines() if ln.startswith("Tag:")]
    tag = tags[0] if tags else "py3-none-any"
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    wheel_path = out_dir / f"{name}-{dist.version}-{tag}.whl"
    records: list[tuple[str, str, str]] = []
    with zipfile.ZipFile(wheel_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel in files:
            arcname = rel.as_posix()
            if "__pycache__" in rel.parts or arcname.endswith(".pyc"):
                continue
            if rel.parts[0] == info_dir and rel.name in _SKIP_DIST_INFO:
                continue
            data = Path(str(dist.locate_file(rel))).read_bytes()
            if arcname == f"{info_dir}/WHEEL":
                lines = [ln for ln in wheel_meta.splitlines() if not ln.startswith("Tag:")]
                data = ("\n".join([*lines, f"Tag: {tag}"]) + "\n").encode()
            zf.writestr(arcname, data)
            records.append((arcname, _record_hash(data), str(len(data))))
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerows([*records, (f"{info_dir}/RECORD", "", "")])
        zf.writestr(f"{info_dir}/RECORD", buf.getvalue())
    return wheel_path
