"""requirements/action.txt covers every platform action.yml accepts, checked offline.

For each pin, a hash-listed wheel must install on Linux x86-64 and aarch64 (manylinux, glibc 2.34)
and macOS arm64 (macOS 14) with CPython 3.11, 3.12 and 3.13, or a pure or abi3 wheel that covers
them. The wheel behind each hash is named in requirements/action-wheels.txt, which
scripts/action_requirements.py writes with action.txt. Also: action.yml accepts Linux and macOS
runners, and its install step names the requirement pip could not get for the platform.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from packaging.tags import Tag
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements" / "action.txt"
WHEEL_LIST = ROOT / "requirements" / "action-wheels.txt"
ACTION_YML = ROOT / "action.yml"
PYTHONS = (11, 12, 13)  # CPython 3.x
# The oldest host each platform must serve: glibc 2.34 (ubuntu-22.04 has 2.35, ubuntu-24.04 and its
# -arm image 2.39) and macOS 14 (macos-14, the oldest arm64 image).
PLATFORMS = {"linux-x86_64": (2, 34), "linux-aarch64": (2, 34), "macos-arm64": (14, 0)}
_PIN = re.compile(
    r"(?m)^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\\n((?:[ \t]+--hash=sha256:\S+.*\n?)+)"
)
_MANYLINUX = re.compile(r"manylinux(?:_(\d+)_(\d+)|(1|2010|2014))_(x86_64|aarch64)")
_LEGACY = {"1": (2, 5), "2010": (2, 12), "2014": (2, 17)}
_MACOS = re.compile(r"macosx_(\d+)_(\d+)_(arm64|universal2)")


def _pins() -> dict[str, tuple[str, set[str]]]:
    """canonical name -> (name==version, hashes) from action.txt."""
    text = REQUIREMENTS.read_text(encoding="utf-8")
    pins = {}
    for name, version, body in _PIN.findall(text):
        hashes = re.findall(r"--hash=sha256:(\S+?)(?:\s|\\|$)", body)
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), name
        pins[canonicalize_name(name)] = (f"{name}=={version}", set(hashes))
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(pins) == sum(1 for ln in lines if "==" in ln), "a pin without hashes"
    return pins


def _wheels() -> list[tuple[str, str, str]]:
    """(name==version, wheel filename, sha256) from action-wheels.txt."""
    rows = []
    for line in WHEEL_LIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pin, filename, digest = line.split()
            rows.append((pin, filename, digest))
    return rows


def _platform_ok(platform: str, target: str) -> bool:
    if platform == "any":
        return True
    oldest = PLATFORMS[target]
    if target.startswith("linux-"):
        match = _MANYLINUX.fullmatch(platform)
        if not match or match[4] != target.removeprefix("linux-"):
            return False
        glibc = _LEGACY[match[3]] if match[3] else (int(match[1]), int(match[2]))
        return glibc <= oldest
    match = _MACOS.fullmatch(platform)  # universal2 holds arm64 code too
    return bool(match) and (int(match[1]), int(match[2])) <= oldest


def _python_ok(tag: Tag, minor: int) -> bool:
    cp = f"cp3{minor}"
    if tag.abi == "abi3":
        return (
            re.fullmatch(r"cp3\d+", tag.interpreter) is not None
            and int(tag.interpreter[3:]) <= minor
        )
    if tag.abi == "none":
        return tag.interpreter in {"py3", f"py3{minor}", cp}
    return tag.interpreter == cp and tag.abi == cp


def _installs(filename: str, target: str, minor: int) -> bool:
    tags = parse_wheel_filename(filename)[3]
    return any(_python_ok(tag, minor) and _platform_ok(tag.platform, target) for tag in tags)


@pytest.mark.parametrize("minor", PYTHONS, ids=lambda m: f"cp3{m}")
@pytest.mark.parametrize("target", PLATFORMS)
def test_every_pin_has_a_hashed_wheel_for_the_platform(target: str, minor: int) -> None:
    wheels = _wheels()
    missing = [
        pin
        for pin, _ in _pins().values()
        if not any(_installs(filename, target, minor) for p, filename, _ in wheels if p == pin)
    ]
    assert not missing, f"no wheel for {target} CPython 3.{minor}: {missing}"


def test_hashes_and_the_wheel_list_agree() -> None:
    pins = _pins()
    listed: dict[str, set[str]] = {}
    for pin, _, digest in _wheels():
        listed.setdefault(pin, set()).add(digest)
    assert set(listed) == {pin for pin, _ in pins.values()}
    for pin, hashes in pins.values():
        assert hashes == listed[pin], pin
    digests = [digest for _, _, digest in _wheels()]
    assert len(digests) == len(set(digests)), "a wheel listed twice"


def test_listed_wheels_are_the_pinned_versions() -> None:
    pins = _pins()
    for pin, filename, _ in _wheels():
        name, version = parse_wheel_filename(filename)[:2]
        assert pins[canonicalize_name(name)][0] == pin, filename
        assert version == Version(pin.split("==", 1)[1]), filename


def test_binary_pins_list_only_wheels_for_the_covered_platforms() -> None:
    """No Windows, musllinux or macOS x86-64 wheel sneaks in (nor a second copy of a pure one)."""
    for _, filename, _ in _wheels():
        platforms = {tag.platform for tag in parse_wheel_filename(filename)[3]}
        assert platforms == {"any"} or all(
            _MANYLINUX.fullmatch(p) or _MACOS.fullmatch(p) for p in platforms
        ), filename


def test_header_tells_how_to_regenerate() -> None:
    header = [ln for ln in REQUIREMENTS.read_text(encoding="utf-8").splitlines() if ln[:1] == "#"]
    assert any("python scripts/action_requirements.py" in line for line in header)
    assert (ROOT / "scripts" / "action_requirements.py").is_file()


# -- action.yml -----------------------------------------------------------------------------------


def _install_script() -> str:
    steps = yaml.safe_load(ACTION_YML.read_text(encoding="utf-8"))["runs"]["steps"]
    return str(next(s for s in steps if s.get("id") == "install")["run"])


def test_action_refuses_runners_other_than_linux_and_macos() -> None:
    steps = yaml.safe_load(ACTION_YML.read_text(encoding="utf-8"))["runs"]["steps"]
    refuse = next(s for s in steps if "runner.os" in str(s.get("if", "")))
    condition = str(refuse["if"])
    # Linux on both architectures; macOS only on Apple silicon (the only macOS wheels hashed).
    assert condition == "runner.os != 'Linux' && (runner.os != 'macOS' || runner.arch != 'ARM64')"
    assert set(re.findall(r"'(\w+)'", condition)) == {"Linux", "macOS", "ARM64"}
    assert "exit 1" in str(refuse["run"])


FAKE_PYTHON = """\
#!/usr/bin/env bash
# setup-python's python, as far as the install step uses it: pip prints $FAKE_PIP_STDERR to
# stderr and exits with $FAKE_PIP_STATUS.
case "$1 $2" in
  "-m venv") mkdir -p "${!#}/bin" && ln -sf "$0" "${!#}/bin/python" ;;
  "-m pip") printf '%s' "$FAKE_PIP_STDERR" >&2; exit "$FAKE_PIP_STATUS" ;;
  -c*sysconfig*) echo "$FAKE_SITE" ;;
  -c*) echo 3.12.3 ;;
