"""Building blocks for the development-set generator (make_logs.py): GitHub Actions job logs.

The format follows the runner source as summarised in ../shared/research/github-api.md §2 and
classification.md §4.10: every record starts with a 28-character timestamp and one space; a record
with embedded newlines continues on physical lines without a timestamp.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field

CYAN = "\x1b[36;1m"
RESET = "\x1b[0m"
GREEN = "\x1b[32m"
RED = "\x1b[31m"
YELLOW = "\x1b[33m"
BOLD = "\x1b[1m"
GREY = "\x1b[90m"

EPOCH = dt.datetime(1970, 1, 1)


def fake_sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def fake_uuid(text: str) -> str:
    h = hashlib.md5(text.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


@dataclass(frozen=True)
class Platform:
    kind: str  # linux, windows, macos
    image: str
    os_lines: tuple[str, ...]
    version: str
    software_url: str
    release_url: str

    def workspace(self, repo: str) -> str:
        if self.kind == "windows":
            return f"D:\\a\\{repo}\\{repo}"
        if self.kind == "macos":
            return f"/Users/runner/work/{repo}/{repo}"
        return f"/home/runner/work/{repo}/{repo}"

    def temp(self) -> str:
        return {
            "windows": "D:\\a\\_temp",
            "macos": "/Users/runner/work/_temp",
        }.get(self.kind, "/home/runner/work/_temp")

    def python_root(self, version: str) -> str:
        if self.kind == "windows":
            return f"C:\\hostedtoolcache\\windows\\Python\\{version}\\x64"
        if self.kind == "macos":
            return f"/Users/runner/hostedtoolcache/Python/{version}/arm64"
        return f"/opt/hostedtoolcache/Python/{version}/x64"

    def site_packages(self, version: str) -> str:
        short = ".".join(version.split(".")[:2])
        if self.kind == "windows":
            return self.python_root(version) + "\\Lib\\site-packages"
        return self.python_root(version) + f"/lib/python{short}/site-packages"

    def git(self) -> str:
        return (
            "C:\\Program Files\\Git\\bin\\git.exe"
            if self.kind == "windows"
            else ("/opt/homebrew/bin/git" if self.kind == "macos" else "/usr/bin/git")
        )


UBUNTU24 = Platform(
    "linux",
    "ubuntu-24.04",
    ("Ubuntu", "24.04.2", "LTS"),
    "20250330.1.0",
    "https://github.com/actions/runner-images/blob/ubuntu24/20250330.1/images/ubuntu/Ubuntu2404-Readme.md",
    "https://github.com/actions/runner-images/releases/tag/ubuntu24%2F20250330.1",
)
UBUNTU22 = Platform(
    "linux",
    "ubuntu-22.04",
    ("Ubuntu", "22.04.5", "LTS"),
    "20250323.1.0",
    "https://github.com/actions/runner-images/blob/ubuntu22/20250323.1/images/ubuntu/Ubuntu2204-Readme.md",
    "https://github.com/actions/runner-images/releases/tag/ubuntu22%2F20250323.1",
)
WINDOWS = Platform(
    "windows",
    "windows-2022",
    ("Microsoft Windows Server 2022", "10.0.20348", "Datacenter"),
    "20250330.2.0",
    "https://github.com/actions/runner-images/blob/win22/20250330.2/images/windows/Windows2022-Readme.md",
    "https://github.com/actions/runner-images/releases/tag/win22%2F20250330.2",
)
MACOS = Platform(
    "macos",
    "macos-14-arm64",
    ("macOS", "14.7.4", "23H420"),
    "20250331.1108",
    "https://github.com/actions/runner-images/blob/macos-14-arm64/20250331.1108/images/macos/macos-14-arm64-Readme.md",
    "https://github.com/actions/runner-images/releases/tag/macos-14-arm64%2F20250331.1108",
)

DEFAULT_ACTION_WITH: dict[str, list[tuple[str, str]]] = {
    "actions/checkout": [
        ("repository", "{owner}/{repo}"),
        ("token", "***"),
        ("ssh-strict", "true"),
        ("ssh-user", "git"),
        ("persist-credentials", "true"),
        ("clean", "true"),
        ("sparse-checkout-cone-mode", "true"),
        ("fetch-depth", "1"),
        ("fetch-tags", "false"),
        ("show-progress", "true"),
        ("lfs", "false"),
        ("submodules", "false"),
        ("set-safe-directory", "true"),
    ],
}


@dataclass
class Step:
    name: str
    first: int  # index into Job.records
    last: int = -1


@dataclass
class Job:
    """One job log under construction. Records are (timestamp, text); text may hold newlines."""

    name: str
    start: dt.datetime
    platform: Platform = UBUNTU24
    owner: str = "acme"
    repo: str = "app"
    seed: str = ""
    records: list[tuple[str, str]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    lines: int = 0
    failed: bool = False

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed or self.name)
        self._ticks = int((self.start - EPOCH).total_seconds() * 10_000_000)
        self._ticks += self.rng.randrange(10_000_000)

    # -- time and records ------------------------------------------------------------------
    def wait(self, seconds: float) -> None:
        self._ticks += int(seconds * 10_000_000) + self.rng.randrange(50_000)

    def stamp(self) -> str:
        secs, frac = divmod(self._ticks, 10_000_000)
        when = EPOCH + dt.timedelta(seconds=secs)
        return when.strftime("%Y-%m-%dT%H:%M:%S") + f".{frac:07d}Z"

    def emit(self, text: str = "", gap: float = 0.0) -> int:
        """Append one record; return the physical 1-based line number of its first line."""
        self._ticks += int(gap * 10_000_000) + self.rng.randrange(200, 9000)
        self.records.append((self.stamp(), text))
        first = self.lines + 1
        self.lines += 1 + text.count("\n")
        return first

    def emit_all(self, lines: list[str] | str, gap: float = 0.0) -> int:
        if isinstance(lines, str):
            lines = lines.split("\n")
        first = 0
        for i, line in enumerate(lines):
            n = self.emit(line, gap if i == 0 else 0.0)
            first = first or n
        return first

    def error(self, text: str) -> int:
        return self.emit("##[error]" + text)

    def exit_code(self, code: int) -> int:
        self.failed = True
        return self.emit(f"##[error]Process completed with exit code {code}.")

    def step(self, name: str) -> None:
        if self.steps:
            self.steps[-1].last = len(self.records)
        self.steps.append(Step(name.replace("/", ""), len(self.records)))

    # -- boilerplate -------------------------------------------------------------------------
    def setup(
        self,
        actions: list[str],
        *,
        permissions: tuple[str, ...] = ("Contents: read", "Metadata: read", "Packages: read"),
        runner: str = "2.323.0",
        complete_name: str | None = None,
        requested: bool = False,
    ) -> None:
        self.step("Set up job")
        p = self.platform
        if requested:
            self.emit(f"Requested labels: {p.image.replace('-arm64', '')}")
            self.emit(
                f"Job defined at: {self.owner}/{self.repo}/.github/workflows/ci.yml@refs/heads/main"
            )
            self.emit("Waiting for a runner to pick up this job...")
            self.emit(
                "Job is about to start running on the hosted runner: GitHub Actions 1000000123",
                gap=3,
            )
        self.emit(f"Current runner version: '{runner}'")
        if p.kind == "linux":
            self.emit("##[group]Runner Image Provisioner")
            self.emit("Hosted Compute Agent")
            self.emit("Version: 20250224.275")
            self.emit("Commit: " + fake_sha("provisioner" + self.name))
            self.emit("Build Date: 2025-02-24T21:27:38Z")
            self.emit("##[endgroup]")
        else:
            self.emit(f"Runner name: 'GitHub Actions {self.rng.randrange(100, 999)}'")
            self.emit("Runner group name: 'GitHub Actions'")
            self.emit(
                f"Machine name: '{'fv-az' if p.kind == 'windows' else 'Mac-'}{self.rng.randrange(1000, 9999)}'"
            )
        self.emit("##[group]Operating System")
        for line in p.os_lines:
            self.emit(line)
        self.emit("##[endgroup]")
        self.emit("##[group]Runner Image")
        self.emit(f"Image: {p.image}")
        self.emit(f"Version: {p.version}")
        self.emit(f"Included Software: {p.software_url}")
        self.emit(f"Image Release: {p.release_url}")
        self.emit("##[endgroup]")
        self.emit("##[group]GITHUB_TOKEN Permissions")
        for perm in permissions:
            self.emit(perm)
        self.emit("##[endgroup]")
        self.emit("Secret source: Actions")
        self.emit("Prepare workflow directory")
        self.emit("Prepare all required actions", gap=0.04)
        self.emit("Getting action download info")
        for action in actions:
            self.emit(f"Download action repository '{action}' (SHA:{fake_sha(action)})", gap=0.2)
        self.emit(f"Complete job name: {complete_name or self.name}", gap=0.1)

    def action(
        self, uses: str, with_: list[tuple[str, str]] | None = None, name: str | None = None
    ) -> None:
        self.step(name or f"Run {uses}")
        self.emit(f"##[group]Run {uses}", gap=0.05)
        base = uses.split("@")[0]
        pairs = with_ if with_ is not None else DEFAULT_ACTION_WITH.get(base, [])
        if pairs:
            self.emit("with:")
            for key, value in pairs:
                if with_ is None:
                    value = value.format(owner=self.owner, repo=self.repo)
                self.emit(f"  {key}: {value}")
        self._env_block()
        self.emit("##[endgroup]")

    def _env_block(self, extra: dict[str, str] | None = None) -> None:
        env = dict(self.env)
        env.update(extra or {})
        if env:
            self.emit("env:")
            for key, value in env.items():
                self.emit(f"  {key}: {value}".rstrip(" ") + (" " if value == "" else ""))

    def run(
        self,
        script: str,
        *,
        name: str | None = None,
        env: dict[str, str] | None = None,
        shell_cmd: str | None = None,
    ) -> None:
        script_lines = script.strip("\n").split("\n")
        self.step(name or f"Run {script_lines[0]}")
        self.emit(f"##[group]Run {script_lines[0]}", gap=0.05)
        for line in script_lines:
            self.emit(f"{CYAN}{line}{RESET}")
        self.emit(f"shell: {shell_cmd or self.default_shell()}")
        self._env_block(env)
        self.emit("##[endgroup]")

    def default_shell(self) -> str:
        if self.platform.kind == "windows":
            return "C:\\Program Files\\PowerShell\\7\\pwsh.EXE -command \". '{0}'\""
        if self.platform.kind == "macos":
            return "/bin/bash -e {0}"
        return "/usr/bin/bash -e {0}"

    def temp_script(self, ext: str = "sh") -> str:
        name = fake_uuid(f"{self.name}{len(self.records)}") + "." + ext
        sep = "\\" if self.platform.kind == "windows" else "/"
        return self.platform.temp() + sep + name

    # -- common actions ----------------------------------------------------------------------
    def checkout(self, *, fail_dns: bool = False, transient_dns: int = 0) -> int:
        """actions/checkout@v4 with its real output; returns the line of the DNS error if any."""
        self.action("actions/checkout@v4")
        p = self.platform
        ws = p.workspace(self.repo)
        git = p.git()
        url = f"https://github.com/{self.owner}/{self.repo}"
        self.emit(f"Syncing repository: {self.owner}/{self.repo}")
        self.emit("##[group]Getting Git version info")
        self.emit(f"Working directory is '{ws}'")
        self.emit(f"[command]{git} version")
        self.emit("git version 2.49.0" + (".windows.1" if p.kind == "windows" else ""))
        self.emit("##[endgroup]")
        tmp = p.temp() + ("\\" if p.kind == "windows" else "/") + fake_uuid("home" + self.name)
        self.emit(f"Temporarily overriding HOME='{tmp}' before making global git config changes")
        self.emit(
            "Adding repository directory to the temporary git global config as a safe directory"
        )
        self.emit(f"[command]{git} config --global --add safe.directory {ws}")
        self.emit(f"Deleting the contents of '{ws}'")
        self.emit("##[group]Initializing the repository")
        self.emit(f"[command]{git} init {ws}")
        self.emit(
            f"Initialized empty Git repository in {ws}/.git/".replace(
                "/.git/", "\\.git\\" if p.kind == "windows" else "/.git/"
            )
        )
        self.emit(f"[command]{git} remote add origin {url}")
        self.emit("##[endgroup]")
        self.emit("##[group]Disabling automatic garbage collection")
        self.emit(f"[command]{git} config --local gc.auto 0")
        self.emit("##[endgroup]")
        self.emit("##[group]Setting up auth")
        self.emit(f"[command]{git} config --local --name-only --get-regexp core\\.sshCommand")
        self.emit(
            f"[command]{git} config --local http.https://github.com/.extraheader AUTHORIZATION: basic ***"
        )
        self.emit("##[endgroup]")
        self.emit("##[group]Fetching the repository")
        sha = fake_sha("head" + self.name + self.repo)
        fetch = (
            f"[command]{git} -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules "
            f"--depth=1 origin +{sha}:refs/remotes/origin/main"
        )
        if transient_dns:
            for wait in (14, 11)[:transient_dns]:
                self.emit(fetch, gap=0.1)
                self.emit(
                    f"fatal: unable to access '{url}/': Could not resolve host: github.com", gap=5
                )
                self.emit(f"The process '{git}' failed with exit code 128")
                self.emit(f"Waiting {wait} seconds before trying again", gap=0.01)
                self.wait(wait)
        if fail_dns:
            err_line = 0
            for wait in (12, 17, 0):
                self.emit(fetch, gap=0.1)
                n = self.emit(
                    f"fatal: unable to access '{url}/': Could not resolve host: github.com", gap=5
                )
                err_line = n
                if wait:
                    self.emit(f"The process '{git}' failed with exit code 128")
                    self.emit(f"Waiting {wait} seconds before trying again", gap=0.01)
                    self.wait(wait)
            self.emit("##[endgroup]")
            err_line = self.error(f"The process '{git}' failed with exit code 128")
            self.failed = True
            return err_line
        self.emit(fetch, gap=0.1)
        self.emit(f"From {url}", gap=0.4)
        self.emit(f" * [new ref]         {sha} -> origin/main")
        self.emit("##[endgroup]")
        self.emit("##[group]Determining the checkout info")
        self.emit("##[endgroup]")
        self.emit(f"[command]{git} sparse-checkout disable")
        self.emit(f"[command]{git} config --local --unset-all extensions.worktreeConfig")
        self.emit("##[group]Checking out the ref")
        self.emit(f"[command]{git} checkout --progress --force -B main refs/remotes/origin/main")
        self.emit("Switched to a new branch 'main'")
        self.emit("branch 'main' set up to track 'origin/main'.")
        self.emit("##[endgroup]")
        self.emit(f"[command]{git} log -1 --format=%H")
        self.emit(sha)
        return 0

    def setup_python(self, version: str = "3.12", full: str = "3.12.9") -> None:
        self.action(
            "actions/setup-python@v5",
            [
                ("python-version", version),
                ("check-latest", "false"),
                ("token", "***"),
                ("update-environment", "true"),
                ("allow-prereleases", "false"),
                ("freethreaded", "false"),
            ],
        )
        self.emit("##[group]Installed versions")
        self.emit(f"Successfully set up CPython ({full})")
        self.emit("##[endgroup]")
        root = self.platform.python_root(full)
        self.env["pythonLocation"] = root
        if self.platform.kind == "windows":
            self.env["PKG_CONFIG_PATH"] = root + "\\lib\\pkgconfig"
        else:
            self.env["PKG_CONFIG_PATH"] = root + "/lib/pkgconfig"
        self.env["Python_ROOT_DIR"] = root
        self.env["Python2_ROOT_DIR"] = root
        self.env["Python3_ROOT_DIR"] = root
        if self.platform.kind == "linux":
            self.env["LD_LIBRARY_PATH"] = root + "/lib"

    def setup_node(self, version: str = "20", full: str = "20.19.0") -> None:
        self.action(
            "actions/setup-node@v4",
            [
                ("node-version", version),
                ("cache", "npm"),
                ("always-auth", "false"),
                ("check-latest", "false"),
                ("token", "***"),
            ],
        )
        arch = "arm64" if self.platform.kind == "macos" else "x64"
        self.emit(f"Found in cache @ /opt/hostedtoolcache/node/{full}/{arch}")
        self.emit("##[group]Environment details")
        self.emit(f"node: v{full}")
        self.emit("npm: 10.8.2")
        self.emit("yarn: 1.22.22")
        self.emit("##[endgroup]")
        self.emit(
            "[command]/opt/hostedtoolcache/node/" + full + f"/{arch}/bin/npm config get cache"
        )
        self.emit("/home/runner/.npm")
        self.emit(
            "Cache hit for: node-cache-Linux-x64-npm-" + fake_sha("npm" + self.repo)[:40], gap=0.3
        )
        self.emit("Received 48236151 of 48236151 (100.0%), 61.2 MBs/sec", gap=0.8)
        self.emit("Cache Size: ~46 MB (48236151 B)")
        self.emit("Cache restored successfully", gap=0.5)

    def post_checkout(self) -> None:
        self.step("Post Run actions/checkout@v4")
        git = self.platform.git()
        self.emit("Post job cleanup.", gap=0.2)
        self.emit(f"[command]{git} version")
        self.emit("git version 2.49.0" + (".windows.1" if self.platform.kind == "windows" else ""))
        self.emit(
            "Adding repository directory to the temporary git global config as a safe directory"
        )
        self.emit(
            f"[command]{git} config --global --add safe.directory {self.platform.workspace(self.repo)}"
        )
        self.emit(f"[command]{git} config --local --name-only --get-regexp core\\.sshCommand")
        self.emit(
            f"[command]{git} config --local --name-only --get-regexp http\\.https\\:\\/\\/github\\.com\\/\\.extraheader"
        )
        self.emit("http.https://github.com/.extraheader")
        self.emit(f"[command]{git} config --local --unset-all http.https://github.com/.extraheader")

    def post_simple(self, uses: str) -> None:
        self.step(f"Post Run {uses}")
        self.emit("Post job cleanup.", gap=0.1)

    def complete(self, *, node20_warning: bool = False) -> None:
        self.step("Complete job")
        self.emit("Cleaning up orphan processes", gap=0.2)
        if node20_warning:
            self.emit(
                "##[warning]Node.js 20 is deprecated. The following actions target Node.js 20 but are "
                "being forced to run on Node.js 24: actions/checkout@v4, actions/setup-python@v5. For "
                "more information see: https://github.blog/changelog/2025-09-19-deprecation-of-node-20-"
                "on-github-actions-runners/"
            )

    def finish(self) -> None:
        if self.steps and self.steps[-1].last < 0:
            self.steps[-1].last = len(self.records)

    # -- rendering ---------------------------------------------------------------------------
    def render(
        self, records: list[tuple[str, str]] | None = None, *, bom: bool = False, crlf: bool = False
    ) -> bytes:
        nl = "\r\n" if crlf else "\n"
        out = []
        for stamp, text in records if records is not None else self.records:
            out.append(f"{stamp} {text}".replace("\n", nl) + nl)
        data = "".join(out).encode("utf-8")
        return (b"\xef\xbb\xbf" + data) if bom else data

    def step_files(self) -> list[tuple[str, list[tuple[str, str]]]]:
        self.finish()
        return [(s.name, self.records[s.first : s.last]) for s in self.steps]
