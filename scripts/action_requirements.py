#!/usr/bin/env python3
"""Regenerate requirements/action.txt and requirements/action-wheels.txt for the pins already there.

The composite action installs its dependencies with `pip install --require-hashes
--only-binary=:all:`, so action.txt must list the hash of a wheel for every platform the action runs
on. This script keeps every pin's version, asks `pip download --no-deps --only-binary=:all:
--platform ... --python-version ... --implementation cp` which wheel pip picks on each supported
host (PLATFORMS x PYTHONS, at each host floor) and hashes the files itself. action-wheels.txt names
the wheel behind each hash, so tests/action/test_requirements_platforms.py checks the coverage
without the network.

    python scripts/action_requirements.py            # rewrite both files
    python scripts/action_requirements.py --check    # exit 1 if they are out of date

pip runs without any pip configuration file and only against --index-url (default PyPI): a local
find-links folder or extra index would otherwise leak other files (and hashes) into the result.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

try:
    from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms
    from packaging.utils import canonicalize_name, parse_wheel_filename
    from packaging.version import Version
except ImportError:  # pragma: no cover - pip always vendors packaging
    from pip._vendor.packaging.tags import (  # type: ignore[no-redef]
        Tag,
        compatible_tags,
        cpython_tags,
        mac_platforms,
    )
    from pip._vendor.packaging.utils import (  # type: ignore[no-redef]
        canonicalize_name,
        parse_wheel_filename,
    )
    from pip._vendor.packaging.version import Version  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements" / "action.txt"
WHEEL_LIST = ROOT / "requirements" / "action-wheels.txt"
PYPI = "https://pypi.org/simple"
PYTHONS = ("3.11", "3.12", "3.13")
_PIN = re.compile(r"(?m)^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\]+)")
_NO_MATCH = re.compile(r"No matching distribution found for (\S+)")
# PIP_* settings passed on to pip; the others (indexes, find-links, constraints, ...) are dropped.
_PIP_ENV_KEEP = {"PIP_CERT", "PIP_CLIENT_CERT", "PIP_PROXY", "PIP_DEFAULT_TIMEOUT", "PIP_RETRIES"}


def manylinux(arch: str, glibc: int) -> list[str]:
    """The manylinux platform tags a host with glibc 2.`glibc` accepts, newest first (as pip)."""
    lowest = 5 if arch == "x86_64" else 17
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(glibc, lowest - 1, -1)]
    legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    tags += [f"{alias}_{arch}" for minor, alias in legacy.items() if lowest <= minor <= glibc]
    return tags


def macos(arch: str, major: int) -> list[str]:
    """`--platform macosx_<major>_0_<arch>`: pip adds every older macOS and universal2 itself."""
    return [f"macosx_{major}_0_{arch}"]


@dataclass(frozen=True)
class Platform:
    key: str  # as in action-wheels.txt's header and the test: linux-x86_64, macos-arm64, ...
    label: str
    floors: tuple[int, ...]  # hosts (glibc minor / macOS major) whose pick is hashed, oldest first
    supported: int  # the oldest host that must find a wheel of every pin
    arch: str

    def pip_platforms(self, floor: int) -> list[str]:
        if self.key.startswith("linux"):
            return manylinux(self.arch, floor)
        return macos(self.arch, floor)

    def tags(self, python: str, floor: int | None = None) -> set[Tag]:
        """Every wheel tag CPython `python` accepts on this platform's host `floor`."""
        if self.key.startswith("linux"):
            plats = manylinux(self.arch, self.supported if floor is None else floor)
        else:
            plats = list(mac_platforms((self.supported if floor is None else floor, 0), self.arch))
        version = tuple(int(part) for part in python.split("."))
        interpreter = f"cp{version[0]}{version[1]}"
        return set(cpython_tags(version, [interpreter], plats)) | set(
            compatible_tags(version, interpreter, plats)
        )


# glibc 2.34: ubuntu-22.04 has 2.35, ubuntu-24.04 (and -arm) 2.39. macOS 14: macos-14 is the oldest
# arm64 image. The other floors only add the wheel pip prefers on such hosts (self-hosted too).
PLATFORMS = (
    Platform("linux-x86_64", "Linux x86-64 (manylinux)", (17, 28, 34, 39), 34, "x86_64"),
    Platform("linux-aarch64", "Linux aarch64 (manylinux)", (17, 28, 34, 39), 34, "aarch64"),
    Platform(
        "macos-arm64", "macOS arm64 (arm64/universal2)", (11, 12, 13, 14, 15, 26), 14, "arm64"
    ),
)