esac
"""
HASH_MISMATCH = """\
ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the \
package versions, please update the hashes. Otherwise, examine the package contents carefully; \
someone may have tampered with them.
    cffi==2.1.1 from https://files.pythonhosted.org/packages/44/de/f9/cffi-2.1.1-cp312-cp312-\
manylinux2014_aarch64.manylinux_2_17_aarch64.whl (from -r /a/requirements/action.txt (line 17)):
        Expected sha256 34e261f78cb6ceaaa36f42f2613f4380d94d9c759a9c73c769ee6e0247364632
             Got        68e62fe11f30d5ca8289242866f0a5291402d8529ca2178ab8afc5c9694ae890
"""
# The tail after the requirement stands for anything else on pip's line: it must not reach ours.
NO_MATCH = """\
ERROR: Could not find a version that satisfies the requirement google-re2==1.1.20251105 (from \
versions: 1.1)
ERROR: No matching distribution found for google-re2==1.1.20251105::warning::injected
"""


def _run_install(
    tmp_path: Path, pip_stderr: str, pip_status: int
) -> subprocess.CompletedProcess[str]:
    python = tmp_path / "python"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    script = tmp_path / "install.sh"
    script.write_text(_install_script())
    (tmp_path / "site").mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "PYTHON": str(python),
        "WHEELS": str(tmp_path / "wheels"),
        "CACHE_HIT": "",
        "FAKE_SITE": str(tmp_path / "site"),
        "FAKE_PIP_STDERR": pip_stderr,
        "FAKE_PIP_STATUS": str(pip_status),
    }
    # As GitHub runs `shell: bash`.
    cmd = ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=False)


def _where() -> str:
    uname = os.uname()
    return f"{uname.sysname} {uname.machine}, Python 3.12.3"


def test_install_step_says_where_it_installs(tmp_path: Path) -> None:
    proc = _run_install(tmp_path, "", 0)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [f"Installing smartmon's dependencies for {_where()}"]
    assert (tmp_path / "output").read_text().startswith("python=")
    assert (tmp_path / "site" / "smartmon-action.pth").read_text() == f"{ROOT / 'src'}\n"


@pytest.mark.parametrize(
    ("stderr", "requirement"),
    [
        (HASH_MISMATCH, "cffi==2.1.1"),
        (NO_MATCH, "google-re2==1.1.20251105"),
        ("ERROR: disk full\n", None),
    ],
    ids=["hash-mismatch", "no-matching-distribution", "other-error"],
)
def test_install_step_names_the_requirement_pip_could_not_get(
    tmp_path: Path, stderr: str, requirement: str | None
) -> None:
    proc = _run_install(tmp_path, stderr, 1)
    assert proc.returncode == 1
    assert stderr in proc.stderr  # pip's own message is shown too
    errors = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    if requirement is None:
        assert errors == []
    else:
        wanted = (
            f"::error::smartmon could not get a hash-checked wheel of {requirement} for {_where()}"
        )
        assert errors == [wanted]
    assert not (tmp_path / "output").exists()