@dataclass(frozen=True)
class Wheel:
    pin: str  # name==version as written in action.txt
    filename: str
    sha256: str

    @property
    def tags(self) -> frozenset[Tag]:
        return parse_wheel_filename(self.filename)[3]

    @property
    def pure(self) -> bool:
        return all(tag.platform == "any" for tag in self.tags)


def read_pins(text: str) -> list[tuple[str, str]]:
    """(name, version) of every pin, in file order, as written."""
    pins = _PIN.findall(text)
    if not pins:
        raise SystemExit("no name==version pins found")
    return pins


def _pip_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") or k in _PIP_ENV_KEEP}
    env["PIP_CONFIG_FILE"] = os.devnull  # no pip.conf anywhere: no find-links, extra indexes, ...
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def pip_download(
    reqs: Sequence[str], python: str, platforms: Sequence[str], dest: Path, index_url: str
) -> list[str]:
    """Download pip's pick of each requirement into `dest`; return those pip found no wheel of."""
    pending, unmatched = list(reqs), []
    while pending:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        cmd += ["--implementation", "cp", "--python-version", python, "--index-url", index_url]
        cmd += [arg for plat in platforms for arg in ("--platform", plat)]
        cmd += ["--no-input", "--progress-bar", "off", "--dest", str(dest), *pending]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_pip_env(), check=False)
        if proc.returncode == 0:
            break
        # pip stops at the first requirement without a wheel: drop it and ask again.
        match = _NO_MATCH.search(proc.stderr)
        failed = next((r for r in pending if _name(r) == _name(match[1])), None) if match else None
        if failed is None:
            raise SystemExit(f"pip download failed:\n{' '.join(cmd)}\n{proc.stderr}")
        pending.remove(failed)
        unmatched.append(failed)
    return unmatched


def _name(requirement: str) -> str:
    return canonicalize_name(re.split(r"[=<>!~\[; ]", requirement, maxsplit=1)[0])


def collect(pins: Sequence[tuple[str, str]], dest: Path, index_url: str) -> list[Wheel]:
    """Every wheel pip picks for the pins on every (platform, floor, python), hashed."""
    reqs = [f"{name}=={version}" for name, version in pins]
    for plat in PLATFORMS:
        for python in PYTHONS:
            print(f"{plat.label}, CPython {python}", file=sys.stderr)
            pip_download(reqs, python, plat.pip_platforms(plat.supported), dest, index_url)
    wheels = _hash(pins, dest)
    binary = [r for r in reqs if any(not w.pure for w in wheels if w.pin == r)]
    for plat in PLATFORMS:
        for floor in plat.floors:
            if floor != plat.supported:
                for python in PYTHONS:
                    pip_download(binary, python, plat.pip_platforms(floor), dest, index_url)
    return needed(_hash(pins, dest))


def _hash(pins: Sequence[tuple[str, str]], folder: Path) -> list[Wheel]:
    by_name = {canonicalize_name(name): f"{name}=={version}" for name, version in pins}
    wheels = []
    for path in sorted(folder.glob("*.whl")):
        name, version = parse_wheel_filename(path.name)[:2]
        pin = by_name.get(name)
        if pin is None or version != Version(pin.split("==", 1)[1]):
            raise SystemExit(f"unexpected wheel {path.name}")
        wheels.append(Wheel(pin, path.name, hashlib.sha256(path.read_bytes()).hexdigest()))
    return wheels


def needed(wheels: Iterable[Wheel]) -> list[Wheel]:
    """Drop a pure wheel pip fell back to on an old host when binary wheels cover every target."""
    wheels = list(wheels)
    kept = []
    for wheel in wheels:
        if wheel.pure:
            binaries = [w for w in wheels if w.pin == wheel.pin and not w.pure]
            if all(_covered(binaries, plat, python) for plat in PLATFORMS for python in PYTHONS):
                continue
        kept.append(wheel)
    return kept


def _covered(wheels: Iterable[Wheel], plat: Platform, python: str) -> bool:
    accepted = plat.tags(python)
    return any(wheel.tags & accepted for wheel in wheels)


def missing(pins: Sequence[tuple[str, str]], wheels: Sequence[Wheel]) -> list[str]:
    """'pin: platform CPython x.y' for every target a pin has no wheel for."""
    gaps = []
    for name, version in pins:
        mine = [w for w in wheels if w.pin == f"{name}=={version}"]
        for plat in PLATFORMS:
            for python in PYTHONS:
                if not _covered(mine, plat, python):
                    gaps.append(f"{name}=={version}: {plat.label}, CPython {python}")
    return gaps


def _host(plat: Platform, *floors: int) -> str:
    if plat.key.startswith("linux"):
        return "glibc " + "/".join(f"2.{floor}" for floor in floors)
    return "macOS " + "/".join(str(floor) for floor in floors)


def header() -> list[str]:
    pythons = ", ".join(PYTHONS[:-1]) + f" and {PYTHONS[-1]}"
    lines = [
        "smartmon's runtime dependencies for the composite action: exact pins, every wheel"
        " hash-checked.",
        "Installed by action.yml with `pip install --require-hashes --only-binary=:all:`; the"
        " cache key is",
        "this file's sha256, so any change here invalidates the cached wheels.",
        "",
        f"Hashes cover the wheels of CPython {pythons} (pure-Python wheels once) for:",
    ]
    for plat in PLATFORMS:
        lines.append(
            f"  {plat.label}: {_host(plat, plat.supported)} or newer;"
            f" pip's pick on {_host(plat, *plat.floors)}"
        )
    lines += [
        "requirements/action-wheels.txt names the wheel behind each hash; requirements/README.md"
        " has more.",
        "To regenerate after changing a pin here (the closure of `pip install smartmon` minus"
        " smartmon",
        "itself; the versions are read from this file, the hashes are downloaded from PyPI):",
        "  python scripts/action_requirements.py",
        "and check that `pip install --require-hashes -r requirements/action.txt` works on each"
        " platform.",
    ]
    return [f"# {line}".rstrip() for line in lines]


def render(pins: Sequence[tuple[str, str]], wheels: Sequence[Wheel]) -> tuple[str, str]:
    """The new action.txt and action-wheels.txt."""
    out = header()
    for name, version in pins:
        hashes = sorted({w.sha256 for w in wheels if w.pin == f"{name}=={version}"})
        out.append(f"{name}=={version} \\")
        out += [f"    --hash=sha256:{h} \\" for h in hashes]
        out[-1] = out[-1].removesuffix(" \\")
    listing = [
        "# The wheel behind every hash in requirements/action.txt: `name==version  wheel  sha256`.",
        "# Written by scripts/action_requirements.py; tests/action/test_requirements_platforms.py"
        " checks",
        "# from it that every pin has a wheel for each of " + ", ".join(p.key for p in PLATFORMS),
        "# on CPython "
        + ", ".join(PYTHONS)
        + ", and that this list and action.txt's hashes agree.",
    ]
    order = {f"{name}=={version}": i for i, (name, version) in enumerate(pins)}
    for wheel in sorted(wheels, key=lambda w: (order[w.pin], w.filename)):
        listing.append(f"{wheel.pin}  {wheel.filename}  {wheel.sha256}")
    return "\n".join(out) + "\n", "\n".join(listing) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    parser.add_argument("--index-url", default=PYPI, help=f"package index (default {PYPI})")
    parser.add_argument(
        "--allow-missing", action="store_true", help="write the files even if a pin lacks a wheel"
    )
    args = parser.parse_args(argv)
    pins = read_pins(REQUIREMENTS.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="action-wheels-") as tmp:
        wheels = collect(pins, Path(tmp), args.index_url)
    gaps = missing(pins, wheels)
    for gap in gaps:
        print(f"no wheel: {gap}", file=sys.stderr)
    requirements, listing = render(pins, wheels)
    for plat in PLATFORMS:
        for python in PYTHONS:
            accepted = plat.tags(python, max(plat.floors))
            count = sum(1 for w in wheels if not w.pure and w.tags & accepted)
            print(f"{plat.key} cp{python.replace('.', '')}: {count} binary wheels", file=sys.stderr)
    pure = sum(1 for w in wheels if w.pure)
    print(f"{len(pins)} pins, {len(wheels)} wheels ({pure} pure)", file=sys.stderr)
    if args.check:
        current = (REQUIREMENTS.read_text(encoding="utf-8"), _read(WHEEL_LIST))
        if current != (requirements, listing) or gaps:
            print("requirements/action.txt or action-wheels.txt is out of date", file=sys.stderr)
            return 1
        return 0
    if gaps and not args.allow_missing:
        print(
            "not written: some pins lack a wheel (--allow-missing writes anyway)", file=sys.stderr
        )
        return 1
    REQUIREMENTS.write_text(requirements, encoding="utf-8")
    WHEEL_LIST.write_text(listing, encoding="utf-8")
    return 0


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


if __name__ == "__main__":
    sys.exit(main())
